/**
 * Direct (unproxied) access to PostgreSQL for the reliability suites: a
 * database of each test process's own, and what is connected to it.
 */
import { createRequire } from 'node:module';
import { SECRETS } from './secrets.js';
import { pgDsn } from './services.js';

const require = createRequire(import.meta.url);

/**
 * A database of its own for each test process (`bigrays_reli_<pid>`), so
 * that counting backends in pg_stat_activity is disturbed neither by other
 * suites running against `test` nor by another run of these suites at the
 * same time. Created by `ensurePgDatabase()`, dropped by `dropPgDatabase()`;
 * databases of test processes that no longer exist are dropped on the way.
 */
export const PG_DB = `bigrays_reli_${process.pid}`;
export const PG_ADMIN_DSN = pgDsn({ database: 'postgres' });
export const PG_DSN = pgDsn({ database: PG_DB });
export const PG_DSN_SECRET = pgDsn({ database: PG_DB, password: SECRETS.dsnPwdEncoded });

interface PgClient {
  connect(): Promise<void>;
  query<R = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<{ rows: R[]; rowCount: number | null }>;
  end(): Promise<void>;
}

export async function pgConnect(dsn = PG_DSN): Promise<PgClient> {
  const pg = require('pg') as { Client: new (o: { connectionString: string; application_name?: string }) => PgClient };
  const client = new pg.Client({ connectionString: dsn, application_name: 'bigrays-reliability-observer' });
  await client.connect();
  return client;
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/** Creates this process's database (once), and drops those of test processes that are gone. */
export async function ensurePgDatabase(): Promise<void> {
  const admin = await pgConnect(PG_ADMIN_DSN);
  try {
    const { rows } = await admin.query<{ datname: string }>("select datname from pg_database where datname like 'bigrays\\_reli\\_%'");
    for (const { datname } of rows) {
      const pid = Number(/^bigrays_reli_(\d+)$/.exec(datname)?.[1]);
      if (pid && pid !== process.pid && !alive(pid)) await admin.query(`drop database if exists ${datname} with (force)`).catch(() => undefined);
    }
    if (!rows.some((r) => r.datname === PG_DB)) await admin.query(`create database ${PG_DB}`);
  } finally {
    await admin.end();
  }
}

/** Drops this process's database (end of a test file). */
export async function dropPgDatabase(): Promise<void> {
  const admin = await pgConnect(PG_ADMIN_DSN);
  try {
    await admin.query(`drop database if exists ${PG_DB} with (force)`);
  } finally {
    await admin.end();
  }
}

export interface Backend {
  pid: number;
  application_name: string;
  state: string | null;
  query: string;
}

/** Backends connected to the reliability database, except the observer's own. */
export async function pgBackends(observer: PgClient): Promise<Backend[]> {
  const { rows } = await observer.query<Backend>(
    `select pid, application_name, state, query from pg_stat_activity
      where datname = $1 and pid <> pg_backend_pid() and backend_type = 'client backend'
        and application_name <> 'bigrays-reliability-observer'`,
    [PG_DB],
  );
  return rows;
}

export async function pgTableExists(observer: PgClient, table: string): Promise<boolean> {
  const { rows } = await observer.query('select to_regclass($1) as t', [table]);
  return (rows[0] as { t: string | null }).t !== null;
}
