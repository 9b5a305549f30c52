/**
 * SQL faults against the real PostgreSQL (and MariaDB): the backend of a
 * running SQLQuery / SQLWrite is terminated, or the CLI gets SIGINT/SIGTERM
 * mid-query, mid-transaction, mid-spool. Each checks the exit code and its
 * promptness, the message, that nothing half-written remains (the old table
 * of an `ifExists = 'replace'` is intact, no staging table is left), that
 * the transaction was rolled back, that no connection is left open
 * (pg_stat_activity), that no spool directory is left, and that no secret
 * was printed (the runs use `--log-level debug`).
 *
 * Everything runs in the dedicated database `bigrays_reliability` so that
 * counting backends is not disturbed by other suites.
 */
import { describe, it, expect, beforeAll, afterAll, beforeEach, afterEach } from '@jest/globals';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { startCli, REPO, type CliResult } from '../support/cli.js';
import { MARIADB_DSN, requireService } from '../support/services.js';
import { fixture } from './paths.js';
import { errorBlock } from '../support/output.js';
import { PG_DSN_SECRET, dropPgDatabase, ensurePgDatabase, pgBackends, pgConnect, pgTableExists } from '../support/pg-database.js';
import { eventually, sleep } from '../support/poll.js';
import { expectNoSecrets, secretEnv } from '../support/secrets.js';
import { spoolDirsOf } from '../support/spool.js';
import { interrupt } from '../support/signals.js';

const sqlBuilt = existsSync(join(REPO, 'packages', 'sql', 'dist', 'index.js'));
const pgReady = sqlBuilt && (await requireService('postgres', 'reliability: SQL faults on PostgreSQL'));
const mariaReady = sqlBuilt && (await requireService('mariadb', 'reliability: SQL faults on MariaDB'));

type Observer = Awaited<ReturnType<typeof pgConnect>>;
let scratch: string;
const eventsFile = () => join(scratch, 'events.txt');
const events = () => (existsSync(eventsFile()) ? readFileSync(eventsFile(), 'utf8').trim().split('\n').filter(Boolean) : []);
const unique = () => `reli_${randomBytes(4).toString('hex')}`;

beforeEach(() => {
  scratch = mkdtempSync(join(tmpdir(), 'bigrays-reli-sql-'));
});
afterEach(() => rmSync(scratch, { recursive: true, force: true }));

/** Starts a job with --log-level debug, the PostgreSQL DSN with a password, and DB_PWD set (trust auth ignores both). */
function start(job: string, extraEnv: Record<string, string> = {}) {
  const started = startCli([fixture(job), '--log-level', 'debug'], {
    cwd: scratch,
    env: secretEnv({ BIGRAYS_DB_DSN: PG_DSN_SECRET, RELI_EVENTS: eventsFile(), ...extraEnv }),
  });
  watch(started);
  return started;
}

/** Remembers the child's output, to show it when a wait for it fails. */
let lastOutput: () => string = () => '';
function watch({ child }: { child: import('node:child_process').ChildProcess }) {
  let out = '';
  child.stdout?.on('data', (d) => (out += d));
  child.stderr?.on('data', (d) => (out += d));
  lastOutput = () => `exit ${child.exitCode}; output:\n${out.slice(-3000)}`;
}
const waitForEvent = (name: string) =>
  eventually(() => events().includes(name), 20_000, `'${name}' (${lastOutput()})`).catch((e: Error) => {
    throw new Error(`${e.message}\n${lastOutput()}`);
  });

async function finish(done: Promise<CliResult>, since: number) {
  const r = await done;
  expectNoSecrets(r.stdout + r.stderr, 'output');
  return { ...r, ms: Date.now() - since };
}

(pgReady ? describe : describe.skip)('PostgreSQL', () => {
  let observer: Observer;

  beforeAll(async () => {
    await ensurePgDatabase();
    observer = await pgConnect();
  });
  afterAll(async () => {
    await observer?.end();
    await dropPgDatabase();
  });

  /** The job's backend(s): application_name 'bigrays' in the reliability database. */
  const jobBackends = async () => (await pgBackends(observer)).filter((b) => b.application_name === 'bigrays');
  const waitForBackend = (pattern: RegExp) =>
    eventually(async () => (await jobBackends()).some((b) => b.state === 'active' && pattern.test(b.query)), 20_000, `a backend running ${pattern}`).catch(
      async (e: Error) => {
        throw new Error(`${e.message}; backends: ${JSON.stringify(await jobBackends())}; events: ${JSON.stringify(events())}\n${lastOutput()}`);
      },
    );
  const terminate = async (pattern: RegExp) => {
    const victims = (await jobBackends()).filter((b) => pattern.test(b.query));
    expect(victims).toHaveLength(1);
    await observer.query('select pg_terminate_backend($1)', [victims[0]!.pid]);
  };
  const noBackendLeft = () => eventually(async () => (await jobBackends()).length === 0, 3_000, 'no bigrays backend left').then(() => true);

  describe('the backend of a running task is terminated (pg_terminate_backend)', () => {
    it('SQLQuery: fails naming the task and the SQL, exits 1 within 5 s, no connection left', async () => {
      const { done } = start('pg-slow-query.ts');
      await waitForBackend(/pg_sleep\(30\)/);
      const killed = Date.now();
      await terminate(/pg_sleep\(30\)/);
      const r = await finish(done, killed);
      expect(r.code).toBe(1);
      expect(r.ms).toBeLessThan(5_000);
      expect(r.stderr).toContain('bigrays: job failed (failed: SlowQuery; skipped: After)');
      expect(r.stderr).toContain(
        "  ✖ SlowQuery: PostgreSQL error 57P01: terminating connection due to administrator command\n  in the SQL:\n    select pg_sleep(30) as slept, 'reli-slow-query' as marker",
      );
      expect(events()).not.toContain('After ran!');
      expect(await noBackendLeft()).toBe(true);
    });

    it("SQLWrite with ifExists = 'replace': exits 1 within 5 s, the old table is intact, no staging table, no connection left", async () => {
      const table = unique();
      await observer.query(`create table ${table} (id integer, label text, amount double precision)`);
      await observer.query(`insert into ${table} values (1, 'old one', 1.5), (2, 'old two', 3)`);
      const tablesBefore = await tablesLike(observer, table);
      const { done } = start('sql-write-replace.ts', { RELI_TABLE_NAME: table });
      await waitForEvent('writing');
      await waitForBackend(/^COPY /);
      const killed = Date.now();
      await terminate(/^COPY /);
      const r = await finish(done, killed);
      expect(r.code).toBe(1);
      expect(r.ms).toBeLessThan(5_000);
      expect(errorBlock(r.stderr.replace(/\n(stack|caused by): [\s\S]*$/, ''))).toMatch(
        /^bigrays: job failed \(failed: Replace; skipped: After\)\n {2}✖ Replace: PostgreSQL error 57P01: terminating connection due to administrator command/,
      );
      const { rows } = await observer.query(`select id, label, amount from ${table} order by id`);
      expect(rows).toEqual([
        { id: 1, label: 'old one', amount: 1.5 },
        { id: 2, label: 'old two', amount: 3 },
      ]);
      expect(await tablesLike(observer, table)).toEqual(tablesBefore);
      expect(await noBackendLeft()).toBe(true);
      await observer.query(`drop table ${table}`);
    });

    it("SQLWrite of a new table: no table is created", async () => {
      const table = unique();
      const { done } = start('sql-write-replace.ts', { RELI_TABLE_NAME: table, RELI_IF_EXISTS: 'fail' });
      await waitForEvent('writing');
      await waitForBackend(/^COPY /);
      const killed = Date.now();
      await terminate(/^COPY /);
      const r = await finish(done, killed);
      expect(r.code).toBe(1);
      expect(r.ms).toBeLessThan(5_000);
      expect(await pgTableExists(observer, table)).toBe(false);
      expect(await tablesLike(observer, table)).toEqual([]);
      expect(await noBackendLeft()).toBe(true);
    });
  });

  describe.each([
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const)('%s', (signal, code) => {
    it(`mid-query: cancels it, exits ${code} promptly, no connection left`, async () => {
      const { child, done } = start('pg-slow-query.ts');
      await waitForBackend(/pg_sleep\(30\)/);
      const sent = await interrupt(child, signal);
      const r = await finish(done, sent);
      expect(r.code).toBe(code);
      expect(r.ms).toBeLessThan(5_000);
      expect(r.stderr).toContain(`interrupted by ${signal}`);
      expect(events()).not.toContain('After ran!');
      expect(await noBackendLeft()).toBe(true);
    });

    it(`mid-transaction: the rows inserted earlier in it are rolled back (exit ${code})`, async () => {
      const table = unique();
      await observer.query(`create table ${table} (id integer, label text)`);
      const { child, done } = start('sql-tx-then-sleep.ts', { RELI_TABLE_NAME: table });
      await waitForEvent('inserted');
      await waitForBackend(/pg_sleep\(30\)/);
      const sent = await interrupt(child, signal);
      const r = await finish(done, sent);
      expect(r.code).toBe(code);
      expect(r.ms).toBeLessThan(5_000);
      expect((await observer.query(`select count(*)::int as n from ${table}`)).rows).toEqual([{ n: 0 }]);
      expect(await noBackendLeft()).toBe(true);
      await observer.query(`drop table ${table}`);
    });

    it(`mid-spool (COPY into a Dataset): no spool file or directory left, no connection left (exit ${code})`, async () => {
      const { child, done } = start('pg-spool-slow.ts');
      await waitForBackend(/^COPY /);
      // The spool directory exists while the query streams into it.
      await eventually(() => spoolDirsOf(child.pid).length === 1, 10_000, 'the spool directory');
      await sleep(300);
      const sent = await interrupt(child, signal);
      const r = await finish(done, sent);
      expect(r.code).toBe(code);
      expect(r.ms).toBeLessThan(5_000);
      expect(spoolDirsOf(child.pid)).toEqual([]);
      expect(events()).toEqual([]);
      expect(await noBackendLeft()).toBe(true);
    });

    it(`mid-SQLWrite replace: the old table is intact, no staging table, no connection left (exit ${code})`, async () => {
      const table = unique();
      await observer.query(`create table ${table} (id integer, label text, amount double precision)`);
      await observer.query(`insert into ${table} values (7, 'old', 1)`);
      const { child, done } = start('sql-write-replace.ts', { RELI_TABLE_NAME: table });
      await waitForEvent('writing');
      const sent = await interrupt(child, signal);
      const r = await finish(done, sent);
      expect(r.code).toBe(code);
      expect(r.ms).toBeLessThan(5_000);
      expect((await observer.query(`select id, label from ${table}`)).rows).toEqual([{ id: 7, label: 'old' }]);
      expect(await tablesLike(observer, table)).toEqual([table]);
      expect(await noBackendLeft()).toBe(true);
      await observer.query(`drop table ${table}`);
    });
  });
});

/** Tables whose name starts with `prefix` (the table and any staging table next to it). */
async function tablesLike(observer: Observer, prefix: string): Promise<string[]> {
  const { rows } = await observer.query<{ tablename: string }>(
    "select tablename from pg_tables where schemaname = 'public' and tablename like $1 order by tablename",
    [`${prefix}%`],
  );
  return rows.map((r) => r.tablename);
}

// ------------------------------------------------------------------ MariaDB

type Maria = { query(sql: string, values?: unknown[]): Promise<[unknown, unknown]>; end(): Promise<void> };

(mariaReady ? describe : describe.skip)('MariaDB', () => {
  let maria: Maria;
  beforeAll(async () => {
    const mysql = createRequire(import.meta.url)('mysql2/promise') as { createConnection(o: object): Promise<Maria> };
    maria = await mysql.createConnection({ host: '127.0.0.1', port: 3306, user: 'root', database: 'test' });
  });
  afterAll(async () => maria?.end());

  const rows = async (sql: string) => (await maria.query(sql))[0] as Record<string, unknown>[];
  const mariaTablesLike = async (prefix: string) =>
    (await rows(`select table_name as t from information_schema.tables where table_schema = 'test' and table_name like '${prefix}%' order by t`)).map((r) => r.t);
  const jobConnections = async () =>
    (await rows("select id, info from information_schema.processlist where db = 'test' and id <> connection_id()")) as { id: number; info: string | null }[];

  /** The connection of the job while it runs an INSERT (the load of the write). */
  async function runningInsert(): Promise<{ id: number; info: string | null }> {
    let found: { id: number; info: string | null } | undefined;
    await eventually(async () => {
      found = (await jobConnections()).find((c) => /insert into/i.test(c.info ?? ''));
      return found !== undefined;
    }, 20_000, 'an INSERT running');
    return found!;
  }

  function startMaria(job: string, extraEnv: Record<string, string>) {
    // DB_PWD would override the (empty) root password: unset it here; the wrong-credentials case is in the corpus.
    const started = startCli([fixture(job), '--log-level', 'debug'], {
      cwd: scratch,
      env: secretEnv({ BIGRAYS_DB_DSN: MARIADB_DSN, BIGRAYS_DB_PWD: undefined, RELI_EVENTS: eventsFile(), ...extraEnv }),
    });
    watch(started);
    return started;
  }

  // Was bug S1 (fixed): the staging table `<table>_bigrays_new_<hex>` was left behind.
  it("the connection of a running SQLWrite (ifExists = 'replace') is killed: exit 1, the old table intact, no staging table left", async () => {
    const table = unique();
    await maria.query(`create table ${table} (id integer, label text, amount double)`);
    await maria.query(`insert into ${table} values (1, 'old one', 1.5)`);
    const { done } = startMaria('sql-write-replace.ts', { RELI_TABLE_NAME: table });
    await waitForEvent('writing');
    const victim = await runningInsert();
    const killed = Date.now();
    await maria.query(`kill ${victim.id}`);
    const r = await finish(done, killed);
    expect(r.code).toBe(1);
    expect(r.ms).toBeLessThan(5_000);
    expect(r.stderr).toContain('bigrays: job failed (failed: Replace; skipped: After)');
    expect(await rows(`select id, label from ${table}`)).toEqual([{ id: 1, label: 'old one' }]);
    const left = await mariaTablesLike(table);
    for (const t of left) await maria.query(`drop table ${t}`);
    expect(left).toEqual([table]);
  });

  // Was bug S1 (fixed): on MariaDB the table is created outside the transaction (DDL commits); when the
  // connection died mid-load, the DROP TABLE of the clean-up ran on the dead connection and failed.
  it("the connection of a running SQLWrite of a new table is killed: no table is left", async () => {
    const table = unique();
    const { done } = startMaria('sql-write-replace.ts', { RELI_TABLE_NAME: table, RELI_IF_EXISTS: 'fail' });
    await waitForEvent('writing');
    const victim = await runningInsert();
    await maria.query(`kill ${victim.id}`);
    const r = await finish(done, Date.now());
    expect(r.code).toBe(1);
    const left = await mariaTablesLike(table);
    for (const t of left) await maria.query(`drop table ${t}`);
    expect(left).toEqual([]);
    // The server rolls the killed INSERT back before the clean-up's DROP can take the table: on a loaded machine
    // that alone can outlast Jest's default 60 s.
  }, 180_000);

  it.each([
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const)('%s mid-SQLWrite replace: the old table is intact, no staging table left', async (signal, code) => {
    const table = unique();
    await maria.query(`create table ${table} (id integer, label text, amount double)`);
    await maria.query(`insert into ${table} values (1, 'old one', 1.5)`);
    const { child, done } = startMaria('sql-write-replace.ts', { RELI_TABLE_NAME: table });
    await waitForEvent('writing');
    const sent = await interrupt(child, signal);
    const r = await finish(done, sent);
    expect(r.code).toBe(code);
    expect(r.ms).toBeLessThan(5_000);
    expect(await rows(`select id, label from ${table}`)).toEqual([{ id: 1, label: 'old one' }]);
    const left = await mariaTablesLike(table);
    for (const t of left) if (t !== table) await maria.query(`drop table ${t}`);
    await maria.query(`drop table ${table}`);
    expect(left).toEqual([table]);
  });

  it.each([
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const)('%s mid-transaction: the rows inserted earlier in it are rolled back', async (signal, code) => {
    const table = unique();
    await maria.query(`create table ${table} (id integer, label text) engine=InnoDB`);
    const { child, done } = startMaria('sql-tx-then-sleep.ts', { RELI_TABLE_NAME: table });
    await waitForEvent('inserted');
    await sleep(200);
    const sent = await interrupt(child, signal);
    const r = await finish(done, sent);
    expect(r.code).toBe(code);
    expect(r.ms).toBeLessThan(5_000);
    expect(await rows(`select count(*) as n from ${table}`)).toEqual([{ n: 0 }]);
    await eventually(async () => !(await jobConnections()).some((c) => /sleep\(30\)/.test(c.info ?? '')), 5_000, 'the sleeping query to end');
    await maria.query(`drop table ${table}`);
  });
});

