import { describe, it, expect, beforeEach } from '@jest/globals';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli, startCli, waitFor, REPO } from '../../../../test/support/cli.js';
import { filesUnder, makeReadOnly } from './support.js';

/**
 * A job in a folder of its own (so its default ledger, `.bigrays/` next to it, is temporary):
 * Pull (rows) → Spool (a Dataset) → Load (fails while FAIL_LOAD is set; appends to LOG) → Notify.
 * Every task appends its name to LOG when it runs.
 */
const JOB = `
import { appendFileSync } from 'node:fs';
import { Task, Input, DatasetWriter, type Dataset } from '@bigrays/core';
const log = (name: string) => appendFileSync(process.env.LOG!, name + '\\n');
@Task() class Pull { run() { log('Pull'); return [{ id: 1n, at: new Date('2026-01-01T00:00:00Z') }, { id: 2n, at: new Date('2026-01-02T00:00:00Z') }]; } }
@Task() class Spool { async run() { log('Spool'); const w = await DatasetWriter.create([{ name: 'n', type: 'integer' }]); for (let i = 0; i < 5; i++) await w.writeRow([i]); return w.finish(); } }
@Task() class Load {
  @Input(Pull) rows!: { id: bigint; at: Date }[];
  @Input(Spool) ds!: Dataset;
  async run() {
    log('Load');
    if (process.env.HANG_LOAD) await new Promise((r) => setTimeout(r, 60_000));
    if (process.env.FAIL_LOAD) throw new Error('the warehouse is down');
    const n = (await this.ds.toArray()).length;
    log('Load got ' + this.rows.map((r) => typeof r.id + ':' + r.id + '@' + r.at.toISOString()).join(',') + ' n=' + n);
    return n;
  }
}
@Task() class Notify { @Input(Load) n!: number; run() { log('Notify'); } }
`;

let dir: string;
let job: string;
let log: string;
const ledgerEnv = (extra: Record<string, string | undefined> = {}) => ({ BIGRAYS_STATE: undefined, LOG: log, ...extra });
const logged = () => (existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n') : []);

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'bigrays-cli-ledger-'));
  symlinkSync(join(REPO, 'node_modules'), join(dir, 'node_modules'));
  job = join(dir, 'nightly.ts');
  writeFileSync(job, JOB);
  log = join(dir, 'log.txt');
});

describe('bigrays with the default ledger (.bigrays/ next to the job)', () => {
  it('records the run in .bigrays/ next to the job file, named after the file', () => {
    const r = runCli([job], { env: ledgerEnv() });
    expect(r.stderr).toContain('job succeeded');
    expect(r.code).toBe(0);
    const files = filesUnder(join(dir, '.bigrays'));
    expect(files).toContain('jobs/nightly/index.json');
    expect(files.some((f) => /^runs\/[\w-]+\/00001-Spool\.csv$/.test(f))).toBe(true);
    expect(files.filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('fails, is resumed: the tasks that succeeded are not run again and their outputs are restored with their types', () => {
    const failed = runCli([job], { env: ledgerEnv({ FAIL_LOAD: '1' }) });
    expect(failed.code).toBe(1);
    expect(logged()).toEqual(['Pull', 'Spool', 'Load']);

    const plan = runCli(['plan', job, '--resume'], { env: ledgerEnv() });
    expect(plan.code).toBe(0);
    expect(plan.stdout).toMatch(/Resume of run [\w-]+ \(same parameters\):/);
    expect(plan.stdout).toMatch(/Pull +skip, restore output +succeeded in [\w-]+: output restored from its checkpoint/);
    expect(plan.stdout).toMatch(/Load +re-run +failed in [\w-]+ \(Load failed: the warehouse is down\)/);
    expect(plan.stdout).toMatch(/Notify +re-run +was skipped in/);

    const resumed = runCli([job, '--resume'], { env: ledgerEnv() });
    expect(resumed.stderr).toContain('job succeeded');
    expect(resumed.code).toBe(0);
    expect(logged()).toEqual(['Pull', 'Spool', 'Load', 'Load', 'Load got bigint:1@2026-01-01T00:00:00.000Z,bigint:2@2026-01-02T00:00:00.000Z n=5', 'Notify']);
    expect(resumed.stderr).toMatch(/Pull +restored/);

    // Nothing left to resume now.
    const again = runCli([job, '--resume'], { env: ledgerEnv() });
    expect(again.code).toBe(2);
    expect(again.stderr.trim()).toMatch(/^bigrays: --resume: the latest run of job nightly \([\w-]+, .+\) succeeded, there is nothing to resume; run the job without --resume$/);
  });

  it('a checkpoint changed since: that task runs again, with a warning naming it; a deleted Dataset checkpoint too', () => {
    runCli([job], { env: ledgerEnv({ FAIL_LOAD: '1' }) });
    // Pull's small output is kept inline in the run's journal; change it there.
    const journal = join(dir, '.bigrays', filesUnder(join(dir, '.bigrays')).find((f) => f.endsWith('.jsonl'))!);
    const text = readFileSync(journal, 'utf8');
    expect(text).toContain('2026-01-02T00:00:00.000Z');
    writeFileSync(journal, text.replace('2026-01-02T00:00:00.000Z', '2026-01-03T00:00:00.000Z'));
    const resumed = runCli([job, '--resume'], { env: ledgerEnv() });
    expect(resumed.code).toBe(0);
    // Warnings go through the bigrays logger (stderr, like every diagnostic).
    expect(resumed.stderr).toMatch(/WARN.*Pull: its checkpoint \(kept in the run record\) was changed since it was written; it runs again/);
    expect(logged().filter((l) => l === 'Pull')).toHaveLength(2);
    expect(logged().filter((l) => l === 'Spool')).toHaveLength(1);
    expect(logged()).toContain('Load got bigint:1@2026-01-01T00:00:00.000Z,bigint:2@2026-01-02T00:00:00.000Z n=5');
  });

  it('--resume with --param, with BIGRAYS_STATE=off, or with no run: one line, exit 2, nothing runs', () => {
    const withParam = runCli([job, '--resume', '--param', 'day=1'], { env: ledgerEnv() });
    expect(withParam.code).toBe(2);
    expect(withParam.stderr.trim()).toBe('bigrays: --param together with --resume: a resumed run keeps the parameters of the run it resumes; start a new run (without --resume) to change them');
    const off = runCli([job, '--resume'], { env: ledgerEnv({ BIGRAYS_STATE: 'off' }) });
    expect(off.code).toBe(2);
    expect(off.stderr.trim()).toBe('bigrays: --resume needs the run ledger, but BIGRAYS_STATE=off: unset BIGRAYS_STATE (or point it at the ledger) to resume');
    const none = runCli([job, '--resume'], { env: ledgerEnv() });
    expect(none.code).toBe(2);
    expect(none.stderr.trim().split('\n')).toHaveLength(1);
    expect(none.stderr).toContain('--resume: job nightly has no unsuccessful run to resume');
    const otherJob = join(dir, 'other.ts');
    writeFileSync(otherJob, JOB);
    runCli([otherJob], { env: ledgerEnv({ FAIL_LOAD: '1' }) });
    const otherRun = filesUnder(join(dir, '.bigrays')).find((f) => f.startsWith('jobs/other/runs/'))!.replace(/^.*\/([\w-]+)\.jsonl$/, '$1');
    const wrongJob = runCli([job, '--resume', otherRun], { env: ledgerEnv() });
    expect(wrongJob.code).toBe(2);
    expect(wrongJob.stderr.trim()).toBe(`bigrays: --resume ${otherRun}: that run is of job other, not nightly; resume it with that job's file, or pick a run of nightly (bigrays runs <job>)`);
    expect(logged()).toEqual(['Pull', 'Spool', 'Load']);
  });

  it('--from Load takes Pull and Spool from the latest run that checkpointed them; the dry run names that run', () => {
    runCli([job], { env: ledgerEnv() });
    const dry = runCli([job, '--from', 'Load', '--dry-run'], { env: ledgerEnv() });
    expect(dry.code).toBe(0);
    expect(dry.stdout).toMatch(/Upstream outputs restored from checkpoints:\n +Pull +from run [\w-]+ +for Load\n +Spool +from run [\w-]+ +for Load/);
    const from = runCli([job, '--from', 'Load'], { env: ledgerEnv() });
    expect(from.code).toBe(0);
    expect(logged().slice(5)).toEqual(['Load', 'Load got bigint:1@2026-01-01T00:00:00.000Z,bigint:2@2026-01-02T00:00:00.000Z n=5', 'Notify']);
  });

  it('a second run of the job while one runs exits 2 naming the holder; --allow-concurrent runs anyway', async () => {
    const first = startCli([job], { env: ledgerEnv({ HANG_LOAD: '1' }) });
    try {
      await waitFor(() => logged().includes('Load'));
      const second = runCli([job], { env: ledgerEnv() });
      expect(second.code).toBe(2);
      expect(second.stderr.trim()).toMatch(
        new RegExp(`^bigrays: job nightly is already running: run [\\w-]+ on .+ \\(pid ${first.child.pid}\\), started at \\d{4}-.+Z, holds its lease in the run ledger\\. .*--allow-concurrent$`),
      );
      const concurrent = runCli([job, '--allow-concurrent'], { env: ledgerEnv() });
      expect(concurrent.code).toBe(0);
    } finally {
      first.child.kill('SIGKILL');
      await first.done;
    }
    // The killed run's lease does not block the next run (same host: its process is gone).
    const next = runCli([job], { env: ledgerEnv() });
    expect(next.code).toBe(0);
  });

  it('kill -9 during a task, then --resume: completes without re-running what succeeded', async () => {
    const first = startCli([job], { env: ledgerEnv({ HANG_LOAD: '1' }) });
    await waitFor(() => logged().includes('Load'));
    first.child.kill('SIGKILL');
    await first.done;
    const resumed = runCli([job, '--resume'], { env: ledgerEnv() });
    expect(resumed.code).toBe(0);
    expect(logged().filter((l) => l === 'Pull' || l === 'Spool')).toEqual(['Pull', 'Spool']);
    expect(logged()).toContain('Notify');
  });

  it("a job folder that cannot be written: the ledger goes to the user's state directory, said once", () => {
    const state = mkdtempSync(join(tmpdir(), 'bigrays-xdg-'));
    const undo = makeReadOnly(dir);
    if (!undo) return;
    let r;
    try {
      r = runCli([job], { env: ledgerEnv({ XDG_STATE_HOME: state, LOG: join(state, 'log.txt') }) });
    } finally {
      undo();
    }
    expect(r.code).toBe(0);
    const said = `${r.stdout}\n${r.stderr}`.split('\n').filter((l) => l.includes('cannot be written; the run ledger is kept in'));
    expect(said).toHaveLength(1);
    expect(said[0]).toContain(`${join(dir, '.bigrays')} cannot be written; the run ledger is kept in ${join(state, 'bigrays')}`);
    expect(existsSync(join(dir, '.bigrays'))).toBe(false);
    expect(filesUnder(join(state, 'bigrays')).some((f) => f.endsWith('jobs/nightly/index.json'))).toBe(true);
  });

  it('a configured ledger folder that cannot be written: exit 2 before any task runs, naming it and the fix', () => {
    const ledger = join(dir, 'ledger');
    mkdirSync(ledger);
    const undo = makeReadOnly(ledger);
    if (!undo) return;
    let r;
    try {
      r = runCli([job], { env: ledgerEnv({ BIGRAYS_STATE: ledger }) });
    } finally {
      undo();
    }
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe(
      `bigrays: the run ledger (folder ${ledger}) cannot be used: it cannot be written. Fix it, point BIGRAYS_STATE elsewhere, or set BIGRAYS_STATE=off to run without a ledger`,
    );
    expect(logged()).toEqual([]);
    expect(filesUnder(ledger)).toEqual([]);
  });
});

const INCREMENTAL_JOB = `
import { Task, taskCursor } from '@bigrays/core';
@Task({ incremental: { cursor: 'updated_at', initial: '2026-01-01T00:00:00Z' } })
class PullOrders { run() { const c = taskCursor()!; console.log('from ' + (c.value as Date).toISOString()); return [{ id: 1, updated_at: '2026-01-05T00:00:00.000Z' }]; } }
@Task() class Plain { run() {} }
`;

describe('bigrays runs and bigrays state', () => {
  it('runs lists recent runs (id, started, duration, status, failed task) and shows one task by task; --json', () => {
    runCli([job], { env: ledgerEnv({ FAIL_LOAD: '1' }) });
    runCli([job, '--resume'], { env: ledgerEnv() });
    const list = runCli(['runs', job], { env: ledgerEnv() });
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/^Runs of job nightly \(folder .+\.bigrays\), newest first:\n +run +started +duration +status +failed task\n +[\w-]+ \(resume\) +\S+ +\S+( ms| s)? +succeeded +-\n +[\w-]+ +\S+ +\S+( ms| s)? +failed +Load\n$/);
    const json = JSON.parse(runCli(['runs', job, '--json', '--limit', '1'], { env: ledgerEnv() }).stdout);
    expect(json.runs).toHaveLength(1);
    expect(json.runs[0]).toMatchObject({ job: 'nightly', status: 'succeeded' });
    const failedId = JSON.parse(runCli(['runs', job, '--json'], { env: ledgerEnv() }).stdout).runs[1].runId;
    const one = runCli(['runs', job, failedId], { env: ledgerEnv() });
    expect(one.code).toBe(0);
    expect(one.stdout).toContain(`Run ${failedId} of job nightly: failed`);
    expect(one.stdout).toMatch(/Spool +succeeded +1 +\S+( ms)? +5 rows · 12 B +dataset +-/);
    expect(one.stdout).toMatch(/Load +failed +1 +.+Load failed: the warehouse is down/);
    const wrong = runCli(['runs', job, 'nope'], { env: ledgerEnv() });
    expect(wrong.code).toBe(2);
  });

  it('state lists cursors; --set and --reset change one, recorded with who and when; the next run reads it', () => {
    const inc = join(dir, 'orders.ts');
    writeFileSync(inc, INCREMENTAL_JOB);
    expect(runCli([inc], { env: ledgerEnv() }).stdout).toContain('from 2026-01-01T00:00:00.000Z');
    const listed = runCli(['state', inc], { env: ledgerEnv() });
    expect(listed.stdout).toMatch(/PullOrders +2026-01-05T00:00:00\.000Z +\S+ +run [\w-]+/);
    const set = runCli(['state', inc, '--set', 'PullOrders=2025-12-01T00:00:00Z'], { env: ledgerEnv() });
    expect(set.code).toBe(0);
    expect(set.stdout).toMatch(/PullOrders +2025-12-01T00:00:00\.000Z +\d{4}-\S+Z +\S+@\S+ \(bigrays state --set\)/);
    expect(runCli([inc], { env: ledgerEnv() }).stdout).toContain('from 2025-12-01T00:00:00.000Z');
    const reset = runCli(['state', inc, '--reset', 'PullOrders', '--json'], { env: ledgerEnv() });
    expect(JSON.parse(reset.stdout).cursors[0]).toMatchObject({ task: 'PullOrders', value: null, by: expect.stringContaining('(bigrays state --reset)') });
    expect(runCli([inc, '--full-refresh'], { env: ledgerEnv() }).stdout).toContain('from 2026-01-01T00:00:00.000Z');
    const notInc = runCli(['state', inc, '--set', 'Plain=1'], { env: ledgerEnv() });
    expect(notInc.code).toBe(2);
    expect(notInc.stderr.trim()).toBe('bigrays: Plain is not incremental: only a task with @Task({ incremental }) has a cursor');
    const badValue = runCli(['state', inc, '--set', 'PullOrders=yesterday'], { env: ledgerEnv() });
    expect(badValue.code).toBe(2);
    expect(badValue.stderr.trim()).toBe("bigrays: --set PullOrders=yesterday: PullOrders's cursor is a timestamp; 'yesterday' is not one");
  });

  it('an incremental job with BIGRAYS_STATE=off is invalid (exit 2), nothing runs', () => {
    const inc = join(dir, 'orders.ts');
    writeFileSync(inc, INCREMENTAL_JOB);
    const r = runCli([inc], { env: ledgerEnv({ BIGRAYS_STATE: 'off' }) });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('PullOrders is incremental (@Task({ incremental })), which needs the run ledger');
  });
});
