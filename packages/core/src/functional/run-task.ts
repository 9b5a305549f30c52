import 'reflect-metadata';
import { TASK_KEY } from '../metadata/keys.js';
import type { Constructor, TaskRecord } from '../metadata/records.js';
import { runJob } from '../run/bigrays-run.js';
import { JobFailedError } from '../run/job-result.js';

/**
 * Runs one task built from a base class and attribute values, outside the
 * job being defined (the original's functional interface), and resolves to
 * its output. Spooled outputs stay until the process exits. A failure
 * rejects with the task's `TaskError` (the original error is its `cause`).
 *
 * @example `await runTask(ToCSV, { filename: 'out.csv', input: rows })`
 */
export async function runTask<T = unknown>(base: Constructor, attributes: Readonly<Record<string, unknown>>): Promise<T> {
  const OneOff = class extends (base as new () => object) {
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
    return result.output<T>(OneOff);
  } catch (error) {
    // One task ran: its own error (naming the task, with the cause attached) says more than "job failed".
    if (error instanceof JobFailedError && error.errors.length === 1) throw error.errors[0];
    throw error;
  }
}
