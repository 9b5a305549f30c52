import { AsyncLocalStorage } from 'node:async_hooks';

/** Rows and bytes a task has moved so far (absolute totals). */
export interface Progress {
  rows?: number;
  bytes?: number;
}

/** Per-run services that outlive a single task (spool files to delete at job end). */
export interface RunScope {
  /** Registers work to do when the job ends, succeeded or failed. */
  onJobEnd(cleanup: () => void | Promise<void>): void;
}

/** What the runner tells the code of the task that is running now. */
export interface TaskScope {
  readonly task: string;
  /** Aborted when the task times out or the job is interrupted. */
  readonly signal: AbortSignal;
  readonly run: RunScope;
  report(progress: Progress): void;
  /** An incremental task's cursor (see `taskCursor()`). */
  readonly cursor?: TaskCursor;
}

const storage = new AsyncLocalStorage<TaskScope>();

/** Runs `fn` with `scope` as the current task (used by the runner). */
export function withTaskScope<T>(scope: TaskScope, fn: () => T): T {
  return storage.run(scope, fn);
}

/** The task running in this async context, if any. */
export function currentTask(): TaskScope | undefined {
  return storage.getStore();
}

/**
 * Reports how many rows/bytes the current task has moved so far; the CLI
 * shows it live and the job report keeps the last value. No-op outside a run.
 */
export function reportProgress(progress: Progress): void {
  storage.getStore()?.report(progress);
}

const never = new AbortController().signal;

/** The current task's abort signal (never aborted outside a run). Long work should stop when it fires. */
export function taskSignal(): AbortSignal {
  return storage.getStore()?.signal ?? never;
}

/** The cursor of the incremental task that is running. */
export interface TaskCursor {
  /** The output column the cursor follows. */
  readonly column: string;
  /** The value this run reads from: the last committed one, or `initial` (a `Date` for timestamps). */
  readonly value: Date | number | bigint | string;
  /**
   * Moves the cursor to `value` (instead of taking the greatest `column` value
   * of the output). Committed to the ledger only when the whole run succeeds;
   * a value behind the current one is ignored.
   */
  advance(value: Date | number | bigint | string): void;
}
