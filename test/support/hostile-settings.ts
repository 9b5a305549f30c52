/**
 * The server-settings matrix: "hostile" session defaults a user's server
 * may have, under which bigrays must give exactly the same values as under
 * the defaults.
 *
 * PostgreSQL: a database of this test process's own
 * (`bigrays_hostile_<pid>`) whose defaults are set with `ALTER DATABASE …
 * SET` — DateStyle `SQL, DMY`, IntervalStyle `sql_standard`, a non-UTC
 * TimeZone with a half-hour offset, `extra_float_digits = -3` (rounds
 * floats), and a `search_path` with another schema (`shadow`) in front of
 * `public`. Every new session on that database gets them, and nobody
 * else's session is touched. Databases of test processes that are gone are
 * dropped on the way.
 *
 * MariaDB: see `mysql-hostile-proxy.ts` — a per-connection proxy, never a
 * GLOBAL setting.
 */
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { REPO } from './cli.js';
import { pgDsn } from './services.js';

const sqlRequire = createRequire(join(REPO, 'packages', 'sql', 'package.json'));

export type Settings = 'defaults' | 'hostile';

export const PG_HOSTILE_DB = `bigrays_hostile_${process.pid}`;

/** What the hostile PostgreSQL database sets, for messages and docs. */
export const PG_HOSTILE_SETTINGS: Record<string, string> = {
  DateStyle: "'SQL, DMY'",
  IntervalStyle: "'sql_standard'",
  TimeZone: "'America/St_Johns'",
  extra_float_digits: '-3',
  search_path: "'shadow', 'public'",
};

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Any = any;

async function withClient<T>(dsn: string, fn: (client: Any) => Promise<T>): Promise<T> {
  const pg = sqlRequire('pg') as Any;
  const client = new pg.Client({ connectionString: dsn });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** Creates (once) the hostile database and returns its DSN. */
export async function ensurePgHostileDatabase(): Promise<string> {
  await withClient(pgDsn({ database: 'postgres' }), async (admin) => {
    const { rows } = await admin.query("select datname from pg_database where datname like 'bigrays\\_hostile\\_%'");
    for (const { datname } of rows as { datname: string }[]) {
      const pid = Number(/^bigrays_hostile_(\d+)$/.exec(datname)?.[1]);
      if (pid && pid !== process.pid && !alive(pid)) await admin.query(`drop database if exists ${datname} with (force)`).catch(() => undefined);
    }
    if (!(rows as { datname: string }[]).some((r) => r.datname === PG_HOSTILE_DB)) {
      await admin.query(`create database ${PG_HOSTILE_DB}`);
      for (const [name, value] of Object.entries(PG_HOSTILE_SETTINGS)) await admin.query(`alter database ${PG_HOSTILE_DB} set ${name} = ${value}`);
    }
  });
  const dsn = pgDsn({ database: PG_HOSTILE_DB });
  await withClient(dsn, (c) => c.query('create schema if not exists shadow'));
  return dsn;
}

export async function dropPgHostileDatabase(): Promise<void> {
  await withClient(pgDsn({ database: 'postgres' }), (admin) => admin.query(`drop database if exists ${PG_HOSTILE_DB} with (force)`));
}

// ------------------------------------------------------------------ `pnpm test:hostile`

/**
 * For `pnpm test:hostile` (BIGRAYS_TEST_SETTINGS=hostile): the DSNs of the
 * SQL suites (packages/sql/test/helpers.ts) with hostile session defaults —
 * this process's hostile PostgreSQL database, and a MariaDB proxy started in
 * this process (it lives as long as the test file's worker). Called by
 * helpers.ts at module load, once per test file.
 */
export async function hostileDsns(): Promise<{ pg: string; mariadb: string }> {
  const { startMysqlHostileProxy } = await import('./mysql-hostile-proxy.js');
  const pg = await ensurePgHostileDatabase();
  const proxy = await startMysqlHostileProxy();
  // The proxy's server must not keep the worker alive after the tests.
  proxy.unref();
  return { pg, mariadb: proxy.dsn('test') };
}
