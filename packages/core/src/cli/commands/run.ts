import { relative } from 'node:path';
import type { TaskClass } from '../../metadata/records.js';
import { runJob } from '../../run/bigrays-run.js';
import { JobFailedError, type JobResult } from '../../run/job-result.js';
import { buildPlan } from '../../plan/planner.js';
import { signalExitCode } from '../../run/signals.js';
import { loadJob } from '../load-job.js';
import { RunView } from '../render/run-view.js';
import { renderPlan } from '../render/plan-view.js';
import { EXIT } from '../exit-codes.js';
import type { Command } from '../args.js';

type RunCommand = Extract<Command, { kind: 'run' }>;

/** `bigrays <job>`: load the job once, run it with a live view, exit 0/1/130/143. */
export async function runCommand(command: RunCommand): Promise<number> {
  const { job, only, from, dryRun, common } = command;
  const selection = (tasks: readonly TaskClass[]) => ({ tasks, only, from, parameters: common.params });

  if (dryRun) {
    let requested: readonly TaskClass[] = [];
    await loadJob(job, async (tasks) => {
      requested = tasks;
      return dryRunResult();
    });
    const plan = buildPlan(selection(requested));
    process.stdout.write(`${renderPlan(plan, relative(process.cwd(), job) || job, Boolean(process.stdout.isTTY))}\n\ndry run: nothing ran\n`);
    return EXIT.ok;
  }

  const view = new RunView(process.stderr, Boolean(process.stderr.isTTY));
  const start = (tasks: readonly TaskClass[]) => runJob({ ...selection(tasks), observer: view.observer, signals: 'report' });
  const { requested } = await loadJob(job, start);
  let result: JobResult;
  try {
    result = await (requested ?? start([]));
  } catch (error) {
    if (!(error instanceof JobFailedError)) throw error;
    result = error.result;
    if (!result.interrupted) throw error;
  }
  if (result.interrupted) return signalExitCode(result.interrupted);
  return result.ok ? EXIT.ok : EXIT.taskFailed;
}

async function dryRunResult(): Promise<JobResult> {
  const { JobResult } = await import('../../run/job-result.js');
  return new JobResult([], new Map(), 0);
}
