import { BigraysError, type TaskError } from '../errors/errors.js';
import { taskName, type TaskClass } from '../metadata/records.js';

/** How one task ended. `planned` is a dry run's status. */
export type TaskStatus = 'succeeded' | 'failed' | 'skipped' | 'planned';

/** One task's report. */
export interface TaskReport {
  readonly name: string;
  readonly status: TaskStatus;
  readonly durationMs: number;
  /** Attempts made (1 + retries used). 0 when the task did not run. */
  readonly attempts: number;
  readonly rows?: number;
  readonly bytes?: number;
  /** Why it failed (a `TaskError` whose `cause` is what the task threw). */
  readonly error?: TaskError;
  /** Why it was skipped. */
  readonly reason?: string;
  /** Not run: its output was restored from the checkpoint of this earlier run (`--resume`). */
  readonly restoredFrom?: string;
  /** An incremental task: the cursor it read from and the one it reached (committed when the run succeeds). */
  readonly cursor?: { readonly from: string | null; readonly to: string | null };
}

/** The outcome of a run: per-task reports and outputs. */
export class JobResult {
  /** True when every task succeeded (or was planned, in a dry run) and every resource closed cleanly. */
  readonly ok: boolean;

  constructor(
    readonly tasks: readonly TaskReport[],
    private readonly outputs: ReadonlyMap<TaskClass, unknown>,
    readonly durationMs: number,
    /** Errors not tied to a task: a resource that failed to close. */
    readonly errors: readonly BigraysError[] = [],
    /** Set when SIGINT/SIGTERM/SIGHUP stopped the run. */
    readonly interrupted?: NodeJS.Signals,
    /** The run's id in the run ledger (unset with `BIGRAYS_STATE=off`). */
    readonly runId?: string,
  ) {
    this.ok = errors.length === 0 && !interrupted && tasks.every((t) => t.status === 'succeeded' || t.status === 'planned');
  }

  /** The output of `task` in this run (undefined if it did not succeed). */
  output<T = unknown>(task: TaskClass): T {
    return this.outputs.get(task) as T;
  }

  /** The report of `task`, by class or name. */
  report(task: TaskClass | string): TaskReport | undefined {
    const name = typeof task === 'string' ? task : taskName(task);
    return this.tasks.find((t) => t.name === name);
  }

  get failed(): string[] {
    return this.tasks.filter((t) => t.status === 'failed').map((t) => t.name);
  }

  get skipped(): string[] {
    return this.tasks.filter((t) => t.status === 'skipped').map((t) => t.name);
  }
}

/** Thrown (rejected) by `bigraysRun` when a task failed; carries the full report. */
export class JobFailedError extends BigraysError {
  readonly result: JobResult;
  /** Every task error, each with the original error as its `cause`. */
  readonly errors: readonly BigraysError[];

  constructor(result: JobResult) {
    const taskErrors = result.tasks.flatMap((t) => (t.error ? [t.error] : []));
    const errors: BigraysError[] = [...taskErrors, ...result.errors];
    const parts: string[] = [];
    if (result.interrupted) parts.push(`interrupted by ${result.interrupted}`);
    if (result.failed.length > 0) parts.push(`failed: ${result.failed.join(', ')}`);
    if (result.skipped.length > 0) parts.push(`skipped: ${result.skipped.join(', ')}`);
    for (const e of result.errors) parts.push(e.message);
    super('job-failed', `job failed (${parts.join('; ')})`, { cause: errors[0], userError: false });
    this.result = result;
    this.errors = errors;
  }
}
