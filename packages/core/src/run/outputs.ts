import type { TaskClass } from '../metadata/records.js';

// Keyed weakly by class: a discarded job's tasks and outputs can be collected.
const lastOutputs = new WeakMap<TaskClass, unknown>();

export function recordOutput(task: TaskClass, output: unknown): void {
  lastOutputs.set(task, output);
}

/** The output of `task` from the most recent run in which it succeeded. */
export function outputOf<T = unknown>(task: TaskClass): T {
  return lastOutputs.get(task) as T;
}
