/** The ledger's tables, per dialect (each dialect's text and key types). */
export type LedgerDialect = 'postgres' | 'mysql' | 'sqlite';

export function ledgerDdl(dialect: LedgerDialect): string[] {
  // MySQL/MariaDB cannot key a TEXT column and cap utf8mb4 keys at 767 bytes: varchar(191) keys, longtext bodies.
  const key = 'varchar(191)';
  const body = dialect === 'mysql' ? 'longtext' : 'text';
  return [
    `create table if not exists bigrays_meta (name varchar(64) not null primary key, value varchar(64) not null)`,
    `create table if not exists bigrays_runs (job ${key} not null, run_id varchar(64) not null, status varchar(16) not null, started_at varchar(40) not null, ended_at varchar(40), failed_task ${key}, header ${body} not null, primary key (job, run_id))`,
    `create table if not exists bigrays_task_runs (run_id varchar(64) not null, task ${key} not null, job ${key} not null, status varchar(16) not null, record ${body} not null, primary key (run_id, task))`,
    `create table if not exists bigrays_cursors (job ${key} not null, task ${key} not null, value ${body}, updated_at varchar(40) not null, updated_by varchar(255) not null, primary key (job, task))`,
    `create table if not exists bigrays_leases (job ${key} not null primary key, run_id varchar(64) not null, holder ${body} not null, heartbeat_at varchar(40) not null)`,
  ];
}

export function insertIgnoreMetaSql(dialect: LedgerDialect): string {
  switch (dialect) {
    case 'postgres':
      return 'insert into bigrays_meta (name, value) values (:name, :value) on conflict (name) do nothing';
    case 'mysql':
      return 'insert ignore into bigrays_meta (name, value) values (:name, :value)';
    case 'sqlite':
      return 'insert or ignore into bigrays_meta (name, value) values (:name, :value)';
  }
}

export function upsertCursorSql(dialect: LedgerDialect): string {
  const insert = 'insert into bigrays_cursors (job, task, value, updated_at, updated_by) values (:job, :task, :value, :updatedAt, :by)';
  return dialect === 'mysql'
    ? `${insert} on duplicate key update value = values(value), updated_at = values(updated_at), updated_by = values(updated_by)`
    : `${insert} on conflict (job, task) do update set value = excluded.value, updated_at = excluded.updated_at, updated_by = excluded.updated_by`;
}
