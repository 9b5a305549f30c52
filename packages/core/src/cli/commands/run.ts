import { relative } from 'node:path';
import { Writable } from 'node:stream';
import type { TaskClass } from '../../metadata/records.js';
import { runJob } from '../../run/bigrays-run.js';
import { JobFailedError, type JobResult } from '../../run/job-result.js';
import { renderLedgerPlan } from '../render/ledger-plan-view.js';
import { signalExitCode } from '../../run/signals.js';
import { JobLoadError, JobModuleError, loadJob } from '../load-job.js';
import { formatError } from '../report-error.js';
import { planJob } from '../plan-job.js';
import { LOG_LEVELS } from '../../logging/logger.js';
import { RunView } from '../render/run-view.js';
import { renderPlan } from '../render/plan-view.js';
import { EXIT } from '../exit-codes.js';
import type { Command } from '../args.js';

type RunCommand = Extract<Command, { kind: 'run' }>;

/** `bigrays <job>`: load the job once, run it with a live view, exit 0/1/130/143. */
export async function runCommand(command: RunCommand): Promise<number> {
  const { job, only, from, dryRun, common, ledger } = command;
  const selection = (tasks: readonly TaskClass[]) => ({ tasks, only, from, parameters: common.params });
  const state = { jobFile: job, ...ledger };

  if (dryRun) {
    const plan = await planJob(job, { only, from, parameters: common.params }, { ...ledger, read: 'always' });
    const text = [renderPlan(plan, relative(process.cwd(), job) || job, Boolean(process.stdout.isTTY)), renderLedgerPlan(plan)].filter(Boolean).join('\n\n');
    process.stdout.write(`${text}\n\ndry run: nothing ran\n`);
    return EXIT.ok;
  }

  // --log-level silent quiets the report too (the live view and the summary); a failure still ends with its one-line error.
  const silent = common.logLevel === 'silent';
  const view = new RunView(silent ? new Writable({ write: (_chunk, _encoding, done) => done() }) : process.stderr, !silent && Boolean(process.stderr.isTTY));
  const start = (tasks: readonly TaskClass[]) => runJob({ ...selection(tasks), ...state, observer: view.observer, signals: 'report' });
  // A module that throws after calling bigraysRun() (awaited or not): the run it started is waited for first.
  const { requested, moduleError } = await loadJob(job, start, { moduleErrorAfterRun: 'return' });
  let result: JobResult;
  try {
    result = await (requested ?? start([]));
  } catch (error) {
    // Planning or configuration failed: nothing ran (exit 2).
    if (!(error instanceof JobFailedError)) throw moduleError === undefined ? error : new JobLoadError(job, moduleError);
    result = error.result;
    if (!result.interrupted && moduleError === undefined) throw error;
  }
  if (moduleError !== undefined) {
    const started = result.tasks.some((report) => report.attempts > 0);
    if (!started && !result.interrupted) throw new JobLoadError(job, moduleError);
    // Once a task has started, the outcome is a failure (1) or the signal's code, never "nothing ran".
    const debug = LOG_LEVELS[common.logLevel] <= LOG_LEVELS.debug;
    if (!result.ok && !result.interrupted) process.stderr.write(`${formatError(new JobFailedError(result), debug)}\n`);
    process.stderr.write(`${formatError(new JobModuleError(job, moduleError), debug)}\n`);
    return result.interrupted ? signalExitCode(result.interrupted) : EXIT.taskFailed;
  }
  if (result.interrupted) return signalExitCode(result.interrupted);
  return result.ok ? EXIT.ok : EXIT.taskFailed;
}
