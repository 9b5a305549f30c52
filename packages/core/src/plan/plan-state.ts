/**
 * The planner's side of the run ledger: what the caller read from the
 * ledger before planning (the run to resume, the latest checkpoint of each
 * task), and the decisions the planner takes from it. Pure: no I/O here.
 *
 * @module
 */
import type { TaskRunRecord } from '../state/ledger.js';
import type { CheckpointSource, ResumeDecision } from './plan.js';

/** What the ledger knows that the plan depends on. */
export interface PlanStateInput {
  /** `--resume`: the run being resumed, its task records by name. */
  readonly resume?: { readonly runId: string; readonly tasks: ReadonlyMap<string, TaskRunRecord> };
  /** The newest checkpoint of each task name among the runs the ledger keeps. */
  readonly latestCheckpoints: ReadonlyMap<string, CheckpointSource>;
  /** False with `BIGRAYS_STATE=off`: nothing can be restored. */
  readonly enabled: boolean;
}

/** What `--resume` does with a task, given the resumed run's record of it. */
export function resumeDecision(runId: string, record: TaskRunRecord | undefined): ResumeDecision {
  if (!record) return { action: 'run', reason: `did not run in ${runId}` };
  if (record.status === 'succeeded') {
    if (record.checkpoint) {
      const origin = record.restoredFrom ?? runId;
      return { action: 'restore', reason: `succeeded in ${origin}: output restored from its checkpoint`, from: { runId: origin, checkpoint: record.checkpoint } };
    }
    return { action: 'run', reason: `succeeded in ${runId}, but ${record.notCheckpointed ?? 'its output was not checkpointed'}: runs again` };
  }
  if (record.status === 'failed') return { action: 'run', reason: `failed in ${runId}${record.error ? ` (${firstLine(record.error)})` : ''}` };
  return { action: 'run', reason: `was skipped in ${runId}` };
}

/**
 * An upstream output the run needs but does not produce (`--from X`,
 * `--only X`): the latest checkpoint of it, or a `PlanError` worded for the
 * flag the user typed.
 */
export function upstreamCheckpoint(
  state: PlanStateInput | undefined,
  flag: { readonly name: '--from' | '--only'; readonly text: string } | undefined,
  upstream: string,
  consumer: string,
  property: string,
): CheckpointSource | string {
  const found = state?.enabled ? state.latestCheckpoints.get(upstream) : undefined;
  if (found) return found;
  if (!flag) return `${consumer}.${property} needs the output of ${upstream}, which is not part of this run: add ${upstream} to the run (or to --only)`;
  const why = state?.enabled ? `no run in the run ledger has a checkpoint of it` : 'the run ledger is off (BIGRAYS_STATE=off), so no checkpoint of it can be restored';
  const fix = flag.name === '--from' ? `start earlier (--from ${upstream})` : `add it (--only ${upstream},${consumer})`;
  return `${flag.text}: ${consumer}.${property} needs the output of ${upstream}, which ${flag.name} leaves out, and ${why}: run the whole job once so its output is checkpointed, or ${fix}`;
}

function firstLine(text: string): string {
  const line = text.split('\n')[0] ?? '';
  return line.length > 160 ? `${line.slice(0, 157)}...` : line;
}


