import 'reflect-metadata';
import '../metadata/symbol-metadata.js';
import { TASK_KEY } from '../metadata/keys.js';
import type { TaskClass, TaskOptions, TaskRecord } from '../metadata/records.js';
import { isStandardContext } from '../metadata/decorator-context.js';
import { DecoratorError } from '../errors/errors.js';
import { registerTask } from '../job/registry.js';

function checkOptions(className: string, options: TaskOptions): void {
  const { retries, retryDelayMs, timeout, name } = options;
  const bad = (attr: string, fix: string) =>
    new DecoratorError(`@Task() on ${className}: option '${attr}' ${fix}`);
  if (retries !== undefined && (!Number.isInteger(retries) || retries < 0)) throw bad('retries', 'must be a whole number ≥ 0');
  if (retryDelayMs !== undefined && !(retryDelayMs >= 0)) throw bad('retryDelayMs', 'must be a number ≥ 0');
  if (timeout !== undefined && !(timeout > 0)) throw bad('timeout', 'must be a number of milliseconds > 0');
  if (name !== undefined && (typeof name !== 'string' || name.trim() === '')) throw bad('name', 'must be a non-empty string');
}

/**
 * Marks a class as a task of the job being defined. Tasks run in definition
 * order unless `bigraysRun` is given an explicit list.
 *
 * @example
 * ```ts
 * @Task({ retries: 2 })
 * class Pull extends SQLQuery { query = 'select 1'; }
 * ```
 */
export function Task(options: TaskOptions = {}) {
  return function taskDecorator(target: TaskClass, context?: unknown): void {
    if (typeof target !== 'function' || (context !== undefined && isStandardContext(context) && context.kind !== 'class')) {
      throw new DecoratorError('@Task() decorates classes only: put it on the line before `class MyTask`');
    }
    checkOptions(target.name, options);
    const jobId = registerTask(target);
    const record: TaskRecord = { name: options.name ?? target.name, options: { ...options }, jobId };
    Reflect.defineMetadata(TASK_KEY, record, target);
  };
}
