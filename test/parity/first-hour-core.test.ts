import { describe, it, expect, beforeEach } from '@jest/globals';
import { Input, Task, ToCSV, bigraysRun, resetJobs, JobFailedError } from '@bigrays/core';

/** Issue 14, "what a new user hit", checks that need no CLI. */
beforeEach(() => resetJobs());

describe('item 15: a task that forgot its return', () => {
  it('fails the task that needs the value, naming the upstream that returned nothing', async () => {
    @Task() class MakePredictions { run() { void [{ id: 1 }]; } }
    @Task() class SavePredictions extends ToCSV { @Input(MakePredictions) input!: unknown; filename = '/tmp/bigrays-parity-never.csv'; }
    const error = (await bigraysRun().catch((e: unknown) => e)) as JobFailedError;
    expect(error).toBeInstanceOf(JobFailedError);
    expect(error.result.report(SavePredictions)?.error?.message).toBe(
      'SavePredictions failed: its input input is undefined because MakePredictions.run() returned nothing: return the data from MakePredictions.run()',
    );
  });

  it('a custom task that fails on such an input says which upstream returned nothing', async () => {
    @Task() class Load { run() {} }
    @Task() class Count { @Input(Load) rows!: unknown[]; run() { return this.rows.length; } }
    const error = (await bigraysRun().catch((e: unknown) => e)) as JobFailedError;
    expect(error.result.report(Count)?.error?.message).toMatch(/^Count failed: .*undefined.* \(its input rows is undefined because Load\.run\(\) returned nothing: return the data from Load\.run\(\)\)$/);
  });
});

describe('item 17: the summary of a failed upload', () => {
  it('shows no bytes moved for a failed task (the upload was aborted, nothing stayed)', async () => {
    const { JobResult } = await import('../../packages/core/src/run/job-result.js');
    const { renderSummary } = await import('../../packages/core/src/cli/render/summary.js');
    const result = new JobResult(
      [
        { name: 'Pull', status: 'succeeded', durationMs: 5, attempts: 1, rows: 3 },
        { name: 'Upload', status: 'failed', durationMs: 9, attempts: 1, rows: 3, bytes: 40 },
      ],
      new Map(),
      14,
    );
    const table = renderSummary(result, false).split('\n');
    expect(table.find((l) => l.trimStart().startsWith('Pull'))).toMatch(/3 rows\s*$/);
    expect(table.find((l) => l.trimStart().startsWith('Upload'))).toMatch(/failed\s+9 ms\s+-\s*$/);
  });
});
