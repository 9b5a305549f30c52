import { describe, it, expect, beforeEach, afterAll } from '@jest/globals';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Task, Input, DatasetWriter, runJob, resetJobs, JobFailedError, StateError, type Dataset } from '@bigrays/core';
import { FileLedgerStore } from '@bigrays/core/plugin';
import '@bigrays/aws';
import { requireService } from '../../../test/support/services.js';
import { useMoto, createBucket, keysOf, closeDirectClients } from './helpers.js';

const up = await requireService('moto', 'aws/checkpoints');
const maybe = up ? it : it.skip;
let ran: string[];
beforeEach(() => {
  resetJobs();
  ran = [];
  if (up) useMoto();
});
afterAll(() => closeDirectClients());

describe('BIGRAYS_CHECKPOINTS=s3://bucket/prefix', () => {
  maybe('keeps checkpoints in S3 (a Dataset by multipart upload, large JSON), resumes from them, prunes them like local ones', async () => {
    const bucket = await createBucket('ckpt');
    const state = mkdtempSync(join(tmpdir(), 'bigrays-s3-ledger-'));
    let fail = true;
    @Task() class Spool {
      async run() {
        ran.push('Spool');
        const w = await DatasetWriter.create([{ name: 'n', type: 'integer' }, { name: 'pad', type: 'text' }]);
        // ~6 MB: more than one 5 MB part.
        for (let i = 0; i < 60_000; i++) await w.writeRow([i, 'x'.repeat(90)]);
        return w.finish();
      }
    }
    @Task() class Big {
      run() {
        ran.push('Big');
        return { blob: Buffer.alloc(40_000, 7), at: new Date('2026-03-01T00:00:00Z') };
      }
    }
    @Task() class Use {
      @Input(Spool) ds!: Dataset;
      @Input(Big) big!: { blob: Buffer; at: Date };
      run() {
        ran.push(`Use ${this.ds.rowCount} ${this.big.blob.length} ${this.big.at.toISOString()}`);
        if (fail) throw new Error('use broke');
      }
    }
    void Use;
    const opts = { jobName: 's3job', state, checkpoints: `s3://${bucket}/ckpt` };
    const first = await runJob(opts).catch((e: JobFailedError) => e.result);
    const keys = await keysOf(bucket);
    expect(keys.sort()).toEqual([`ckpt/${first.runId}/00000-Spool.csv`, `ckpt/${first.runId}/00001-Big.json`]);
    const record = await new FileLedgerStore(state).getRun(first.runId!);
    expect(record!.tasks[0]!.checkpoint).toMatchObject({ kind: 'dataset', location: `${first.runId}/00000-Spool.csv` });

    fail = false;
    ran = [];
    const second = await runJob({ ...opts, resume: true });
    expect(ran).toEqual(['Use 60000 40000 2026-03-01T00:00:00.000Z']);
    // Another run later: the first (resumed, unsuccessful) stays among the last 5 unsuccessful; the resumed run pointed at it.
    const third = await runJob(opts);
    expect((await keysOf(bucket)).map((k) => k.split('/')[1])).toContain(third.runId);
    const fourth = await runJob(opts);
    const after = new Set((await keysOf(bucket)).map((k) => k.split('/')[1]));
    // Kept: the latest run, and the unsuccessful first one. Deleted: the third (succeeded, no longer the latest).
    expect([...after].sort()).toEqual([first.runId, fourth.runId].sort());
    void second;
  }, 120_000);

  maybe('a bucket that does not exist: StateError before any task runs', async () => {
    @Task() class One { run() { ran.push('One'); } }
    void One;
    const state = mkdtempSync(join(tmpdir(), 'bigrays-s3-ledger-'));
    const error = await runJob({ jobName: 'x', state, checkpoints: 's3://no-such-bucket-bigrays-test/p' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StateError);
    expect((error as Error).message).toContain('the checkpoint store (s3://no-such-bucket-bigrays-test/p) cannot be used');
    expect(ran).toEqual([]);
  });
});
