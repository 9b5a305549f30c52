import { buildPlan, type PlanOptions } from '../plan/planner.js';
import type { TaskClass } from '../metadata/records.js';
import { markJobRan } from '../job/registry.js';
import { executePlan, type RunOptions } from './runner.js';
import { JobFailedError, type JobResult } from './job-result.js';
import { getRunHost } from './host.js';
import { prepareRunLedger, type StateOptions } from './run-ledger.js';
import { isTaskClass } from '../metadata/records.js';

/** Options of `runJob`: which tasks, with which parameters, how to run them, and the run ledger. */
export type RunJobOptions = PlanOptions & RunOptions & StateOptions;

/** The run-ledger options `bigraysRun()` takes as its last argument. */
export type BigraysRunOptions = StateOptions;

/**
 * Runs the job: with no arguments every task of the job in definition order,
 * with arguments exactly those, in that order. Plans and validates first
 * (nothing runs if that fails). Resolves with the `JobResult`; rejects with
 * `JobFailedError` (carrying the same report) when a task failed.
 */
export function bigraysRun(...args: [...TaskClass[]] | [...TaskClass[], BigraysRunOptions]): Promise<JobResult> {
  const last = args[args.length - 1];
  const hasOptions = last !== undefined && typeof last === 'object' && last !== null && !isTaskClass(last);
  const options = hasOptions ? (last as BigraysRunOptions) : {};
  const tasks = (hasOptions ? args.slice(0, -1) : args) as TaskClass[];
  const host = getRunHost();
  if (host) {
    const pending = host.request(tasks);
    // The CLI reports the outcome itself; a module that does not await must not crash the process.
    pending.catch(() => undefined);
    return pending;
  }
  return runJob({ ...options, tasks });
}

/** `bigraysRun` with options: parameters (as `--param`), `only`/`from` filters, an observer, dry run. */
export async function runJob(options: RunJobOptions = {}): Promise<JobResult> {
  if (!options.tasks?.length) markJobRan();
  if (options.dryRun) {
    const result = await executePlan(buildPlan(options), options);
    return result;
  }
  // The ledger is read before planning (what to resume, which checkpoints exist) and written around the run.
  const { ledger, plan: fromLedger } = await prepareRunLedger(options);
  try {
    const parameters = fromLedger.parameters ?? options.parameters;
    const plan = buildPlan({ ...options, ...fromLedger, parameters });
    await ledger?.begin(plan, parameters);
    let result: JobResult | undefined;
    try {
      result = await executePlan(plan, { ...options, recorder: ledger });
    } finally {
      await ledger?.finish(result);
    }
    if (!result.ok) throw new JobFailedError(result);
    return result;
  } finally {
    await ledger?.close();
  }
}
