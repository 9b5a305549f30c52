/**
 * One run's link to the run ledger: opened before planning (it reads what
 * the plan depends on: the run to resume, the latest checkpoints), then it
 * takes the job's lease, records the run and each task, checkpoints
 * outputs, and at the end records the outcome, prunes old checkpoints and
 * releases the lease. `runJob` drives it; the runner sees it as a
 * `RunRecorder`.
 *
 * @module
 */
import { errorMessage } from '../errors/message.js';
import { hostname } from 'node:os';
import { StateError, UsageError } from '../errors/errors.js';
import { redact } from '../config/secrets.js';
import { activeLogger } from '../logging/logger.js';
import { getFormatKws } from '../templates/format-kws.js';
import type { FormatValue } from '../templates/format.js';
import type { CheckpointSource, Plan, PlannedTask } from '../plan/plan.js';
import type { PlanOptions } from '../plan/planner.js';
import type { PlanStateInput } from '../plan/plan-state.js';
import type { JobResult, TaskReport } from './job-result.js';
import type { RunRecorder } from './recorder.js';
import type { RunScope } from '../context/task-context.js';
import { isStateOff, openCheckpointStore, openLedgerStore, resolveJobName, type StateLocation } from '../state/locate.js';
import { Lease } from '../state/lease.js';
import { keepRuns, keptRuns, pruneCheckpoints } from '../state/prune.js';
import { restoreCheckpoint, writeCheckpoint } from '../state/checkpoints.js';
import { newRunId } from '../state/run-id.js';
import { runState } from '../state/run-state.js';
import type { CheckpointStore, CursorRecord, LedgerStore, RunRecord, RunStatus, TaskRunRecord } from '../state/ledger.js';
import { compareCursor } from '../state/cursor-value.js';

/** Run options about the ledger (`bigraysRun(..., { jobName })`, the CLI's flags). */
export interface StateOptions extends StateLocation {
  /** `--resume`: `true` for the latest unsuccessful run of the job, or a run id. */
  resume?: boolean | string;
  /** `--allow-concurrent`: do not take the job's lease. */
  allowConcurrent?: boolean;
  /** `--full-refresh`: incremental tasks start from their `initial` value in this run. */
  fullRefresh?: boolean;
}

/** What the ledger changes in the plan's input. */
export interface PreparedPlanOptions {
  parameters?: Readonly<Record<string, FormatValue>>;
  only?: readonly string[];
  ledgerState: PlanStateInput;
}

type Selection = Pick<PlanOptions, 'parameters' | 'only' | 'from' | 'tasks'>;

/**
 * Opens the ledger for a run (or returns undefined with `BIGRAYS_STATE=off`),
 * and reads what the plan needs. Throws `StateError`/`UsageError` (exit 2,
 * nothing ran) for a ledger that cannot be used or a `--resume` that cannot be.
 */
export async function prepareRunLedger(options: StateOptions & Selection): Promise<{ ledger?: RunLedger; plan: PreparedPlanOptions }> {
  const resumeAsked = options.resume !== undefined && options.resume !== false;
  if (resumeAsked && options.parameters && Object.keys(options.parameters).length > 0) {
    throw new UsageError('--param together with --resume: a resumed run keeps the parameters of the run it resumes; start a new run (without --resume) to change them');
  }
  if (resumeAsked && (options.only !== undefined || options.from !== undefined)) {
    throw new UsageError('--only/--from together with --resume: a resumed run covers the tasks of the run it resumes; use one or the other');
  }
  if (isStateOff(options)) {
    if (resumeAsked) throw new StateError('--resume needs the run ledger, but BIGRAYS_STATE=off: unset BIGRAYS_STATE (or point it at the ledger) to resume');
    return { plan: { ledgerState: { enabled: false, latestCheckpoints: new Map() } } };
  }
  const job = resolveJobName(options);
  const store = await openLedgerStore(options);
  try {
    const checkpoints = await openCheckpointStore(options, store);
    const resumed = resumeAsked ? await findRunToResume(store, job, options.resume === true ? true : String(options.resume)) : undefined;
    const wantsUpstream = resumed !== undefined || options.only !== undefined || options.from !== undefined;
    const latestCheckpoints = wantsUpstream ? await latestCheckpointsOf(store, job) : new Map<string, CheckpointSource>();
    const ledger = new RunLedger(store, checkpoints, job, newRunId(), options, resumed?.runId);
    const cursors = new Map((await store.getCursors(job)).map((c) => [c.task, c.value]));
    const state: PlanStateInput = {
      enabled: true,
      latestCheckpoints,
      cursors,
      fullRefresh: options.fullRefresh ?? false,
      ...(resumed ? { resume: { runId: resumed.runId, tasks: new Map(resumed.tasks.map((t) => [t.name, t])) } } : {}),
    };
    return { ledger, plan: resumed ? { parameters: resumed.params, only: resumed.planned, ledgerState: state } : { ledgerState: state } };
  } catch (error) {
    await store.close();
    throw error;
  }
}

async function findRunToResume(store: LedgerStore, job: string, resume: true | string): Promise<RunRecord> {
  if (typeof resume === 'string') {
    const run = await store.getRun(resume);
    if (!run) throw new StateError(`--resume ${resume}: no run with that id in the run ledger (${store.description}); bigrays runs <job> lists the runs`);
    if (run.job !== job) throw new StateError(`--resume ${resume}: that run is of job ${run.job}, not ${job}; resume it with that job's file, or pick a run of ${job} (bigrays runs <job>)`);
    const status = await runState(store, run);
    if (status === 'succeeded') throw new StateError(`--resume ${resume}: that run succeeded, there is nothing to resume; run the job again without --resume`);
    if (status === 'running') throw new StateError(`--resume ${resume}: that run is still running (it holds the job's lease)`);
    return run;
  }
  const runs = await store.listRuns(job, 50);
  for (const summary of runs) {
    const status = await runState(store, summary);
    if (status === 'succeeded') {
      throw new StateError(`--resume: the latest run of job ${job} (${summary.runId}, ${summary.startedAt}) succeeded, there is nothing to resume; run the job without --resume`);
    }
    if (status === 'running') continue; // the run in progress; the lease check stops this one
    const run = await store.getRun(summary.runId);
    if (run) return run;
  }
  throw new StateError(`--resume: job ${job} has no unsuccessful run to resume in the run ledger (${store.description}); run it without --resume`);
}

/** The newest checkpoint of each task among the runs whose checkpoints are kept. */
async function latestCheckpointsOf(store: LedgerStore, job: string): Promise<Map<string, CheckpointSource>> {
  const found = new Map<string, CheckpointSource>();
  for (const summary of keptRuns(await store.listRuns(job, keepRuns() + 20))) {
    const run = await store.getRun(summary.runId);
    for (const task of run?.tasks ?? []) {
      if (task.status !== 'succeeded' || !task.checkpoint || found.has(task.name)) continue;
      found.set(task.name, { runId: task.restoredFrom ?? run!.runId, checkpoint: task.checkpoint });
    }
  }
  return found;
}

/** A run being recorded. */
export class RunLedger implements RunRecorder {
  private lease: Lease | undefined;
  private started = false;
  private recordFailed = false;
  private plan: Plan | undefined;

  constructor(
    readonly store: LedgerStore,
    private readonly checkpoints: CheckpointStore | undefined,
    readonly job: string,
    readonly runId: string,
    private readonly options: StateOptions,
    private readonly resumeOf: string | undefined,
  ) {}

  /** Takes the lease (unless `--allow-concurrent`) and records the run. Throws `StateError` when another run holds it. */
  async begin(plan: Plan, parameters: Readonly<Record<string, FormatValue>> | undefined): Promise<void> {
    this.plan = plan;
    const startedAt = new Date().toISOString();
    const holder = { runId: this.runId, host: hostname(), pid: process.pid, startedAt, heartbeatAt: startedAt };
    if (!this.options.allowConcurrent) this.lease = await Lease.take(this.store, this.job, holder);
    const params = renderParams({ ...getFormatKws(), ...parameters });
    const uses = new Set<string>();
    for (const task of plan.tasks) if (task.resume?.action === 'restore') uses.add(task.resume.from.runId);
    for (const input of plan.restoredInputs ?? []) uses.add(input.from.runId);
    try {
      await this.store.beginRun({
        runId: this.runId,
        job: this.job,
        params,
        host: holder.host,
        pid: holder.pid,
        startedAt,
        status: 'running',
        ...(this.resumeOf ? { resumeOf: this.resumeOf } : {}),
        ...(uses.size > 0 ? { uses: [...uses] } : {}),
        planned: plan.tasks.map((t) => t.name),
        tasks: [],
      });
      this.started = true;
      // Upstream outputs restored for --from/--only: recorded so a later --from finds them even after their run is pruned.
      const upstream: TaskRunRecord[] = (plan.restoredInputs ?? []).map((input) => ({
        name: input.name,
        status: 'succeeded',
        attempts: 0,
        durationMs: 0,
        checkpoint: input.from.checkpoint,
        restoredFrom: input.from.runId,
        endedAt: startedAt,
      }));
      await this.store.recordTasks(this.job, this.runId, upstream);
    } catch (error) {
      await this.lease?.release().catch(() => undefined);
      throw new StateError(`the run ledger (${this.store.description}) cannot record the run: ${redact(errorMessage(error))}. Fix it, or set BIGRAYS_STATE=off to run without a ledger`, { cause: error });
    }
  }

  restore(from: CheckpointSource, scope: RunScope): Promise<unknown> {
    return restoreCheckpoint(this.checkpoints, from.checkpoint, scope);
  }

  async taskEnded(step: PlannedTask, index: number, report: TaskReport, output: unknown): Promise<void> {
    if (!this.started) return;
    let record: TaskRunRecord = {
      name: report.name,
      status: report.status === 'planned' ? 'skipped' : report.status,
      attempts: report.attempts,
      durationMs: Math.round(report.durationMs),
      ...(report.rows !== undefined ? { rows: report.rows } : {}),
      ...(report.bytes !== undefined ? { bytes: report.bytes } : {}),
      ...(report.error ? { error: redact(report.error.message) } : report.reason ? { error: report.reason } : {}),
      ...(report.cursor ? { cursor: report.cursor } : {}),
      endedAt: new Date().toISOString(),
    };
    if (report.status === 'succeeded') {
      if (report.restoredFrom && step.resume?.action === 'restore') {
        record = { ...record, checkpoint: step.resume.from.checkpoint, restoredFrom: report.restoredFrom };
      } else {
        try {
          const outcome = await writeCheckpoint(this.checkpoints, this.runId, index, step.name, output);
          record = { ...record, ...outcome };
        } catch (error) {
          const why = `its checkpoint could not be written (${redact(errorMessage(error))})`;
          activeLogger('warn')?.warn(`${step.name}: ${why}; a resumed run would run it again`);
          record = { ...record, notCheckpointed: why };
        }
      }
    }
    try {
      await this.store.recordTasks(this.job, this.runId, [record]);
    } catch (error) {
      if (!this.recordFailed) activeLogger('warn')?.warn(`the run ledger (${this.store.description}) could not record ${step.name}: ${redact(errorMessage(error))}`);
      this.recordFailed = true;
    }
  }

  /** Records how the run ended, prunes old checkpoints, releases the lease. */
  async finish(result: JobResult | undefined): Promise<void> {
    try {
      if (!this.started) return;
      const status: RunStatus = !result ? 'failed' : result.ok ? 'succeeded' : result.interrupted ? 'interrupted' : 'failed';
      const failedTask = result?.tasks.find((t) => t.status === 'failed')?.name;
      // Cursors move only when the whole run succeeded: a failed run (or its --resume) reads the same rows again.
      if (status === 'succeeded' && result) await this.commitCursors(result);
      await this.store.finishRun(this.job, this.runId, status, new Date().toISOString(), failedTask);
      if (this.checkpoints) await pruneCheckpoints(this.store, this.checkpoints, this.job);
    } catch (error) {
      activeLogger('warn')?.warn(`the run ledger (${this.store.description}) could not record the end of run ${this.runId}: ${redact(errorMessage(error))}`);
    } finally {
      await this.lease?.release().catch(() => undefined);
    }
  }

  private async commitCursors(result: JobResult): Promise<void> {
    const incremental = (this.plan?.tasks ?? []).filter((t) => t.cursor);
    if (incremental.length === 0) return;
    const reports = new Map(result.tasks.map((t) => [t.name, t]));
    const committed = new Map((await this.store.getCursors(this.job)).map((c) => [c.task, c.value]));
    const updatedAt = new Date().toISOString();
    const changes: CursorRecord[] = [];
    for (const task of incremental) {
      const reached = reports.get(task.name)?.cursor?.to;
      if (!task.cursor || reached === undefined || reached === null) continue;
      const current = committed.get(task.name);
      // Never backwards, except that --full-refresh recomputes the cursor from initial on purpose.
      if (current !== undefined && current !== null && task.cursor.source !== 'full-refresh' && compareCursor(task.cursor.kind, reached, current) <= 0) continue;
      if (current === reached) continue;
      changes.push({ task: task.name, value: reached, updatedAt, by: `run ${this.runId}` });
    }
    await this.store.setCursors(this.job, changes);
  }

  async close(): Promise<void> {
    await this.lease?.release().catch(() => undefined);
    if (this.checkpoints !== this.store.checkpoints) await this.checkpoints?.close?.().catch(() => undefined);
    await this.store.close();
  }
}

function renderParams(values: Readonly<Record<string, FormatValue>>): Record<string, string> {
  return Object.fromEntries(Object.entries(values).map(([k, v]) => [k, v instanceof Date ? v.toISOString() : String(v)]));
}

