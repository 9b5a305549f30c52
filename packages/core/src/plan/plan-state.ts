/**
 * The planner's side of the run ledger: what the caller read from the
 * ledger before planning (the run to resume, the latest checkpoint of each
 * task), and the decisions the planner takes from it. Pure: no I/O here.
 *
 * @module
 */
import type { TaskRunRecord } from '../state/ledger.js';
import type { CheckpointSource, PlannedCursor, ResumeDecision } from './plan.js';
import type { TaskOptions } from '../metadata/records.js';
import { cursorKindOf, cursorText } from '../state/cursor-value.js';

/** What the ledger knows that the plan depends on. */
export interface PlanStateInput {
  /** `--resume`: the run being resumed, its task records by name. */
  readonly resume?: { readonly runId: string; readonly tasks: ReadonlyMap<string, TaskRunRecord> };
  /** The newest checkpoint of each task name among the runs the ledger keeps. */
  readonly latestCheckpoints: ReadonlyMap<string, CheckpointSource>;
  /** False with `BIGRAYS_STATE=off`: nothing can be restored, and incremental tasks cannot run. */
  readonly enabled: boolean;
  /** Committed cursors of incremental tasks, by task name (`null` after `bigrays state --reset`). */
  readonly cursors?: ReadonlyMap<string, string | null>;
  /** `--full-refresh`: incremental tasks start from `initial`. */
  readonly fullRefresh?: boolean;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** An incremental task's cursor for this run, or a problem to report. */
export function planCursor(name: string, options: TaskOptions, state: PlanStateInput | undefined): PlannedCursor | string | undefined {
  const inc = options.incremental;
  if (!inc) return undefined;
  if (state && !state.enabled) {
    return `${name} is incremental (@Task({ incremental })), which needs the run ledger to remember its cursor, but BIGRAYS_STATE=off: unset BIGRAYS_STATE (or point it at a ledger), or remove the incremental option`;
  }
  const kind = cursorKindOf(inc.initial);
  const initial = cursorText(kind, inc.initial)!;
  const base = { column: inc.cursor, kind, maxFutureMs: inc.maxFuture ?? DAY_MS };
  if (state?.fullRefresh) return { ...base, value: initial, source: 'full-refresh' };
  const committed = state?.cursors?.get(name);
  if (committed === undefined || committed === null) return { ...base, value: initial, source: 'initial' };
  return { ...base, value: committed, source: 'ledger' };
}

/** What `--resume` does with a task, given the resumed run's record of it. */
export function resumeDecision(runId: string, record: TaskRunRecord | undefined): ResumeDecision {
  if (!record) return { action: 'run', reason: `did not run in ${runId}` };
  if (record.status === 'succeeded') {
    if (record.checkpoint) {
      const origin = record.restoredFrom ?? runId;
      return {
        action: 'restore',
        reason: `succeeded in ${origin}: output restored from its checkpoint`,
        from: { runId: origin, checkpoint: record.checkpoint },
        ...(record.cursor ? { cursor: record.cursor } : {}),
      };
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


