import { dirname, relative, resolve } from 'node:path';
import { JobResult } from '../../run/job-result.js';
import { loadJob } from '../load-job.js';
import { planJob } from '../plan-job.js';
import { renderPlan } from '../render/plan-view.js';
import { renderDot, renderMermaid } from '../render/graph-view.js';
import { renderConfig } from '../render/config-view.js';
import { discoverConfigKeys } from '../discover-config-keys.js';
import { declareConfigKeys, declaredConfigKeys } from '../../config/config-keys.js';
import { RUN_LEDGER_CONFIG_KEYS } from '../../state/config-keys.js';
import type { CommonOptions, LedgerFlags } from '../args.js';
import { renderLedgerPlan } from '../render/ledger-plan-view.js';
import { EXIT } from '../exit-codes.js';

const label = (job: string) => relative(process.cwd(), job) || job;

/** `bigrays plan <job> [--resume [runId]]`: with --resume, each task's skip/restore/re-run decision; missing configuration listed after the plan (exit 2). */
export async function planCommand(job: string, common: CommonOptions, ledger: LedgerFlags = {}): Promise<number> {
  // Missing configuration does not hide the job: plan lists it after the plan, graph draws anyway.
  const plan = await planJob(job, { parameters: common.params, configuration: 'report' }, { ...ledger, read: 'incremental' });
  const text = [renderPlan(plan, label(job), Boolean(process.stdout.isTTY)), renderLedgerPlan(plan)].filter(Boolean).join('\n\n');
  process.stdout.write(`${text}\n`);
  if (plan.configurationError) {
    process.stderr.write(`bigrays: ${plan.configurationError.message}\n`);
    return EXIT.invalid;
  }
  return EXIT.ok;
}

export async function graphCommand(job: string, format: 'mermaid' | 'dot', common: CommonOptions): Promise<number> {
  const plan = await planJob(job, { parameters: common.params, configuration: 'report' });
  process.stdout.write(`${format === 'dot' ? renderDot(plan) : renderMermaid(plan)}\n`);
  return EXIT.ok;
}

export async function configCommand(job: string | undefined): Promise<number> {
  // The extension packages first, so their keys list in a fixed order whatever the job uses.
  const folders = [...(job ? [dirname(resolve(job))] : []), process.cwd()];
  await discoverConfigKeys(folders);
  declareConfigKeys({ configKeys: RUN_LEDGER_CONFIG_KEYS });
  // Loading the job applies its BigraysConfig assignments, so their source shows as "code"; its @Requires declare its resources' keys.
  if (job) await loadJob(job, async () => new JobResult([], new Map(), 0));
  process.stdout.write(`${renderConfig(Boolean(process.stdout.isTTY), declaredConfigKeys())}\n`);
  return EXIT.ok;
}
