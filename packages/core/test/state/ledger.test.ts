import { describe, it, expect, beforeEach } from '@jest/globals';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { hostname } from 'node:os';
import { Task, Input, DatasetWriter, Dataset, bigraysRun, runJob, resetJobs, resetFormatKws, updateFormatKws, BigraysConfig, JobFailedError, PlanError, StateError, UsageError } from '@bigrays/core';
import { FileLedgerStore } from '@bigrays/core/plugin';
import { tempLedger, filesUnder, makeReadOnly } from './support.js';

let dir: string;
let ran: string[];
let failAt: string | undefined;
const opts = (extra: Record<string, unknown> = {}) => ({ jobName: 'nightly', state: dir, ...extra });
const store = () => new FileLedgerStore(dir);

beforeEach(() => {
  resetJobs();
  resetFormatKws();
  dir = tempLedger();
  ran = [];
  failAt = undefined;
});

/** Extract (typed rows) → Spool (Dataset) → Combine → Report; `failAt` makes one task throw. */
function defineJob() {
  @Task() class Extract {
    run() {
      ran.push('Extract');
      if (failAt === 'Extract') throw new Error('extract broke');
      return [{ id: 1n, at: new Date('2026-01-01T00:00:00Z'), raw: Buffer.from('x') }];
    }
  }
  @Task() class Spool {
    async run() {
      ran.push('Spool');
      const w = await DatasetWriter.create([{ name: 'n', type: 'integer' }]);
      for (let i = 0; i < 3; i++) await w.writeRow([i]);
      return w.finish();
    }
  }
  @Task({ retries: 1, retryDelayMs: 1 }) class Combine {
    @Input(Extract) rows!: { id: bigint; at: Date; raw: Buffer }[];
    @Input(Spool) ds!: Dataset;
    async run() {
      ran.push('Combine');
      if (failAt === 'Combine') throw new Error('combine broke: password=hunter2');
      const n = (await this.ds.toArray()).length;
      return { id: this.rows[0]!.id, at: this.rows[0]!.at, raw: this.rows[0]!.raw, n };
    }
  }
  @Task() class Report {
    @Input(Combine) combined!: unknown;
    run() {
      ran.push('Report');
      return { stream: new Map() }; // not checkpointable
    }
  }
  return { Extract, Spool, Combine, Report };
}

describe('the run ledger records runs', () => {
  it('records every bigraysRun(): run id, job, parameters, host, times, status, and per task status, attempts, rows, checkpoint', async () => {
    defineJob();
    updateFormatKws({ day: '2026-01-31' });
    const result = await bigraysRun(opts());
    expect(result.runId).toMatch(/^\d{8}T\d{9}Z-[0-9a-f]{6}$/);
    const [run] = await store().listRuns('nightly', 10);
    expect(run).toMatchObject({ runId: result.runId, job: 'nightly', status: 'succeeded', host: hostname(), pid: process.pid, params: { day: '2026-01-31' } });
    expect(Date.parse(run!.endedAt!)).toBeGreaterThanOrEqual(Date.parse(run!.startedAt));
    const record = await store().getRun(result.runId!);
    expect(record!.tasks.map((t) => [t.name, t.status, t.attempts])).toEqual([
      ['Extract', 'succeeded', 1],
      ['Spool', 'succeeded', 1],
      ['Combine', 'succeeded', 1],
      ['Report', 'succeeded', 1],
    ]);
    expect(record!.tasks[1]).toMatchObject({ rows: 3, checkpoint: { kind: 'dataset', dataset: { rowCount: 3, columns: ['n'] } } });
    expect(record!.tasks[0]!.checkpoint).toMatchObject({ kind: 'json' });
    expect(record!.tasks[3]!.checkpoint).toBeUndefined();
    expect(record!.tasks[3]!.notCheckpointed).toContain('a Map');
    // The lease is released when the run ends.
    expect(await store().currentLease('nightly')).toBeUndefined();
  });

  it('records a failed run with the error (secrets removed) and the attempts', async () => {
    defineJob();
    failAt = 'Combine';
    BigraysConfig.DB_PWD = 'hunter2';
    try {
      await expect(runJob(opts())).rejects.toBeInstanceOf(JobFailedError);
    } finally {
      delete BigraysConfig.DB_PWD;
    }
    const [run] = await store().listRuns('nightly', 10);
    expect(run).toMatchObject({ status: 'failed', failedTask: 'Combine' });
    const record = await store().getRun(run!.runId);
    const combine = record!.tasks.find((t) => t.name === 'Combine')!;
    expect(combine).toMatchObject({ status: 'failed', attempts: 2 });
    expect(combine.error).toContain('combine broke');
    expect(combine.error).not.toContain('hunter2');
    expect(record!.tasks.find((t) => t.name === 'Report')).toMatchObject({ status: 'skipped', error: 'an earlier task failed' });
  });

  it("takes the job name from { jobName }, BIGRAYS_JOB_NAME, or the job file's name", async () => {
    @Task() class One { run() { return 1; } }
    void One;
    await bigraysRun({ state: dir, jobFile: '/somewhere/daily-load.ts' });
    expect((await store().listRuns('daily-load', 5)).length).toBe(1);
    BigraysConfig.JOB_NAME = 'from-config';
    try {
      await runJob({ tasks: [One], state: dir, jobFile: '/somewhere/daily-load.ts' });
    } finally {
      delete BigraysConfig.JOB_NAME;
    }
    expect((await store().listRuns('from-config', 5)).length).toBe(1);
  });

  it("BIGRAYS_STATE=off (or { state: 'off' }) records nothing; --resume is then an error", async () => {
    @Task() class One { run() { return 1; } }
    const result = await runJob({ tasks: [One], state: 'off', jobName: 'x' });
    expect(result.runId).toBeUndefined();
    expect(filesUnder(dir)).toEqual([]);
    await expect(runJob({ tasks: [One], state: 'off', jobName: 'x', resume: true })).rejects.toThrow(StateError);
    await expect(runJob({ tasks: [One], state: 'off', jobName: 'x', resume: true })).rejects.toThrow('--resume needs the run ledger, but BIGRAYS_STATE=off');
  });

  it('a configured folder that cannot be written: StateError naming it and the fix, before any task runs', async () => {
    @Task() class One { run() { ran.push('One'); } }
    const undo = makeReadOnly(dir);
    if (!undo) return; // no way to make a folder read-only here
    try {
      const error = await runJob({ tasks: [One], ...opts() }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(StateError);
      expect((error as Error).message).toContain(`the run ledger (folder ${dir}) cannot be used: it cannot be written`);
      expect((error as Error).message).toContain('BIGRAYS_STATE');
      expect(ran).toEqual([]);
    } finally {
      undo();
    }
    expect(filesUnder(dir)).toEqual([]);
  });
});

describe('the lease: one run of a job at a time', () => {
  const holder = (over: Record<string, unknown> = {}) => ({
    runId: '20260101T000000000Z-aaaaaa',
    host: 'other-host',
    pid: 4242,
    startedAt: '2026-01-01T00:00:00.000Z',
    heartbeatAt: new Date().toISOString(),
    ...over,
  });

  it('a second run exits with a StateError naming the holder (id, host, start); --allow-concurrent runs anyway', async () => {
    @Task() class One { run() { ran.push('One'); } }
    expect(await store().acquireLease('nightly', holder(), 30_000)).toBeUndefined();
    const error = await runJob({ tasks: [One], ...opts() }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StateError);
    expect((error as Error).message).toContain('job nightly is already running: run 20260101T000000000Z-aaaaaa on other-host (pid 4242), started at 2026-01-01T00:00:00.000Z');
    expect((error as Error).message).toContain('--allow-concurrent');
    expect(ran).toEqual([]);
    await runJob({ tasks: [One], ...opts({ allowConcurrent: true }) });
    expect(ran).toEqual(['One']);
    expect((await store().currentLease('nightly'))?.runId).toBe('20260101T000000000Z-aaaaaa');
  });

  it('a lease whose heartbeat stopped (a crashed run) expires, and the next run takes it', async () => {
    @Task() class One { run() { ran.push('One'); } }
    await store().acquireLease('nightly', holder({ heartbeatAt: new Date(Date.now() - 31_000).toISOString() }), 30_000);
    await runJob({ tasks: [One], ...opts() });
    expect(ran).toEqual(['One']);
  });

  it('on the same host, a lease of a process that is gone is taken at once', async () => {
    @Task() class One { run() { ran.push('One'); } }
    await store().acquireLease('nightly', holder({ host: hostname(), pid: 2 ** 22 + 12345 }), 30_000);
    await runJob({ tasks: [One], ...opts() });
    expect(ran).toEqual(['One']);
  });

  it('two jobs in one store run at the same time, each seeing only its own runs', async () => {
    @Task() class Slow { async run() { await new Promise((r) => setTimeout(r, 50)); return 'slow'; } }
    @Task() class Fast { run() { return 'fast'; } }
    const [a, b] = await Promise.all([
      runJob({ tasks: [Slow], state: dir, jobName: 'job-a' }),
      runJob({ tasks: [Fast], state: dir, jobName: 'job-b' }),
    ]);
    expect(a.ok && b.ok).toBe(true);
    expect((await store().listRuns('job-a', 5)).map((r) => r.runId)).toEqual([a.runId]);
    expect((await store().listRuns('job-b', 5)).map((r) => r.runId)).toEqual([b.runId]);
  });
});

describe('--resume', () => {
  it('skips the tasks that succeeded, restores their outputs with their types (rows, Dataset), re-runs the rest', async () => {
    const { Combine } = defineJob();
    failAt = 'Combine';
    const first = await runJob(opts()).catch((e: JobFailedError) => e.result);
    expect(ran).toEqual(['Extract', 'Spool', 'Combine', 'Combine']);
    ran = [];
    failAt = undefined;
    const second = await runJob(opts({ resume: true }));
    // Report's output (a Map) is not checkpointed, but Report never succeeded: it runs; Extract and Spool do not.
    expect(ran).toEqual(['Combine', 'Report']);
    expect(second.output(Combine)).toEqual({ id: 1n, at: new Date('2026-01-01T00:00:00Z'), raw: Buffer.from('x'), n: 3 });
    expect(second.report('Extract')).toMatchObject({ status: 'succeeded', restoredFrom: first.runId, attempts: 0 });
    expect(second.report('Spool')).toMatchObject({ status: 'succeeded', restoredFrom: first.runId, rows: 3 });
    const [latest] = await store().listRuns('nightly', 1);
    expect(latest).toMatchObject({ runId: second.runId, status: 'succeeded', resumeOf: first.runId });
  });

  it('a succeeded task whose output could not be checkpointed runs again; the plan says so', async () => {
    defineJob();
    @Task() class Last { run() { ran.push('Last'); throw new Error('last broke'); } }
    void Last;
    await runJob(opts()).catch(() => undefined);
    ran = [];
    const { planWithLedger } = await import('../../src/run/plan-with-ledger.js');
    const plan = await planWithLedger(opts({ resume: true }));
    expect(plan.tasks.map((t) => [t.name, t.resume?.action])).toEqual([
      ['Extract', 'restore'],
      ['Spool', 'restore'],
      ['Combine', 'restore'],
      ['Report', 'run'],
      ['Last', 'run'],
    ]);
    expect(plan.tasks[3]!.resume!.reason).toContain('its output (a Map) cannot be restored exactly: runs again');
    expect(plan.tasks[4]!.resume!.reason).toContain('failed in');
  });

  it('a deleted or changed checkpoint: that task runs again, never a wrong value', async () => {
    const { Combine } = defineJob();
    failAt = 'Combine';
    const first = await runJob(opts()).catch((e: JobFailedError) => e.result);
    const record = await store().getRun(first.runId!);
    const extract = record!.tasks.find((t) => t.name === 'Extract')!.checkpoint!;
    const spool = record!.tasks.find((t) => t.name === 'Spool')!.checkpoint!;
    // Extract's small output is kept inline in the run's journal: change one digit there (same length, only the checksum can tell).
    expect(extract.location).toBe('inline');
    const journal = join(dir, 'jobs', 'nightly', 'runs', `${first.runId}.jsonl`);
    const text = readFileSync(journal, 'utf8');
    expect(text).toContain('\\"v\\":\\"1\\"');
    writeFileSync(journal, text.replace('\\"v\\":\\"1\\"', '\\"v\\":\\"7\\"'));
    rmSync(join(dir, 'runs', spool.location));
    ran = [];
    failAt = undefined;
    const second = await runJob(opts({ resume: true }));
    expect(ran).toEqual(['Extract', 'Spool', 'Combine', 'Report']);
    expect((second.output(Combine) as { id: bigint }).id).toBe(1n);
  });

  it('with nothing to resume, a succeeded run, another job\'s run id, or --param: one clear error, nothing runs', async () => {
    defineJob();
    await expect(runJob(opts({ resume: true }))).rejects.toThrow('--resume: job nightly has no unsuccessful run to resume');
    const ok = await runJob(opts());
    ran = [];
    await expect(runJob(opts({ resume: true }))).rejects.toThrow(`--resume: the latest run of job nightly (${ok.runId}`);
    await expect(runJob(opts({ resume: ok.runId }))).rejects.toThrow(`--resume ${ok.runId}: that run succeeded, there is nothing to resume`);
    await expect(runJob(opts({ resume: ok.runId, jobName: 'other' }))).rejects.toThrow(`--resume ${ok.runId}: that run is of job nightly, not other`);
    await expect(runJob(opts({ resume: 'nope' }))).rejects.toThrow('--resume nope: no run with that id');
    await expect(runJob(opts({ resume: true, parameters: { day: 'x' } }))).rejects.toThrow(UsageError);
    expect(ran).toEqual([]);
  });

  it('resumes with the parameters of the run it resumes', async () => {
    @Task() class Param {
      run() {
        if (failAt === 'Param') throw new Error('no');
      }
    }
    void Param;
    failAt = 'Param';
    // The job declares `day` (a --param no template uses must be declared, or it is taken for a misspelling).
    updateFormatKws({ day: '2026-01-01' });
    const first = await runJob(opts({ parameters: { day: '2026-03-01' } })).catch((e: JobFailedError) => e.result);
    failAt = undefined;
    updateFormatKws({ day: '2026-12-31' });
    const { planWithLedger } = await import('../../src/run/plan-with-ledger.js');
    expect((await planWithLedger(opts({ resume: true }))).parameters).toEqual({ day: '2026-03-01' });
    const second = await runJob(opts({ resume: true }));
    expect((await store().getRun(second.runId!))!.params).toEqual({ day: '2026-03-01' });
    expect((await store().getRun(first.runId!))!.params).toEqual({ day: '2026-03-01' });
  });
});

describe('--from and --only take upstream outputs from the latest run that checkpointed them', () => {
  it('restores Extract and Spool for --from Combine, and the plan names the run', async () => {
    const { Combine } = defineJob();
    const full = await runJob(opts());
    ran = [];
    const { planWithLedger } = await import('../../src/run/plan-with-ledger.js');
    const plan = await planWithLedger(opts({ from: 'Combine' }));
    expect(plan.restoredInputs!.map((i) => [i.name, i.from.runId, i.neededBy])).toEqual([
      ['Extract', full.runId, ['Combine']],
      ['Spool', full.runId, ['Combine']],
    ]);
    const partial = await runJob(opts({ from: 'Combine' }));
    expect(ran).toEqual(['Combine', 'Report']);
    expect((partial.output(Combine) as { n: number }).n).toBe(3);
    // Again: the first run's checkpoints are still found (the latest run points at them).
    ran = [];
    await runJob(opts({ only: ['Combine'] }));
    expect(ran).toEqual(['Combine']);
  });

  it('without a checkpoint: a PlanError worded for the flag typed', async () => {
    defineJob();
    await expect(runJob(opts({ only: ['Combine'] }))).rejects.toThrow(PlanError);
    await expect(runJob(opts({ only: ['Combine'] }))).rejects.toThrow(
      '--only Combine: Combine.rows needs the output of Extract, which --only leaves out, and no run in the run ledger has a checkpoint of it',
    );
    await expect(runJob(opts({ from: 'Combine' }))).rejects.toThrow('or start earlier (--from Extract)');
    expect(ran).toEqual([]);
  });
});

describe('pruning', () => {
  it('keeps the checkpoints of the latest run and of the last 5 unsuccessful ones (BIGRAYS_KEEP_RUNS)', async () => {
    defineJob();
    failAt = 'Combine';
    const failed: string[] = [];
    for (let i = 0; i < 7; i++) failed.push((await runJob(opts()).catch((e: JobFailedError) => e.result)).runId!);
    failAt = undefined;
    const ok1 = (await runJob(opts())).runId!;
    const ok2 = (await runJob(opts())).runId!;
    const folders = () => [...new Set(filesUnder(join(dir, 'runs')).map((f) => f.split('/')[0]))].sort();
    expect(folders()).toEqual([...failed.slice(2), ok2].sort());
    expect(folders()).not.toContain(ok1);
    BigraysConfig.KEEP_RUNS = '1';
    try {
      await runJob(opts());
    } finally {
      delete BigraysConfig.KEEP_RUNS;
    }
    expect(folders().filter((id) => failed.includes(id))).toEqual([failed[6]]);
    // The records stay: bigrays runs still lists every run.
    expect((await store().listRuns('nightly', 100)).length).toBe(10);
  });
});

describe('no .bigrays/ folder appears in the repo', () => {
  it('the test environment runs with the ledger off unless a test asks for one', () => {
    expect(process.env.BIGRAYS_STATE).toBe('off');
    expect(existsSync(join(process.cwd(), '.bigrays'))).toBe(false);
  });
});
