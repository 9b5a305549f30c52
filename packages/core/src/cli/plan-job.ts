import type { TaskClass } from '../metadata/records.js';
import { buildPlan, type PlanOptions } from '../plan/planner.js';
import type { Plan } from '../plan/plan.js';
import { JobResult } from '../run/job-result.js';
import { loadJob } from './load-job.js';

/** What selects and fills the tasks of a plan: the command line's `--param`, `--only`, `--from`. */
export type PlanJobOptions = Omit<PlanOptions, 'tasks'>;

/**
 * Loads a job without running it and plans it: `bigrays plan`, `graph` and
 * `--dry-run` all go through here. A `bigraysRun(A, B)` in the module picks
 * the tasks (and gets an empty result back); nothing runs.
 */
export async function planJob(job: string, options: PlanJobOptions = {}): Promise<Plan> {
  let requested: readonly TaskClass[] = [];
  await loadJob(job, async (tasks) => {
    requested = tasks;
    return new JobResult([], new Map(), 0);
  });
  return buildPlan({ tasks: requested, ...options });
}
