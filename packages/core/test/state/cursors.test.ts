import { describe, it, expect, beforeEach } from '@jest/globals';
import { Task, DatasetWriter, runJob, resetJobs, resetFormatKws, taskCursor, JobFailedError, PlanError } from '@bigrays/core';
import { FileLedgerStore } from '@bigrays/core/plugin';
import { tempLedger } from './support.js';

let dir: string;
let source: { id: number; updated_at: string }[];
let seen: unknown[];
let failAfter = false;
const opts = (extra: Record<string, unknown> = {}) => ({ jobName: 'inc', state: dir, ...extra });
const cursors = async () => Object.fromEntries((await new FileLedgerStore(dir).getCursors('inc')).map((c) => [c.task, c.value]));

beforeEach(() => {
  resetJobs();
  resetFormatKws();
  dir = tempLedger();
  seen = [];
  failAfter = false;
  source = [
    { id: 1, updated_at: '2026-01-01T10:00:00.000Z' },
    { id: 2, updated_at: '2026-01-02T10:00:00.000Z' },
  ];
});

/** Pull reads the rows newer than its cursor (as a SQL `where updated_at > :cursor` would); Later can fail the run. */
function defineJob(options: { maxFuture?: number } = {}) {
  @Task({ incremental: { cursor: 'updated_at', initial: '2026-01-01T00:00:00Z', ...options } })
  class Pull {
    run() {
      const from = taskCursor()!.value as Date;
      seen.push(from.toISOString());
      return source.filter((r) => Date.parse(r.updated_at) > from.getTime());
    }
  }
  @Task() class Later { run() { if (failAfter) throw new Error('later broke'); } }
  return { Pull, Later };
}

describe('incremental cursors', () => {
  it('reads from initial, then from the greatest value of the cursor column committed by the last successful run', async () => {
    const { Pull } = defineJob();
    const first = await runJob(opts());
    expect(first.report('Pull')!.cursor).toEqual({ from: '2026-01-01T00:00:00.000Z', to: '2026-01-02T10:00:00.000Z' });
    expect(await cursors()).toEqual({ Pull: '2026-01-02T10:00:00.000Z' });
    source.push({ id: 3, updated_at: '2026-01-03T10:00:00.000Z' });
    const second = await runJob(opts());
    expect(second.output(Pull)).toEqual([{ id: 3, updated_at: '2026-01-03T10:00:00.000Z' }]);
    expect(seen).toEqual(['2026-01-01T00:00:00.000Z', '2026-01-02T10:00:00.000Z']);
    expect(await cursors()).toEqual({ Pull: '2026-01-03T10:00:00.000Z' });
  });

  it('a failed run leaves the cursor where it was (the next run reads the same rows again); --resume commits it', async () => {
    defineJob();
    failAfter = true;
    await expect(runJob(opts())).rejects.toBeInstanceOf(JobFailedError);
    expect(await cursors()).toEqual({});
    failAfter = false;
    // --resume: Pull is restored (not re-read) and the cursor it reached is committed when the resumed run succeeds.
    await runJob(opts({ resume: true }));
    expect(seen).toEqual(['2026-01-01T00:00:00.000Z']);
    expect(await cursors()).toEqual({ Pull: '2026-01-02T10:00:00.000Z' });
  });

  it('never moves backwards; --full-refresh starts from initial', async () => {
    defineJob();
    await runJob(opts());
    source = [{ id: 0, updated_at: '2025-06-01T00:00:00.000Z' }];
    await runJob(opts());
    expect(await cursors()).toEqual({ Pull: '2026-01-02T10:00:00.000Z' });
    source = [{ id: 1, updated_at: '2026-01-01T10:00:00.000Z' }];
    await runJob(opts({ fullRefresh: true }));
    expect(seen.at(-1)).toBe('2026-01-01T00:00:00.000Z');
    expect(await cursors()).toEqual({ Pull: '2026-01-01T10:00:00.000Z' });
  });

  it('a value more than maxFuture ahead of now fails the task and commits nothing', async () => {
    defineJob({ maxFuture: 60_000 });
    source.push({ id: 9, updated_at: new Date(Date.now() + 3_600_000).toISOString() });
    const error = (await runJob(opts()).catch((e: unknown) => e)) as JobFailedError;
    expect(error).toBeInstanceOf(JobFailedError);
    expect(error.result.report('Pull')!.status).toBe('failed');
    expect(error.errors[0]!.message).toMatch(/Pull: its cursor updated_at would move to .+, more than 60000 ms ahead of now: a clock or data bug, not a cursor/);
    expect(await cursors()).toEqual({});
  });

  it('custom tasks advance it through the task context; a Dataset output is scanned for the column', async () => {
    @Task({ incremental: { cursor: 'seq', initial: 0 } }) class Custom {
      run() {
        seen.push(taskCursor()!.value);
        taskCursor()!.advance(41);
        return 'done';
      }
    }
    @Task({ incremental: { cursor: 'id', initial: 10n } }) class Spooled {
      async run() {
        const w = await DatasetWriter.create([{ name: 'id', type: 'bigint' }]);
        for (const id of [12n, 99n, 15n]) await w.writeRow([id]);
        return w.finish();
      }
    }
    void [Custom, Spooled];
    await runJob(opts());
    expect(await cursors()).toEqual({ Custom: '41', Spooled: '99' });
    await runJob(opts());
    expect(seen).toEqual([0, 41]);
  });

  it('a cursor column missing from the output fails the task, naming the columns', async () => {
    @Task({ incremental: { cursor: 'modified', initial: '2026-01-01' } }) class Pull { run() { return [{ id: 1, updated_at: '2026-01-02' }]; } }
    void Pull;
    await expect(runJob(opts())).rejects.toThrow(JobFailedError);
    const record = (await new FileLedgerStore(dir).listRuns('inc', 1))[0]!;
    const run = await new FileLedgerStore(dir).getRun(record.runId);
    expect(run!.tasks[0]!.error).toContain("Pull: its incremental cursor 'modified' is not a column of its output (columns: id, updated_at)");
  });

  it('with BIGRAYS_STATE=off an incremental task is a PlanError; misuse of the option fails at decoration', async () => {
    defineJob();
    await expect(runJob({ state: 'off' })).rejects.toThrow(PlanError);
    await expect(runJob({ state: 'off' })).rejects.toThrow('Pull is incremental (@Task({ incremental })), which needs the run ledger to remember its cursor, but BIGRAYS_STATE=off');
    expect(() => Task({ incremental: { cursor: '', initial: 1 } })(class X { run() {} })).toThrow("option 'incremental.cursor'");
    expect(() => Task({ incremental: { cursor: 'c', initial: undefined as unknown as string } })(class Y { run() {} })).toThrow("option 'incremental.initial'");
  });
});
