import type { CheckpointSource, PlannedTask } from '../plan/plan.js';
import type { TaskReport } from './job-result.js';
import type { RunScope } from '../context/task-context.js';

/**
 * What the runner tells the run ledger, and asks of it. The runner knows
 * nothing of stores: it restores outputs and reports task ends through this.
 */
export interface RunRecorder {
  /** The run id the ledger gave this run. */
  readonly runId: string;
  /** An output from a checkpoint; rejects when the checkpoint is missing or changed (the task then runs). */
  restore(from: CheckpointSource, scope: RunScope): Promise<unknown>;
  /** A task ended (succeeded, failed, skipped, or restored): checkpoint its output and record it. */
  taskEnded(step: PlannedTask, index: number, report: TaskReport, output: unknown): Promise<void>;
}
