import type { TaskClass } from '../metadata/records.js';
import { getTaskRecord } from '../metadata/records.js';
import { currentJobTasks } from '../job/registry.js';
import { buildPlan, type PlanOptions } from '../plan/planner.js';
import type { Plan } from '../plan/plan.js';
import { JobResult } from '../run/job-result.js';
import { planWithLedger } from '../run/plan-with-ledger.js';
import type { LedgerFlags } from './args.js';
import { loadJob } from './load-job.js';

/** What selects and fills the tasks of a plan: the command line's `--param`, `--only`, `--from`. */
export type PlanJobOptions = Omit<PlanOptions, 'tasks'>;

/**
 * When the plan reads the run ledger: `always` (a dry run shows what
 * `--resume`/`--from`/`--only` would restore), or `incremental` (only when a
 * task is incremental, to show the cursor it would start from: `bigrays plan`
 * of any other job opens no ledger).
 */
export interface PlanJobLedger extends LedgerFlags {
  read: 'always' | 'incremental';
}

/**
 * Loads a job without running it and plans it: `bigrays plan`, `graph` and
 * `--dry-run` all go through here. A `bigraysRun(A, B)` in the module picks
 * the tasks (and gets an empty result back); nothing runs.
 */
export async function planJob(job: string, options: PlanJobOptions = {}, ledger?: PlanJobLedger): Promise<Plan> {
  let requested: readonly TaskClass[] = [];
  await loadJob(job, async (tasks) => {
    requested = tasks;
    return new JobResult([], new Map(), 0);
  });
  if (ledger) {
    const { read, ...flags } = ledger;
    const tasks = requested.length > 0 ? requested : currentJobTasks();
    if (read === 'always' || flags.resume !== undefined || tasks.some((t) => getTaskRecord(t)?.options.incremental)) {
      return planWithLedger({ tasks: requested, ...options, jobFile: job, ...flags });
    }
  }
  return buildPlan({ tasks: requested, ...options });
}
