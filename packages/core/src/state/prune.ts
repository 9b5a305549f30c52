/**
 * Which runs keep their checkpoints: the latest run of the job (whatever its
 * status, so `--from`/`--only` can restore upstream outputs) and the last
 * `BIGRAYS_KEEP_RUNS` (default 5) unsuccessful ones (so they can be resumed).
 * Checkpoints of every other run are deleted, except those a kept run
 * restored from and still points at.
 *
 * @module
 */
import { BigraysConfig } from '../config/config.js';
import { activeLogger } from '../logging/logger.js';
import type { CheckpointStore, LedgerStore, RunSummary } from './ledger.js';

export const DEFAULT_KEEP_RUNS = 5;

/** `BIGRAYS_KEEP_RUNS`, or the default. */
export function keepRuns(): number {
  const raw = BigraysConfig.KEEP_RUNS;
  const n = raw === undefined || raw.trim() === '' ? DEFAULT_KEEP_RUNS : Number(raw);
  return Number.isInteger(n) && n >= 0 ? n : DEFAULT_KEEP_RUNS;
}

/** The runs (newest first) whose checkpoints are kept. */
export function keptRuns(runs: readonly RunSummary[], keep = keepRuns()): RunSummary[] {
  const kept: RunSummary[] = [];
  let unsuccessful = 0;
  runs.forEach((run, i) => {
    if (i === 0) kept.push(run);
    else if (run.status !== 'succeeded' && unsuccessful < keep) kept.push(run);
    if (run.status !== 'succeeded') unsuccessful++;
  });
  return kept;
}

/**
 * Deletes the checkpoints of runs that fell out of the kept set. Looks at a
 * window of recent runs: older ones were pruned when they fell out.
 */
export async function pruneCheckpoints(store: LedgerStore, checkpoints: CheckpointStore, job: string, keep = keepRuns()): Promise<void> {
  const runs = await store.listRuns(job, keep + 20);
  const kept = keptRuns(runs, keep);
  const keptIds = new Set(kept.map((r) => r.runId));
  // A run that restored outputs (--resume, --from, --only) points at checkpoints in the earlier runs' folders.
  const referenced = new Set(kept.flatMap((run) => run.uses ?? []));
  for (const run of runs) {
    if (keptIds.has(run.runId) || referenced.has(run.runId)) continue;
    try {
      await checkpoints.deleteRun(run.runId);
    } catch (error) {
      activeLogger('warn')?.warn(`could not delete the checkpoints of run ${run.runId} in ${checkpoints.description}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}
