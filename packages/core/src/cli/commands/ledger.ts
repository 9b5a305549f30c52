/**
 * `bigrays runs` and `bigrays state`: what the run ledger remembers of a
 * job, and changing an incremental task's cursor by hand (a backfill).
 *
 * @module
 */
import { hostname, userInfo } from 'node:os';
import { UsageError, StateError } from '../../errors/errors.js';
import { getTaskRecord, taskName, type TaskClass } from '../../metadata/records.js';
import { JobResult } from '../../run/job-result.js';
import { loadJob } from '../load-job.js';
import { currentJobTasks } from '../../job/registry.js';
import { openLedgerStore, resolveJobName, isStateOff } from '../../state/locate.js';
import { runState } from '../../state/run-state.js';
import { cursorKindOf, cursorText } from '../../state/cursor-value.js';
import type { CursorRecord, LedgerStore } from '../../state/ledger.js';
import { formatDuration, formatVolume, table } from '../render/format.js';
import { EXIT } from '../exit-codes.js';

export interface RunsOptions {
  job: string;
  runId?: string;
  limit: number;
  json: boolean;
}

async function openFor(job: string): Promise<{ store: LedgerStore; name: string }> {
  if (isStateOff({})) throw new StateError('the run ledger is off (BIGRAYS_STATE=off): there is nothing to show; unset BIGRAYS_STATE (or point it at the ledger)');
  const location = { jobFile: job };
  const name = resolveJobName(location);
  return { store: await openLedgerStore(location), name };
}

/** `bigrays runs <job> [runId]`. */
export async function runsCommand(options: RunsOptions): Promise<number> {
  const { store, name } = await openFor(options.job);
  try {
    if (options.runId) return await showRun(store, name, options.runId, options.json);
    const runs = await store.listRuns(name, options.limit);
    const listed = await Promise.all(
      runs.map(async (run) => ({
        ...run,
        status: await runState(store, run),
        durationMs: run.endedAt ? Date.parse(run.endedAt) - Date.parse(run.startedAt) : undefined,
      })),
    );
    if (options.json) {
      process.stdout.write(`${JSON.stringify({ job: name, ledger: store.description, runs: listed }, null, 2)}\n`);
      return EXIT.ok;
    }
    if (listed.length === 0) {
      process.stdout.write(`job ${name} has no recorded run in the run ledger (${store.description})\n`);
      return EXIT.ok;
    }
    const rows = [['run', 'started', 'duration', 'status', 'failed task'], ...listed.map((r) => [r.runId + (r.resumeOf ? ' (resume)' : ''), r.startedAt, r.durationMs === undefined ? '-' : formatDuration(r.durationMs), r.status, r.failedTask ?? '-'])];
    process.stdout.write(`Runs of job ${name} (${store.description}), newest first:\n${table(rows)}\n`);
    return EXIT.ok;
  } finally {
    await store.close();
  }
}

async function showRun(store: LedgerStore, name: string, runId: string, json: boolean): Promise<number> {
  const run = await store.getRun(runId);
  if (!run || run.job !== name) {
    throw new StateError(`run ${runId} is not a run of job ${name} in the run ledger (${store.description}); bigrays runs <job> lists them`);
  }
  const status = await runState(store, run);
  if (json) {
    process.stdout.write(`${JSON.stringify({ ...run, status }, null, 2)}\n`);
    return EXIT.ok;
  }
  const head = [
    `Run ${run.runId} of job ${name}: ${status}`,
    `  started ${run.startedAt}${run.endedAt ? `, ended ${run.endedAt}` : ''} on ${run.host} (pid ${run.pid})${run.resumeOf ? `, resumes ${run.resumeOf}` : ''}`,
    `  parameters: ${Object.entries(run.params).map(([k, v]) => `${k}=${v}`).join(', ') || '(none)'}`,
  ];
  const rows = [
    ['task', 'status', 'attempts', 'duration', 'moved', 'checkpoint', 'error'],
    ...run.tasks.map((t) => [
      t.name,
      t.restoredFrom ? `restored from ${t.restoredFrom}` : t.status,
      String(t.attempts),
      formatDuration(t.durationMs),
      formatVolume(t.rows, t.bytes) || '-',
      t.checkpoint ? t.checkpoint.kind : t.notCheckpointed ? 'none (not restorable)' : '-',
      t.error ? t.error.split('\n')[0]! : '-',
    ]),
  ];
  process.stdout.write(`${head.join('\n')}\n${table(rows)}\n`);
  return EXIT.ok;
}

export interface StateCommandOptions {
  job: string;
  set: readonly string[];
  reset: readonly string[];
  json: boolean;
}

/** `bigrays state <job> [--set Task=value] [--reset Task]`. */
export async function stateCommand(options: StateCommandOptions): Promise<number> {
  const changing = options.set.length > 0 || options.reset.length > 0;
  let tasks: readonly TaskClass[] = [];
  if (changing) {
    // The job says which tasks are incremental and what type their cursor has.
    await loadJob(options.job, async () => new JobResult([], new Map(), 0));
    tasks = currentJobTasks();
  }
  const { store, name } = await openFor(options.job);
  try {
    if (changing) {
      const who = `${safeUser()}@${hostname()}`;
      const updatedAt = new Date().toISOString();
      const changes: CursorRecord[] = [];
      for (const pair of options.set) {
        const eq = pair.indexOf('=');
        if (eq <= 0) throw new UsageError(`--set ${pair}: write --set Task=value (e.g. --set PullOrders=2026-01-01T00:00:00Z)`);
        const task = pair.slice(0, eq);
        const kind = incrementalKind(tasks, task);
        const value = cursorText(kind, pair.slice(eq + 1));
        if (value === undefined) throw new UsageError(`--set ${pair}: ${task}'s cursor is a ${kind}; '${pair.slice(eq + 1)}' is not one`);
        changes.push({ task, value, updatedAt, by: `${who} (bigrays state --set)` });
      }
      for (const task of options.reset) {
        incrementalKind(tasks, task);
        changes.push({ task, value: null, updatedAt, by: `${who} (bigrays state --reset)` });
      }
      await store.setCursors(name, changes);
    }
    const cursors = await store.getCursors(name);
    if (options.json) {
      process.stdout.write(`${JSON.stringify({ job: name, ledger: store.description, cursors }, null, 2)}\n`);
      return EXIT.ok;
    }
    if (cursors.length === 0) {
      process.stdout.write(`job ${name} has no committed cursor in the run ledger (${store.description})\n`);
      return EXIT.ok;
    }
    const rows = [['task', 'cursor', 'updated at', 'by'], ...cursors.map((c) => [c.task, c.value ?? '(reset: next run starts from initial)', c.updatedAt, c.by])];
    process.stdout.write(`Cursors of job ${name} (${store.description}):\n${table(rows)}\n`);
    return EXIT.ok;
  } finally {
    await store.close();
  }
}

function incrementalKind(tasks: readonly TaskClass[], name: string) {
  const task = tasks.find((t) => taskName(t) === name);
  if (!task) throw new UsageError(`${name}: the job has no task named '${name}'; the job's tasks are: ${tasks.map(taskName).join(', ')}`);
  const inc = getTaskRecord(task)?.options.incremental;
  if (!inc) throw new UsageError(`${name} is not incremental: only a task with @Task({ incremental }) has a cursor`);
  return cursorKindOf(inc.initial);
}

function safeUser(): string {
  try {
    return userInfo().username;
  } catch {
    return process.env.USER ?? 'unknown';
  }
}
