import { TaskError } from '../errors/errors.js';
import { currentTask } from './task-context.js';

/** The name of the task running now, or `fallback` (a resource's name) when the code runs outside a task. */
export function runningTaskName(fallback: string): string {
  return currentTask()?.task ?? fallback;
}

/**
 * The error a helper (a resource method, an upload, a query) throws for the
 * task that called it: a `TaskError` naming the running task (`fallback`
 * outside one), message `Task: …`, the cause attached.
 */
export function runningTaskError(fallback: string, message: string, options: { cause?: unknown; userError?: boolean } = {}): TaskError {
  const task = runningTaskName(fallback);
  return new TaskError(task, `${task}: ${message}`, options);
}
