/**
 * The run ledger in a database (`BIGRAYS_STATE=postgres://…`, `mysql://…`,
 * `mariadb://…`, `sqlite:<path>`): for jobs on machines whose disk does not
 * last. Tables are created on first use:
 *
 * | table | holds |
 * |---|---|
 * | `bigrays_runs` | one row per run: job, run id, status, times, the run's header as JSON |
 * | `bigrays_task_runs` | one row per task of a run: status and the task's record as JSON (small checkpoints inline) |
 * | `bigrays_cursors` | the committed cursor of each incremental task, with who set it and when |
 * | `bigrays_leases` | who runs each job now (heartbeat) |
 * | `bigrays_meta` | `schema_version`, so a later bigrays can migrate the tables |
 *
 * Task records are written in batches (not one round trip per task); a run
 * killed with `kill -9` may lose the last ~200 ms of them, and those tasks
 * run again on `--resume`. Checkpoints that do not fit in a record (Datasets,
 * outputs over 16 KB) need `BIGRAYS_CHECKPOINTS`.
 *
 * @module
 */
import { StateError } from '@bigrays/core';
import { maskDsn, leaseExpired, type CheckpointStore, type CursorRecord, type LeaseHolder, type LedgerStore, type RunRecord, type RunStatus, type RunSummary, type TaskRunRecord } from '@bigrays/core/plugin';
import { SQLSession } from '../session.js';
import { ledgerDdl, upsertCursorSql, insertIgnoreMetaSql } from './ddl.js';
import type { Dialect } from '../engines/dialects.js';

export const LEDGER_SCHEMA_VERSION = 1;
const FLUSH_EVERY = 100;
const FLUSH_AFTER_MS = 200;

type Header = Omit<RunRecord, 'tasks' | 'status' | 'endedAt'>;

export class SqlLedgerStore implements LedgerStore {
  readonly description: string;
  readonly checkpoints: CheckpointStore | undefined = undefined;
  private session: SQLSession | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private pending: { job: string; runId: string; task: TaskRunRecord }[] = [];
  private lastFlush = Date.now();

  constructor(private readonly dsn: string) {
    this.description = maskDsn(dsn);
  }

  /** One statement at a time on the one connection (the heartbeat may come while a task is recorded). */
  private serial<T>(fn: (db: SQLSession) => Promise<T>): Promise<T> {
    const next = this.queue.then(() => fn(this.db()));
    this.queue = next.catch(() => undefined);
    return next;
  }

  private db(): SQLSession {
    if (!this.session) throw new StateError(`the run ledger (${this.description}) is not open`);
    return this.session;
  }

  private get dialect(): Dialect {
    return this.db().dialect as Dialect;
  }

  async open(): Promise<void> {
    const session = new SQLSession();
    await session.open({ DB_DSN: this.dsn });
    this.session = session;
    await this.serial(async (db) => {
      for (const statement of ledgerDdl(this.dialect)) {
        try {
          await db.execute(statement);
        } catch (error) {
          // Two first runs at once on PostgreSQL: "create table if not exists" can still collide; the other one made it.
          await db.execute(statement).catch(() => {
            throw error;
          });
        }
      }
      await db.execute(insertIgnoreMetaSql(this.dialect), { name: 'schema_version', value: String(LEDGER_SCHEMA_VERSION) });
      const [row] = await db.query('select value from bigrays_meta where name = :name', { name: 'schema_version' });
      const version = Number(row?.value);
      if (version > LEDGER_SCHEMA_VERSION) {
        throw new StateError(`the run ledger (${this.description}) has schema version ${version}, written by a newer bigrays (this one knows ${LEDGER_SCHEMA_VERSION}): upgrade bigrays, or use another BIGRAYS_STATE`);
      }
    });
  }

  async beginRun(run: RunRecord): Promise<void> {
    const { tasks: _t, status: _s, endedAt: _e, ...header } = run;
    await this.serial((db) =>
      db.execute(
        'insert into bigrays_runs (job, run_id, status, started_at, ended_at, failed_task, header) values (:job, :runId, :status, :startedAt, null, null, :header)',
        { job: run.job, runId: run.runId, status: 'running', startedAt: run.startedAt, header: JSON.stringify(header) },
      ),
    );
  }

  async recordTasks(job: string, runId: string, tasks: readonly TaskRunRecord[]): Promise<void> {
    for (const task of tasks) this.pending.push({ job, runId, task });
    if (this.pending.length >= FLUSH_EVERY || Date.now() - this.lastFlush >= FLUSH_AFTER_MS) await this.flush();
  }

  /** Writes the buffered task records in one transaction. */
  private async flush(): Promise<void> {
    const batch = this.pending.splice(0);
    this.lastFlush = Date.now();
    if (batch.length === 0) return;
    await this.serial((db) =>
      db.transaction(async () => {
        for (let i = 0; i < batch.length; i += 50) {
          const part = batch.slice(i, i + 50);
          const params: Record<string, unknown> = {};
          const values = part.map((p, j) => {
            Object.assign(params, { [`r${j}`]: p.runId, [`t${j}`]: p.task.name, [`j${j}`]: p.job, [`s${j}`]: p.task.status, [`x${j}`]: JSON.stringify(p.task) });
            return `(:r${j}, :t${j}, :j${j}, :s${j}, :x${j})`;
          });
          await db.execute(`insert into bigrays_task_runs (run_id, task, job, status, record) values ${values.join(', ')}`, params as never);
        }
      }),
    );
  }

  async finishRun(job: string, runId: string, status: RunStatus, endedAt: string, failedTask?: string): Promise<void> {
    await this.flush();
    await this.serial((db) =>
      db.execute('update bigrays_runs set status = :status, ended_at = :endedAt, failed_task = :failedTask where job = :job and run_id = :runId', {
        status,
        endedAt,
        failedTask: failedTask ?? null,
        job,
        runId,
      } as never),
    );
  }

  async listRuns(job: string, limit: number): Promise<RunSummary[]> {
    await this.flush();
    const n = Math.max(1, Math.floor(limit));
    const rows = await this.serial((db) =>
      db.query(`select status, ended_at, failed_task, header from bigrays_runs where job = :job order by run_id desc limit ${n}`, { job }),
    );
    return rows.map((r) => summaryOf(r));
  }

  async getRun(runId: string): Promise<RunRecord | undefined> {
    await this.flush();
    const [row] = await this.serial((db) => db.query('select status, ended_at, failed_task, header from bigrays_runs where run_id = :runId', { runId }));
    if (!row) return undefined;
    const summary = summaryOf(row);
    const header = JSON.parse(String(row.header)) as Header;
    const taskRows = await this.serial((db) => db.query('select record from bigrays_task_runs where run_id = :runId', { runId }));
    const order = new Map(header.planned.map((name, i) => [name, i]));
    const tasks = taskRows.map((t) => JSON.parse(String(t.record)) as TaskRunRecord).sort((a, b) => (order.get(a.name) ?? -1) - (order.get(b.name) ?? -1));
    return { ...header, status: summary.status, ...(summary.endedAt ? { endedAt: summary.endedAt } : {}), tasks };
  }

  async currentLease(job: string): Promise<LeaseHolder | undefined> {
    const [row] = await this.serial((db) => db.query('select holder from bigrays_leases where job = :job', { job }));
    return row ? (JSON.parse(String(row.holder)) as LeaseHolder) : undefined;
  }

  async acquireLease(job: string, holder: LeaseHolder, ttlMs: number): Promise<LeaseHolder | undefined> {
    for (let tries = 0; tries < 5; tries++) {
      const taken = await this.serial(async (db) => {
        try {
          await db.execute('insert into bigrays_leases (job, run_id, holder, heartbeat_at) values (:job, :runId, :holder, :beat)', {
            job,
            runId: holder.runId,
            holder: JSON.stringify(holder),
            beat: holder.heartbeatAt,
          });
          return true;
        } catch {
          return false; // the key exists: someone holds it (or held it)
        }
      });
      if (taken) return undefined;
      const [row] = await this.serial((db) => db.query('select run_id, holder, heartbeat_at from bigrays_leases where job = :job', { job }));
      if (!row) continue;
      const current = JSON.parse(String(row.holder)) as LeaseHolder;
      if (!leaseExpired({ ...current, heartbeatAt: String(row.heartbeat_at) }, ttlMs)) return current;
      // Expired: take it over only if nobody else did in between (compare and swap on run id and heartbeat).
      const swapped = await this.serial((db) =>
        db.execute('update bigrays_leases set run_id = :runId, holder = :holder, heartbeat_at = :beat where job = :job and run_id = :oldRun and heartbeat_at = :oldBeat', {
          runId: holder.runId,
          holder: JSON.stringify(holder),
          beat: holder.heartbeatAt,
          job,
          oldRun: String(row.run_id),
          oldBeat: String(row.heartbeat_at),
        }),
      );
      if (swapped === 1) return undefined;
    }
    throw new StateError(`could not take the lease of job ${job} in ${this.description}: it changed hands 5 times in a row; try again`);
  }

  async renewLease(job: string, runId: string, at: string): Promise<void> {
    await this.serial((db) => db.execute('update bigrays_leases set heartbeat_at = :at where job = :job and run_id = :runId', { at, job, runId }));
  }

  async releaseLease(job: string, runId: string): Promise<void> {
    await this.serial((db) => db.execute('delete from bigrays_leases where job = :job and run_id = :runId', { job, runId }));
  }

  async getCursors(job: string): Promise<CursorRecord[]> {
    const rows = await this.serial((db) => db.query('select task, value, updated_at, updated_by from bigrays_cursors where job = :job order by task', { job }));
    return rows.map((r) => ({ task: String(r.task), value: r.value === null ? null : String(r.value), updatedAt: String(r.updated_at), by: String(r.updated_by) }));
  }

  async setCursors(job: string, cursors: readonly CursorRecord[]): Promise<void> {
    if (cursors.length === 0) return;
    await this.serial((db) =>
      db.transaction(async () => {
        for (const c of cursors) {
          await db.execute(upsertCursorSql(this.dialect), { job, task: c.task, value: c.value, updatedAt: c.updatedAt, by: c.by } as never);
        }
      }),
    );
  }

  async close(): Promise<void> {
    try {
      if (this.session) await this.flush();
    } finally {
      await this.queue;
      await this.session?.close();
      this.session = undefined;
    }
  }
}

function summaryOf(row: Record<string, unknown>): RunSummary {
  const header = JSON.parse(String(row.header)) as Header;
  const { planned: _p, ...rest } = header;
  return {
    ...rest,
    status: String(row.status) as RunStatus,
    ...(row.ended_at ? { endedAt: String(row.ended_at) } : {}),
    ...(row.failed_task ? { failedTask: String(row.failed_task) } : {}),
  };
}
