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
  const inc = options.incremental;
  if (inc !== undefined) {
    if (inc === null || typeof inc !== 'object') throw bad('incremental', "must be { cursor: 'column', initial: value }");
    if (typeof inc.cursor !== 'string' || inc.cursor.trim() === '') throw bad('incremental.cursor', "must name the output column that orders the rows (e.g. 'updated_at')");
    const initial: unknown = inc.initial;
    const okInitial = typeof initial === 'string' || typeof initial === 'number' || typeof initial === 'bigint' || (initial instanceof Date && !Number.isNaN(initial.getTime()));
    if (!okInitial) throw bad('incremental.initial', 'must be the value before the first run: an ISO timestamp or Date, a number, a bigint or a string');
    if (inc.maxFuture !== undefined && !(typeof inc.maxFuture === 'number' && inc.maxFuture > 0)) throw bad('incremental.maxFuture', 'must be a number of milliseconds > 0');
  }
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
    const record: TaskRecord = { name: options.name ?? target.name, options: { ...options, ...(options.incremental ? { incremental: { ...options.incremental } } : {}) }, jobId };
    Reflect.defineMetadata(TASK_KEY, record, target);
  };
}
