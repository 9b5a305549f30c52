import { relative } from 'node:path';
import { getTaskRecord, type TaskClass } from '../../metadata/records.js';
import { currentJobTasks } from '../../job/registry.js';
import { buildPlan } from '../../plan/planner.js';
import type { Plan } from '../../plan/plan.js';
import { JobResult } from '../../run/job-result.js';
import { loadJob } from '../load-job.js';
import { renderPlan } from '../render/plan-view.js';
import { renderDot, renderMermaid } from '../render/graph-view.js';
import { renderConfig } from '../render/config-view.js';
import type { CommonOptions, LedgerFlags } from '../args.js';
import { planWithLedger } from '../../state/plan-with-ledger.js';
import { renderLedgerPlan } from '../render/ledger-plan-view.js';
import { EXIT } from '../exit-codes.js';

/** Loads a job without running it and plans it (a `bigraysRun(A, B)` in the module picks the tasks). */
async function planJob(job: string, common: CommonOptions, readLedger = false): Promise<Plan> {
  let requested: readonly TaskClass[] = [];
  await loadJob(job, async (tasks) => {
    requested = tasks;
    return new JobResult([], new Map(), 0);
  });
  // Incremental tasks: the plan shows the cursor a run would start from, so it reads the ledger (nothing else does).
  const tasks = requested.length > 0 ? requested : currentJobTasks();
  if (readLedger && tasks.some((t) => getTaskRecord(t)?.options.incremental)) {
    return planWithLedger({ tasks: requested, parameters: common.params, jobFile: job });
  }
  return buildPlan({ tasks: requested, parameters: common.params });
}

/** `bigrays plan <job> --resume`: the plan of the resumed run, with each task's skip/restore/re-run decision. */
async function planResume(job: string, common: CommonOptions, ledger: LedgerFlags): Promise<Plan> {
  let requested: readonly TaskClass[] = [];
  await loadJob(job, async (tasks) => {
    requested = tasks;
    return new JobResult([], new Map(), 0);
  });
  return planWithLedger({ tasks: requested, parameters: common.params, jobFile: job, ...ledger });
}

const label = (job: string) => relative(process.cwd(), job) || job;

export async function planCommand(job: string, common: CommonOptions, ledger: LedgerFlags = {}): Promise<number> {
  const plan = ledger.resume ? await planResume(job, common, ledger) : await planJob(job, common, true);
  const text = [renderPlan(plan, label(job), Boolean(process.stdout.isTTY)), renderLedgerPlan(plan)].filter(Boolean).join('\n\n');
  process.stdout.write(`${text}\n`);
  return EXIT.ok;
}

export async function graphCommand(job: string, format: 'mermaid' | 'dot', common: CommonOptions): Promise<number> {
  const plan = await planJob(job, common);
  process.stdout.write(`${format === 'dot' ? renderDot(plan) : renderMermaid(plan)}\n`);
  return EXIT.ok;
}

export async function configCommand(job: string | undefined): Promise<number> {
  // Loading the job applies its BigraysConfig assignments, so their source shows as "code".
  if (job) await loadJob(job, async () => new JobResult([], new Map(), 0));
  process.stdout.write(`${renderConfig(Boolean(process.stdout.isTTY))}\n`);
  return EXIT.ok;
}
