/**
 * Writing a task's output to a checkpoint when it succeeds, and restoring
 * it in a later run. A checkpoint is restored only when its bytes are the
 * ones written (SHA-256): a deleted or changed file makes the task run
 * again, never hands a wrong value downstream.
 *
 * @module
 */
import { errorMessage } from '../errors/message.js';
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Dataset, DATASET_INIT } from '../data/dataset.js';
import { encodeCsvHeader } from '../data/csv-writer.js';
import { spoolDir, trackSpoolFile, untrackSpoolFile } from '../data/spool-files.js';
import type { ColumnType } from '../data/column-types.js';
import type { RunScope } from '../context/task-context.js';
import { decodeCheckpoint, encodeCheckpoint, notCheckpointable } from './checkpoint-codec.js';
import type { CheckpointRef, CheckpointStore } from './ledger.js';

/** The outcome of checkpointing one output. */
export type CheckpointOutcome = { checkpoint: CheckpointRef } | { notCheckpointed: string };

/** JSON checkpoints up to this many characters are kept inline in the run's record. */
const INLINE_LIMIT = 16 * 1024;

/** A task name as part of a file name. */
const fileSafe = (name: string) => name.replace(/[^\w.-]+/g, '_').slice(0, 80);

/** Checkpoints `output` of the task at `index` of run `runId`, when it can be restored exactly. */
export async function writeCheckpoint(store: CheckpointStore | undefined, runId: string, index: number, task: string, output: unknown): Promise<CheckpointOutcome> {
  const base = `${runId}/${String(index).padStart(5, '0')}-${fileSafe(task)}`;
  const noStore = 'the ledger keeps no checkpoint files here (a database ledger): set BIGRAYS_CHECKPOINTS to a folder or s3:// to checkpoint it';
  if (output instanceof Dataset) {
    if (!store) return { notCheckpointed: `its Dataset cannot be checkpointed: ${noStore}` };
    if (output.deleted) return { notCheckpointed: 'its Dataset was deleted before the task ended' };
    const location = `${base}.csv`;
    const sha256 = await hashFile(output.path);
    await store.putFile(location, output.path);
    return {
      checkpoint: {
        kind: 'dataset',
        location,
        bytes: output.byteLength,
        sha256,
        dataset: {
          columns: [...output.columns],
          columnTypes: [...output.columnTypes],
          rowCount: output.rowCount,
          headerLength: Buffer.byteLength(encodeCsvHeader(output.columns)),
        },
      },
    };
  }
  const why = notCheckpointable(output);
  if (why) return { notCheckpointed: `its output (${why}) cannot be restored exactly` };
  const text = encodeCheckpoint(output);
  // Small outputs ride in the ledger record: one write per task instead of a file each (the 10,000-task job).
  if (text.length <= INLINE_LIMIT) {
    const bytes = Buffer.byteLength(text);
    return { checkpoint: { kind: 'json', location: 'inline', inline: text, bytes, sha256: sha256Of(Buffer.from(text)) } };
  }
  if (!store) return { notCheckpointed: `its output is over ${INLINE_LIMIT / 1024} KB: ${noStore}` };
  const data = Buffer.from(text);
  const location = `${base}.json`;
  await store.putBytes(location, data);
  return { checkpoint: { kind: 'json', location, bytes: data.length, sha256: sha256Of(data) } };
}

/** A checkpoint that cannot be restored; the message says why. */
export class CheckpointUnusableError extends Error {}

/** Restores an output; throws `CheckpointUnusableError` when the checkpoint is missing or changed. */
export async function restoreCheckpoint(store: CheckpointStore | undefined, ref: CheckpointRef, scope: RunScope): Promise<unknown> {
  if (ref.kind === 'json') {
    let data: Buffer;
    const where = ref.inline !== undefined ? '(kept in the run record)' : ref.location;
    try {
      if (ref.inline === undefined && !store) throw new Error('no checkpoint store is configured');
      data = ref.inline !== undefined ? Buffer.from(ref.inline) : await store!.getBytes(ref.location);
    } catch (error) {
      throw new CheckpointUnusableError(`its checkpoint ${where} is missing (${errorMessage(error)})`, { cause: error });
    }
    if (data.length !== ref.bytes || sha256Of(data) !== ref.sha256) throw new CheckpointUnusableError(`its checkpoint ${where} was changed since it was written`);
    try {
      return decodeCheckpoint(data.toString('utf8'));
    } catch (error) {
      throw new CheckpointUnusableError(`its checkpoint ${where} cannot be read (${errorMessage(error)})`, { cause: error });
    }
  }
  const meta = ref.dataset;
  if (!store) throw new CheckpointUnusableError(`its checkpoint ${ref.location} is in a checkpoint store that is not configured (BIGRAYS_CHECKPOINTS)`);
  if (!meta) throw new CheckpointUnusableError(`its checkpoint ${ref.location} lacks the Dataset's columns`);
  const path = join(spoolDir(), `${Date.now().toString(36)}-${randomBytes(6).toString('hex')}.csv`);
  trackSpoolFile(path);
  const discard = async () => {
    untrackSpoolFile(path);
    await rm(path, { force: true });
  };
  try {
    await store.getFile(ref.location, path);
    const size = (await stat(path)).size;
    if (size !== ref.bytes || (await hashFile(path)) !== ref.sha256) throw new CheckpointUnusableError(`its checkpoint ${ref.location} was changed since it was written`);
  } catch (error) {
    await discard();
    if (error instanceof CheckpointUnusableError) throw error;
    throw new CheckpointUnusableError(`its checkpoint ${ref.location} is missing (${errorMessage(error)})`, { cause: error });
  }
  const dataset = new Dataset(DATASET_INIT, {
    path,
    columns: meta.columns,
    columnTypes: meta.columnTypes as ColumnType[],
    rowCount: meta.rowCount,
    byteLength: ref.bytes,
    headerLength: meta.headerLength,
  });
  // Like a spooled result: the restored file goes when the job ends (the checkpoint stays).
  scope.onJobEnd(() => dataset.delete());
  return dataset;
}

function sha256Of(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

async function hashFile(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

