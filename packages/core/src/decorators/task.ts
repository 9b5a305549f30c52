import 'reflect-metadata';
import '../metadata/symbol-metadata.js';
import { TASK_KEY } from '../metadata/keys.js';
import { getTaskRecord, type TaskClass, type TaskOptions, type TaskRecord } from '../metadata/records.js';
import { isStandardContext } from '../metadata/decorator-context.js';
import { DecoratorError } from '../errors/errors.js';
import { registerTask } from '../job/registry.js';
import { throwInputProblems } from './input.js';

const OPTIONS = ['name', 'runWithExceptions', 'retries', 'retryDelayMs', 'timeout', 'setsParameters'];
const camel = (snake: string) => snake.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());

function checkOptions(className: string, options: TaskOptions): void {
  // An option ported from Python (`run_with_exceptions`) would be silently ignored: options are camelCase.
  for (const key of Object.keys(options)) {
    if (!key.includes('_')) continue;
    const fix = OPTIONS.includes(camel(key)) ? `write ${camel(key)}` : `options are camelCase, e.g. ${OPTIONS.join(', ')}`;
    throw new DecoratorError(`@Task() on ${className}: unknown option '${key}' (a Python name): ${fix}`);
  }
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
  const sets = options.setsParameters;
  if (sets !== undefined && (!Array.isArray(sets) || sets.some((p) => typeof p !== 'string'))) throw bad('setsParameters', "must be a list of parameter names such as ['run_date']");
}

/**
 * Marks a class as a task of the job being defined. Tasks run in definition
 * order unless `bigraysRun` is given an explicit list. `@Task` without
 * parentheses works too.
 *
 * @example
 * ```ts
 * @Task({ retries: 2 })
 * class Pull extends SQLQuery { query = 'select 1'; }
 * ```
 */
export function Task(target: TaskClass, context?: unknown): void;
export function Task(options?: TaskOptions): (target: TaskClass, context?: unknown) => void;
export function Task(optionsOrTarget: TaskOptions | TaskClass = {}, context?: unknown): ((target: TaskClass, context?: unknown) => void) | void {
  // `@Task` written bare: the class itself is the argument. Register it rather than return a decorator nobody calls.
  if (typeof optionsOrTarget === 'function') return decorate(optionsOrTarget, context, {});
  const options = optionsOrTarget;
  return function taskDecorator(target: TaskClass, context?: unknown): void {
    decorate(target, context, options);
  };
}

function decorate(target: TaskClass, context: unknown, options: TaskOptions): void {
  if (typeof target !== 'function' || (context !== undefined && isStandardContext(context) && context.kind !== 'class')) {
    throw new DecoratorError('@Task() decorates classes only: put it on the line before `class MyTask`');
  }
  if (typeof options !== 'object' || options === null) {
    throw new DecoratorError(`@Task() on ${target.name}: options must be an object such as { retries: 2 }`);
  }
  if (isStandardContext(context)) throwInputProblems(target.name, context.metadata);
  checkOptions(target.name, options);
  const jobId = registerTask(target);
  const record: TaskRecord = { name: options.name ?? target.name, options: { ...options, ...(options.incremental ? { incremental: { ...options.incremental } } : {}) }, jobId };
  Reflect.defineMetadata(TASK_KEY, record, target);
  describeClass(target);
}

const INSPECT = Symbol.for('nodejs.util.inspect.custom');

/**
 * A task class reads as its name in messages (`${MyTask}`), not as its
 * whole source, and as `[Task MyTask extends SQLQuery]` in the REPL and
 * `console.log`. A class's own `toString` is left alone.
 */
function describeClass(target: TaskClass): void {
  // Functions of `this`: a subclass inherits them and reads as itself.
  function name(this: TaskClass): string {
    return getTaskRecord(this)?.name ?? this.name;
  }
  function shown(this: TaskClass): string {
    const base = (Object.getPrototypeOf(this) as { name?: string }).name;
    return `[${getTaskRecord(this) ? 'Task' : 'class'} ${name.call(this)}${base ? ` extends ${base}` : ''}]`;
  }
  if (!Object.hasOwn(target, 'toString')) {
    Object.defineProperty(target, 'toString', { value: name, configurable: true, writable: true, enumerable: false });
  }
  if (!Object.hasOwn(target, INSPECT)) {
    Object.defineProperty(target, INSPECT, { value: shown, configurable: true, writable: true, enumerable: false });
  }
}
