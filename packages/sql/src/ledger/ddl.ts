/**
 * The SQL run ledger's tables and its two upserts, written once: what
 * differs between databases (long text, the upsert form) comes from the
 * dialect's `upsert` facts (`engines/<d>/upsert.ts`).
 *
 * @module
 */
import { dialectOf, type Dialect } from '../engines/dialects.js';

export function ledgerDdl(dialect: Dialect): string[] {
  // MySQL/MariaDB cannot key a TEXT column and cap utf8mb4 keys at 767 bytes: varchar(191) keys everywhere, long text bodies.
  const key = 'varchar(191)';
  const body = dialectOf(dialect).upsert.longText;
  return [
    `create table if not exists bigrays_meta (name varchar(64) not null primary key, value varchar(64) not null)`,
    `create table if not exists bigrays_runs (job ${key} not null, run_id varchar(64) not null, status varchar(16) not null, started_at varchar(40) not null, ended_at varchar(40), failed_task ${key}, header ${body} not null, primary key (job, run_id))`,
    `create table if not exists bigrays_task_runs (run_id varchar(64) not null, task ${key} not null, job ${key} not null, status varchar(16) not null, record ${body} not null, primary key (run_id, task))`,
    `create table if not exists bigrays_cursors (job ${key} not null, task ${key} not null, value ${body}, updated_at varchar(40) not null, updated_by varchar(255) not null, primary key (job, task))`,
    `create table if not exists bigrays_leases (job ${key} not null primary key, run_id varchar(64) not null, holder ${body} not null, heartbeat_at varchar(40) not null)`,
  ];
}

/** Records the schema version once (a row that exists is left as it is). */
export function insertIgnoreMetaSql(dialect: Dialect): string {
  return dialectOf(dialect).upsert.upsert('insert into bigrays_meta (name, value) values (:name, :value)', ['name'], [], false);
}

/** Sets a cursor (set by `bigrays state --set`, or committed by a run). */
export function upsertCursorSql(dialect: Dialect): string {
  const insert = 'insert into bigrays_cursors (job, task, value, updated_at, updated_by) values (:job, :task, :value, :updatedAt, :by)';
  return dialectOf(dialect).upsert.upsert(insert, ['job', 'task'], ['value', 'updated_at', 'updated_by'], false);
}
