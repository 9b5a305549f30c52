import 'reflect-metadata';
import { INPUTS_KEY, REQUIRES_KEY, TASK_KEY } from './keys.js';
import type { ResourceClass } from '../resources/resource.js';
import { standardMetadata } from './decorator-context.js';

/** Any class: tasks are instantiated with no constructor arguments. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Constructor<T = any> = abstract new (...args: any[]) => T;

/** A class marked with `@Task()`. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type TaskClass<T = any> = new () => T;

/** Options of `@Task(options)`. */
export interface TaskOptions {
  /** Display name; defaults to the class name. */
  name?: string;
  /** Run even after an earlier task failed (e.g. to send an alert). */
  runWithExceptions?: boolean;
  /** Re-run a failed task this many times, with exponential backoff. */
  retries?: number;
  /** First backoff delay in milliseconds (doubles on each retry). Default 500. */
  retryDelayMs?: number;
  /** Fail the task when one attempt runs longer than this many milliseconds. */
  timeout?: number;
  /**
   * Parameters this task sets with `updateFormatKws()` while it runs. Later
   * tasks may use them in templates: the plan accepts them unset, and they are
   * filled when the later task starts.
   */
  setsParameters?: readonly string[];
  /**
   * An incremental task: reads only what is new since the last successful run.
   * `:cursor` (SQL) and `{cursor}` (templates) hold the last committed value of
   * the `cursor` column (or `initial`); after the run succeeds, the greatest
   * value of that column in the task's output is committed in the run ledger.
   */
  incremental?: IncrementalOptions;
}

/** `@Task({ incremental })`. */
export interface IncrementalOptions {
  /** The column of the output whose greatest value is the next cursor (e.g. `updated_at`). */
  cursor: string;
  /** The value before the first run (and with `--full-refresh`); its type is the cursor's: an ISO timestamp or `Date`, a number, a bigint, or text. */
  initial: string | number | bigint | Date;
  /** A new value more than this many milliseconds ahead of now fails the task (a clock or data bug). Default one day. */
  maxFuture?: number;
}

/** What `@Task()` records on a class. */
export interface TaskRecord {
  readonly name: string;
  readonly options: Readonly<TaskOptions>;
  /** Job scope the task was defined in (see `job/registry.ts`). */
  readonly jobId: number;
}

/** What `@Requires()` records on a class. */
export interface RequiresRecord {
  readonly resource: ResourceClass;
  readonly config: Readonly<Record<string, string>>;
}

/** What `@Input()` records for one property. */
export interface InputRecord {
  readonly property: string;
  /** The upstream task class, or a thunk returning it (for forward references). */
  readonly upstream: Constructor | (() => Constructor);
  readonly lazy: boolean;
}

export function getTaskRecord(target: object): TaskRecord | undefined {
  // Own metadata only: a subclass of a task is not a task until it is decorated.
  return Reflect.getOwnMetadata(TASK_KEY, target) as TaskRecord | undefined;
}

export function isTaskClass(target: unknown): target is TaskClass {
  return typeof target === 'function' && getTaskRecord(target) !== undefined;
}

export function getRequiresRecord(target: object): RequiresRecord | undefined {
  // Inherited: a subclass of SQLQuery requires SQLSession too.
  return Reflect.getMetadata(REQUIRES_KEY, target) as RequiresRecord | undefined;
}

/** Inputs declared with legacy decorators (class metadata) or standard ones (`Symbol.metadata`). */
export function getInputRecords(target: object): readonly InputRecord[] {
  const legacy = (Reflect.getMetadata(INPUTS_KEY, target) as InputRecord[] | undefined) ?? [];
  const standard = (standardMetadata(target)?.[INPUTS_KEY] as InputRecord[] | undefined) ?? [];
  return standard.length === 0 ? legacy : [...legacy.filter((l) => !standard.some((s) => s.property === l.property)), ...standard];
}

/** Resolves an input's upstream class (calling the thunk of `@Input(() => X)`). */
export function resolveUpstream(record: InputRecord): Constructor {
  return record.lazy ? (record.upstream as () => Constructor)() : (record.upstream as Constructor);
}

export function taskName(target: object): string {
  return getTaskRecord(target)?.name ?? (target as { name?: string }).name ?? '<anonymous>';
}
