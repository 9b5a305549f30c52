import { relative } from 'node:path';
import type { TaskClass } from '../../metadata/records.js';
import { buildPlan } from '../../plan/planner.js';
import type { Plan } from '../../plan/plan.js';
import { JobResult } from '../../run/job-result.js';
import { loadJob } from '../load-job.js';
import { renderPlan } from '../render/plan-view.js';
import { renderDot, renderMermaid } from '../render/graph-view.js';
import { renderConfig } from '../render/config-view.js';
import type { CommonOptions } from '../args.js';
import { EXIT } from '../exit-codes.js';

/** Loads a job without running it and plans it (a `bigraysRun(A, B)` in the module picks the tasks). */
async function planJob(job: string, common: CommonOptions): Promise<Plan> {
  let requested: readonly TaskClass[] = [];
  await loadJob(job, async (tasks) => {
    requested = tasks;
    return new JobResult([], new Map(), 0);
  });
  // Missing configuration does not hide the job: plan lists it after the plan, graph draws anyway.
  return buildPlan({ tasks: requested, parameters: common.params, configuration: 'report' });
}

const label = (job: string) => relative(process.cwd(), job) || job;

export async function planCommand(job: string, common: CommonOptions): Promise<number> {
  const plan = await planJob(job, common);
  process.stdout.write(`${renderPlan(plan, label(job), Boolean(process.stdout.isTTY))}\n`);
  if (plan.configurationError) {
    process.stderr.write(`bigrays: ${plan.configurationError.message}\n`);
    return EXIT.invalid;
  }
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
