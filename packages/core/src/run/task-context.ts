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
  readonly cursor?: import('./cursor.js').TaskCursor;
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
