import { buildPlan, type PlanOptions } from '../plan/planner.js';
import type { TaskClass } from '../metadata/records.js';
import { markJobRan } from '../job/registry.js';
import { executePlan, type RunOptions } from './runner.js';
import { JobFailedError, type JobResult } from './job-result.js';
import { getRunHost } from './host.js';

/** Options of `runJob`: which tasks, with which parameters, and how to run them. */
export type RunJobOptions = PlanOptions & RunOptions;

/**
 * Runs the job: with no arguments every task of the job in definition order,
 * with arguments exactly those, in that order. Plans and validates first
 * (nothing runs if that fails). Resolves with the `JobResult`; rejects with
 * `JobFailedError` (carrying the same report) when a task failed.
 */
export function bigraysRun(...tasks: TaskClass[]): Promise<JobResult> {
  const host = getRunHost();
  if (host) {
    const pending = host.request(tasks);
    // The CLI reports the outcome itself; a module that does not await must not crash the process.
    pending.catch(() => undefined);
    return pending;
  }
  return runJob({ tasks });
}

/** `bigraysRun` with options: parameters (as `--param`), `only`/`from` filters, an observer, dry run. */
export async function runJob(options: RunJobOptions = {}): Promise<JobResult> {
  if (!options.tasks?.length) markJobRan();
  const plan = buildPlan(options);
  const result = await executePlan(plan, options);
  if (!result.ok) throw new JobFailedError(result);
  return result;
}
