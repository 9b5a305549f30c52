import { BigraysError, InterruptedError, TaskError } from '../errors/errors.js';
import { redact, scrubError } from '../config/secrets.js';
import type { TaskClass } from '../metadata/records.js';
import type { Plan, PlannedTask } from '../plan/plan.js';
import type { Resource } from '../resources/resource.js';
import { JobResult, type TaskReport } from './job-result.js';
import type { RunObserver } from './events.js';
import { ResourceManager } from './resource-manager.js';
import { errorMessage } from '../errors/message.js';
import { trapSignals } from './signals.js';
import { trapProcessFaults, type FaultOrigin } from './process-faults.js';
import { withTaskScope, type Progress, type RunScope, type TaskScope } from '../context/task-context.js';
import { countsOf } from './counts.js';
import { recordOutput } from './outputs.js';
import { activeLogger } from '../logging/logger.js';
import { startSpoolSweep } from '../data/spool-files.js';
import type { RunRecorder } from './recorder.js';
import { CursorHandle, settleCursor } from './cursor.js';
import { resolveAtTaskStart } from '../plan/templates.js';
import { requiredAttributesOf } from '../metadata/task-contract.js';
import { cursorParameter } from '../plan/planner.js';

/** How a run behaves around the plan. */
export interface RunOptions {
  /** Receives every run event (the CLI's live view). */
  observer?: RunObserver;
  /**
   * What SIGINT/SIGTERM/SIGHUP do during the run. `reraise` (default): close the
   * resource and clean up, then end the process with the signal. `report`:
   * clean up and resolve with an interrupted result (the CLI). `none`: do
   * not listen.
   */
  signals?: 'reraise' | 'report' | 'none';
  /** Plan only: every task is reported as `planned`, nothing runs. */
  dryRun?: boolean;
  /** Keep what tasks registered for job end (spooled Datasets) until the process exits. */
  deferCleanup?: boolean;
  /** How long a timed-out or interrupted task may take to clean up before the job goes on. Default 5 s. */
  abortGraceMs?: number;
  /**
   * How long a resource's `close()` may take before it is abandoned and
   * reported as a close failure (the job then fails). A resource class can
   * set its own with `static closeTimeoutMs`. Default 60 s.
   */
  closeTimeoutMs?: number;
  /** The run ledger's hooks: restore checkpointed outputs, record each task (set by `runJob`). */
  recorder?: RunRecorder;
}

const DEFAULT_ABORT_GRACE_MS = 5000;

const DEFAULT_RETRY_DELAY_MS = 500;

/** Executes a validated plan. Resolves with the result; never rejects for a task failure. */
export async function executePlan(plan: Plan, options: RunOptions = {}): Promise<JobResult> {
  const observer = options.observer ?? (() => undefined);
  const started = performance.now();
  observer({ type: 'job-start', plan });
  if (options.dryRun) {
    const reports = plan.tasks.map((t): TaskReport => ({ name: t.name, status: 'planned', durationMs: 0, attempts: 0 }));
    const result = new JobResult(reports, new Map(), performance.now() - started);
    observer({ type: 'job-end', result });
    return result;
  }
  // Spool directories of killed jobs: removed in the background, once per process (a readdir when there are none).
  startSpoolSweep();
  return new Run(
    plan,
    observer,
    options.signals ?? 'reraise',
    started,
    options.deferCleanup ?? false,
    options.abortGraceMs ?? DEFAULT_ABORT_GRACE_MS,
    options.closeTimeoutMs,
    options.recorder,
  ).execute();
}

/** State of one execution of a plan. */
class Run {
  private readonly manager: ResourceManager;
  private readonly outputs = new Map<TaskClass, unknown>();
  private readonly cleanups: (() => void | Promise<void>)[] = [];
  private readonly interrupt = new AbortController();
  private readonly scope: RunScope = { onJobEnd: (fn) => void this.cleanups.push(fn) };
  /** The attempt running now, to which an unhandled rejection is attributed. */
  private running: { task: string; controller: AbortController } | undefined;
  /** Unhandled errors raised while no task was running: they fail the job. */
  private readonly faults: BigraysError[] = [];
  /** The task whose own clean-up the runner is waiting for (the abort grace). */
  private stopping: string | undefined;
  private cleaningUp = false;

  constructor(
    private readonly plan: Plan,
    private readonly emit: RunObserver,
    private readonly signalPolicy: 'reraise' | 'report' | 'none',
    private readonly started: number,
    private readonly deferCleanup: boolean,
    private readonly abortGraceMs: number,
    closeTimeoutMs: number | undefined,
    private readonly recorder?: RunRecorder,
  ) {
    this.manager = new ResourceManager(emit, closeTimeoutMs);
  }

  async execute(): Promise<JobResult> {
    const trap =
      this.signalPolicy === 'none'
        ? undefined
        : trapSignals(
            (signal) => this.interrupt.abort(new InterruptedError(signal)),
            () => this.pendingCleanup(),
          );
    const untrapFaults = this.signalPolicy === 'none' ? undefined : trapProcessFaults((error, origin) => this.fault(error, origin));
    const reports: TaskReport[] = [];
    let failure: unknown;
    try {
      await this.restoreInputs();
      for (const [index, step] of this.plan.tasks.entries()) {
        const skip = this.skipReason(step, failure !== undefined);
        const report = skip ? skipped(step, skip) : ((await this.restoreStep(step, index)) ?? (await this.runStep(step, index)));
        reports.push(report);
        await this.recorder?.taskEnded(step, index, report, this.outputs.get(step.taskClass));
        this.emit({ type: 'task-end', task: step.name, index, report });
        if (report.status === 'failed' && failure === undefined) failure = report.error;
        // A failed task's resource is closed at once (rolling back what it began); a later task reopens it.
        if (report.status === 'failed') await this.manager.close(report.error);
      }
    } finally {
      await this.manager.close(this.interruption() ?? failure);
      if (!this.deferCleanup) await this.runCleanups();
      trap?.dispose();
      untrapFaults?.();
    }
    const signal = this.interruption()?.signal;
    const result = new JobResult(
      reports,
      this.outputs,
      performance.now() - this.started,
      [...this.manager.closeErrors, ...this.faults],
      signal,
      this.recorder?.runId,
    );
    this.emit({ type: 'job-end', result });
    if (signal && this.signalPolicy === 'reraise') trap?.reraise(signal);
    return result;
  }

  /** What is being cleaned up now, for the notice a repeated signal prints. */
  private pendingCleanup(): string[] {
    const pending: string[] = [];
    if (this.stopping) pending.push(`waiting up to ${formatMs(this.abortGraceMs)} for ${this.stopping} to stop and clean up`);
    const closing = this.manager.closing;
    if (closing) pending.push(`closing ${closing}`);
    if (this.cleaningUp) pending.push('deleting spool files');
    return pending;
  }

  /** An error nobody handled: fails the running task (its resource is then closed with it), else the job. */
  private fault(error: unknown, origin: FaultOrigin): void {
    const running = this.running;
    if (running && !running.controller.signal.aborted) {
      running.controller.abort(new TaskError(running.task, `${running.task} failed: ${origin}: ${redact(errorMessage(error))}`, { cause: scrubError(error) }));
      return;
    }
    activeLogger('debug')?.debug(`${origin} while no task was running: ${redact(errorMessage(error))}`);
    if (!running) this.faults.push(new TaskError('job', `${origin} outside any task: ${redact(errorMessage(error))}`, { cause: scrubError(error) }));
  }

  private interruption(): InterruptedError | undefined {
    return this.interrupt.signal.aborted ? (this.interrupt.signal.reason as InterruptedError) : undefined;
  }

  private skipReason(step: PlannedTask, jobFailed: boolean): string | undefined {
    const interrupted = this.interruption();
    if (interrupted) return `the job was ${interrupted.message}`;
    if (jobFailed && !step.options.runWithExceptions) return 'an earlier task failed';
    const missing = step.inputs.find((input) => !this.outputs.has(input.upstream));
    if (missing) return `its input ${missing.upstreamName} has no output`;
    return undefined;
  }

  /** `--from`/`--only`: upstream outputs from the ledger's checkpoints. One that cannot be restored skips the tasks needing it. */
  private async restoreInputs(): Promise<void> {
    for (const input of this.plan.restoredInputs ?? []) {
      if (!this.recorder) break;
      try {
        this.outputs.set(input.taskClass, await this.recorder.restore(input.from, this.scope));
      } catch (error) {
        activeLogger('warn')?.warn(`${input.name}: ${errorMessage(error)}; ${input.neededBy.join(', ')} cannot run without its output`);
      }
    }
  }

  /** `--resume`: a task that succeeded in the resumed run gets its checkpointed output instead of running. */
  private async restoreStep(step: PlannedTask, index: number): Promise<TaskReport | undefined> {
    if (step.resume?.action !== 'restore' || !this.recorder) return undefined;
    const started = performance.now();
    let output: unknown;
    try {
      output = await this.recorder.restore(step.resume.from, this.scope);
    } catch (error) {
      activeLogger('warn')?.warn(`${step.name}: ${errorMessage(error)}; it runs again`);
      return undefined;
    }
    this.outputs.set(step.taskClass, output);
    recordOutput(step.taskClass, output);
    const counts = countsOf(output, {});
    const cursor = step.resume.cursor ? { cursor: step.resume.cursor } : {};
    return { name: step.name, status: 'succeeded', durationMs: performance.now() - started, attempts: 0, ...counts, restoredFrom: step.resume.from.runId, ...cursor };
  }

  private async runStep(step: PlannedTask, index: number): Promise<TaskReport> {
    const started = performance.now();
    const retries = step.options.retries ?? 0;
    const baseDelay = step.options.retryDelayMs ?? DEFAULT_RETRY_DELAY_MS;
    const instance = step.instance;
    try {
      // Templates are filled when the task starts: a task that ran before may have called updateFormatKws().
      Object.assign(instance, step.templates ? resolveAtTaskStart(step.name, step.taskClass, instance, step.templates, { ...this.plan.overrides, ...cursorParameter(step.cursor) }) : step.resolved);
    } catch (error) {
      const taskError = new TaskError(step.name, `${step.name} failed: ${redact(errorMessage(error))}`, { cause: error, userError: true });
      return { name: step.name, status: 'failed', durationMs: performance.now() - started, attempts: 0, error: taskError };
    }
    for (const input of step.inputs) instance[input.property] = this.outputs.get(input.upstream);
    const nothing = returnedNothing(step, this.outputs);
    if (nothing.required) {
      const taskError = new TaskError(step.name, `${step.name} failed: ${nothing.required}`);
      return { name: step.name, status: 'failed', durationMs: performance.now() - started, attempts: 0, error: taskError };
    }

    let progress: Progress = {};
    for (let attempt = 1; ; attempt++) {
      this.emit({ type: 'task-start', task: step.name, index, attempt });
      activeLogger('debug')?.debug(`task ${step.name} started (attempt ${attempt})`);
      try {
        const cursor = step.cursor ? new CursorHandle(step.cursor) : undefined;
        const output = await this.attempt(
          step,
          (p) => {
            progress = { ...progress, ...p };
            this.emit({ type: 'task-progress', task: step.name, ...progress });
          },
          cursor,
        );
        // An incremental task's new cursor comes from its output; a far-future value fails the task.
        const reached = cursor ? await settleCursor(step, output, cursor) : undefined;
        this.outputs.set(step.taskClass, output);
        recordOutput(step.taskClass, output);
        const durationMs = performance.now() - started;
        activeLogger('debug')?.debug(`task ${step.name} succeeded in ${Math.round(durationMs)} ms`);
        return { name: step.name, status: 'succeeded', durationMs, attempts: attempt, ...countsOf(output, progress), ...(reached ? { cursor: reached } : {}) };
      } catch (error) {
        const interrupted = this.interruption();
        if (attempt <= retries && !interrupted) {
          const delayMs = baseDelay * 2 ** (attempt - 1);
          this.emit({ type: 'task-retry', task: step.name, attempt, delayMs, error });
          activeLogger('debug')?.debug(`task ${step.name} failed (attempt ${attempt}), retrying in ${delayMs} ms: ${redact(errorMessage(error))}`);
          // A retry starts on a freshly opened resource: what the failed attempt began is rolled back, not committed later.
          await this.manager.close(error);
          await sleep(delayMs, this.interrupt.signal);
          continue;
        }
        let taskError = asTaskError(step.name, interrupted ?? error);
        if (!interrupted && nothing.hint) {
          taskError = new TaskError(step.name, `${taskError.message} (${nothing.hint})`, { cause: taskError.cause, userError: taskError.userError });
        }
        activeLogger('debug')?.debug(redact(taskError.message));
        return { name: step.name, status: 'failed', durationMs: performance.now() - started, attempts: attempt, ...progress, error: taskError };
      }
    }
  }

  /**
   * One attempt: open (or reuse) the resource, then call `run()`; both raced
   * against the task's timeout and the job's interruption.
   */
  private async attempt(step: PlannedTask, report: (p: Progress) => void, cursor?: CursorHandle): Promise<unknown> {
    const controller = new AbortController();
    const forward = () => controller.abort(this.interrupt.signal.reason);
    if (this.interrupt.signal.aborted) forward();
    this.interrupt.signal.addEventListener('abort', forward);
    const timeout = step.options.timeout;
    const timer =
      timeout === undefined
        ? undefined
        : setTimeout(
            () => controller.abort(new TaskError(step.name, `${step.name} timed out after ${timeout} ms (the timeout option of @Task)`)),
            timeout,
          );
    const stopped = new Promise<never>((_, reject) => {
      if (controller.signal.aborted) reject(controller.signal.reason);
      controller.signal.addEventListener('abort', () => reject(controller.signal.reason), { once: true });
    });
    stopped.catch(() => undefined);
    let work: Promise<unknown> | undefined;
    try {
      const acquiring = this.manager.acquire(step.resource, step.name);
      acquiring.catch(() => undefined);
      const resource = await Promise.race([acquiring, stopped]);
      controller.signal.throwIfAborted();
      const scope: TaskScope = { task: step.name, signal: controller.signal, run: this.scope, report, ...(cursor ? { cursor } : {}) };
      this.running = { task: step.name, controller };
      const run = step.instance.run as (resource?: Resource) => unknown;
      work = withTaskScope(scope, async () => run.call(step.instance, resource));
      work.catch(() => undefined);
      return await Promise.race([work, stopped]);
    } catch (error) {
      // Stopped by timeout or interruption: give the task's own abort handling (deleting a temp file, aborting an upload) time to finish.
      if (work && controller.signal.aborted) {
        this.stopping = step.name;
        await settleWithin(work, this.abortGraceMs);
        this.stopping = undefined;
      }
      throw error;
    } finally {
      this.running = undefined;
      if (timer) clearTimeout(timer);
      this.interrupt.signal.removeEventListener('abort', forward);
      // Tell code still running (a timed-out query) to stop.
      if (!controller.signal.aborted) controller.abort(new Error('task finished'));
    }
  }

  private async runCleanups(): Promise<void> {
    this.cleaningUp = true;
    for (const cleanup of this.cleanups.splice(0).reverse()) {
      try {
        await cleanup();
      } catch (error) {
        activeLogger('warn')?.warn(`cleanup after the job failed: ${redact(errorMessage(error))}`);
      }
    }
    this.cleaningUp = false;
  }
}

/**
 * Inputs whose upstream succeeded but returned `undefined` (a forgotten
 * `return`). A required attribute (ToS3's `input`) fails the task before it
 * runs; any other such input is named in the task's error if it fails.
 */
function returnedNothing(step: PlannedTask, outputs: ReadonlyMap<TaskClass, unknown>): { required?: string; hint?: string } {
  const empty = step.inputs.filter((input) => outputs.has(input.upstream) && outputs.get(input.upstream) === undefined);
  if (empty.length === 0) return {};
  const required = new Set(requiredAttributesOf(step.taskClass));
  const describe = (input: (typeof empty)[number]) =>
    `its input ${input.property} is undefined because ${input.upstreamName}.run() returned nothing: return the data from ${input.upstreamName}.run()`;
  const needed = empty.find((input) => required.has(input.property));
  return needed ? { required: describe(needed) } : { hint: describe(empty[0]!) };
}

function skipped(step: PlannedTask, reason: string): TaskReport {
  return { name: step.name, status: 'skipped', durationMs: 0, attempts: 0, reason };
}

function asTaskError(task: string, error: unknown): TaskError {
  if (error instanceof TaskError && error.task === task) return error;
  const userError = error instanceof BigraysError ? error.userError : false;
  return new TaskError(task, `${task} failed: ${redact(errorMessage(error))}`, { cause: scrubError(error), userError });
}

function formatMs(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}

/** Waits for `work` to settle, at most `ms`. */
function settleWithin(work: Promise<unknown>, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    work.then(
      () => (clearTimeout(timer), resolve()),
      () => (clearTimeout(timer), resolve()),
    );
  });
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
