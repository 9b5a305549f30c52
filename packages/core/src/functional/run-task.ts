import 'reflect-metadata';
import { TASK_KEY } from '../metadata/keys.js';
import type { Constructor, TaskRecord } from '../metadata/records.js';
import { runJob } from '../run/bigrays-run.js';
import { JobFailedError } from '../run/job-result.js';

/** The instance a task class builds. */
type InstanceOf<C extends Constructor> = C extends abstract new (...args: never[]) => infer I ? I : never;

/** The attributes `runTask` may set on a task class: its non-method instance properties, each optional. */
export type TaskAttributes<C extends Constructor> = {
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  [K in keyof InstanceOf<C> as InstanceOf<C>[K] extends Function ? never : K]?: InstanceOf<C>[K];
};

/** What a task class's `run()` resolves to (`unknown` when it declares none). */
export type TaskOutput<C extends Constructor> = InstanceOf<C> extends { run(...args: never[]): infer R } ? Awaited<R> : unknown;

/**
 * Runs one task built from a base class and attribute values, outside the
 * job being defined (the original's functional interface), and resolves to
 * its output. Spooled outputs stay until the process exits. A failure
 * rejects with the task's `TaskError` (the original error is its `cause`).
 *
 * The attributes are typed by the class (its non-method properties) and the
 * output by its `run()`; `runTask<T>(...)` states the output type instead.
 *
 * @example `await runTask(ToCSV, { filename: 'out.csv', input: rows })` (a `Promise<string>`)
 */
export async function runTask<T = never, C extends Constructor = Constructor>(
  base: C,
  attributes: Readonly<TaskAttributes<C>>,
): Promise<[NoInfer<T>] extends [never] ? TaskOutput<C> : NoInfer<T>> {
  type Output = [T] extends [never] ? TaskOutput<C> : T;
  const OneOff = class extends (base as Constructor as new () => object) {
    constructor() {
      super();
      Object.assign(this, attributes);
    }
  };
  Object.defineProperty(OneOff, 'name', { value: base.name });
  // Recorded directly rather than through @Task(): a one-off task must not join the job being defined.
  const record: TaskRecord = { name: base.name, options: {}, jobId: 0 };
  Reflect.defineMetadata(TASK_KEY, record, OneOff);
  try {
    // A one-off task is not a run of a job: nothing to record, resume or lease.
    const result = await runJob({ tasks: [OneOff], deferCleanup: true, state: 'off' });
    return result.output<Output>(OneOff);
  } catch (error) {
    // One task ran: its own error (naming the task, with the cause attached) says more than "job failed".
    if (error instanceof JobFailedError && error.errors.length === 1) throw error.errors[0];
    throw error;
  }
}
