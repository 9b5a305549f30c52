/**
 * The signals matrix (issue 10): SIGINT, SIGTERM, SIGHUP, a second SIGINT or
 * SIGTERM during the first one's cleanup, and SIGKILL, at each phase of a
 * real job run by a child `bigrays` CLI (fixtures/signals-job.ts): opening
 * the database session, mid-statement, mid-COPY (rows streaming into a
 * replace), mid-upload (a multipart upload to moto), mid-swap (the replace's
 * DROP/RENAME waits for a lock the test holds), closing (a resource's slow
 * close after the write finished).
 *
 * After each interruption: the exit code is 128 + the signal (SIGKILL: killed),
 * the target table is either intact (the old row) or complete (all N new
 * rows) — never empty, partial or gone —, no staging table is left (after
 * SIGKILL: none after the next run, which must sweep them), no spool
 * directory of the child is left, no multipart upload is left open (except
 * after SIGKILL, which no process can clean: a bucket lifecycle rule must),
 * and the next run of the same job starts clean and completes.
 *
 * `pnpm test` runs one interruption per phase (rotating through them);
 * `pnpm test:reliability` (RELI_SLOW=1) runs the whole matrix. Cases failing
 * for a known finding are listed in test/support/known-bugs.ts.
 */
import { afterAll, beforeAll, describe, expect } from '@jest/globals';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { startCli, REPO, type CliResult } from '../support/cli.js';
import { MARIADB_DSN, requireService } from '../support/services.js';
import { poll, sleep } from '../support/poll.js';
import { INTERRUPTIONS, expectedExit, interrupt, type Interruption } from '../support/signals.js';
import { caseTitle, itCase, masked } from '../support/known-bugs.js';
import { fixture } from './paths.js';
import { destroyClients, motoUrl, s3CreateBucket, s3Get, s3OpenUploads } from '../support/aws.js';
import { PG_DSN, dropPgDatabase, ensurePgDatabase, pgConnect } from '../support/pg-database.js';
import { secretEnv } from '../support/secrets.js';
import { spoolDirsOf } from '../support/spool.js';
import { SLOW } from '../support/test-variants.js';

const built = existsSync(join(REPO, 'packages', 'sql', 'dist', 'index.js')) && existsSync(join(REPO, 'packages', 'aws', 'dist', 'index.js'));
const pgReady = built && (await requireService('postgres', 'signals matrix (PostgreSQL)'));
const myReady = built && (await requireService('mariadb', 'signals matrix (MariaDB)'));
const motoReady = built && (await requireService('moto', 'signals matrix (S3)'));

const N = 20_000;
type Phase = 'opening' | 'statement' | 'copy' | 'upload' | 'swap' | 'closing';
type Dialect = 'postgres' | 'mysql';
const PHASES: Phase[] = ['opening', 'statement', 'copy', 'upload', 'swap', 'closing'];
const ONLY: Record<Phase, string> = { opening: 'Write', statement: 'Statement', copy: 'Write', upload: 'Upload', swap: 'Write', closing: 'Write,Finish' };

// ------------------------------------------------------------------ observers (direct clients, not the code under test)

const sqlRequire = createRequire(join(REPO, 'packages', 'sql', 'package.json'));
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Any = any;

interface Observer {
  query(sql: string, params?: unknown[]): Promise<Record<string, unknown>[]>;
  end(): Promise<void>;
}

async function observer(dialect: Dialect): Promise<Observer> {
  if (dialect === 'postgres') {
    const c = await pgConnect(PG_DSN);
    return { query: async (sql, params) => (await c.query(sql, params)).rows as Record<string, unknown>[], end: () => c.end() };
  }
  const mysql = sqlRequire('mysql2/promise') as Any;
  const c = await mysql.createConnection({ host: '127.0.0.1', port: 3306, user: 'root', database: 'test', multipleStatements: true });
  return { query: async (sql, params) => (await c.query(sql, params))[0] as Record<string, unknown>[], end: () => c.end() };
}

/** Tables whose name starts with `table` other than `table` itself: staging/old copies. */
async function leftovers(o: Observer, dialect: Dialect, table: string): Promise<string[]> {
  const rows =
    dialect === 'postgres'
      ? await o.query(`select relname as name from pg_class where relkind = 'r' and relname like $1 and relname <> $2`, [`${table}%`, table])
      : await o.query('select table_name as name from information_schema.tables where table_schema = database() and table_name like ? and table_name <> ?', [
          `${table}%`,
          table,
        ]);
  return rows.map((r) => String(r.name));
}

/** Server statements of the job (any session but the observers') whose text contains `marker`. */
async function running(o: Observer, dialect: Dialect, marker: string): Promise<number[]> {
  const rows =
    dialect === 'postgres'
      ? await o.query(`select pid as id from pg_stat_activity where state = 'active' and pid <> pg_backend_pid() and query like $1`, [`%${marker}%`])
      : await o.query(`select id from information_schema.processlist where command = 'Query' and id <> connection_id() and info like ?`, [`%${marker}%`]);
  return rows.map((r) => Number(r.id));
}

async function terminate(o: Observer, dialect: Dialect, marker: string): Promise<void> {
  for (const id of await running(o, dialect, marker)) {
    await o.query(dialect === 'postgres' ? 'select pg_terminate_backend($1)' : `kill ${Number(id)}`, dialect === 'postgres' ? [id] : undefined).catch(() => undefined);
  }
}

/** What the target holds: 'old' (intact), 'new' (complete), or a description of what is wrong. */
async function targetState(o: Observer, table: string): Promise<string> {
  let rows: Record<string, unknown>[];
  try {
    rows = await o.query(`select count(*) as n, min(label) as lo, max(label) as hi, sum(case when label = 'partial' then 1 else 0 end) as p from ${table}`);
  } catch (error) {
    return `unreadable: ${(error as Error).message}`;
  }
  const { n, lo, hi, p } = rows[0] as { n: unknown; lo: unknown; hi: unknown; p: unknown };
  if (Number(n) === 1 && lo === 'old' && hi === 'old') return 'old';
  if (Number(n) === N && Number(p) === 0 && String(lo).startsWith('new row')) return 'new';
  return `half-written: ${n} rows (labels ${lo} … ${hi}, ${p} partial)`;
}

// ------------------------------------------------------------------ the matrix

const scratch = mkdtempSync(join(tmpdir(), 'bigrays-signals-'));
const bucket = `bigrays-signals-${randomBytes(4).toString('hex')}`;
const observers = new Map<Dialect, Observer>();

beforeAll(async () => {
  if (pgReady) await ensurePgDatabase();
  if (motoReady) await s3CreateBucket(bucket);
});
afterAll(async () => {
  for (const o of observers.values()) await o.end().catch(() => undefined);
  if (pgReady) await dropPgDatabase().catch(() => undefined);
  destroyClients();
  rmSync(scratch, { recursive: true, force: true });
});

async function obs(dialect: Dialect): Promise<Observer> {
  let o = observers.get(dialect);
  if (!o) observers.set(dialect, (o = await observer(dialect)));
  return o;
}

/** A server that accepts connections and never answers: the session hangs while opening. */
async function blackHole(): Promise<{ port: number; connected: () => boolean; close: () => Promise<void> }> {
  const sockets: Socket[] = [];
  const server: Server = createServer((s) => sockets.push(s));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as { port: number }).port,
    connected: () => sockets.length > 0,
    close: () => new Promise<void>((r) => (sockets.forEach((s) => s.destroy()), server.close(() => r()))),
  };
}

function cases(): { dialect: Dialect; phase: Phase; interruption: Interruption }[] {
  const all: { dialect: Dialect; phase: Phase; interruption: Interruption }[] = [];
  let k = 0;
  for (const dialect of ['postgres', 'mysql'] as Dialect[]) {
    for (const phase of PHASES) {
      if (phase === 'upload' && dialect === 'mysql') continue; // no database in that phase
      const chosen = SLOW ? INTERRUPTIONS : dialect === 'postgres' || ['statement', 'copy', 'swap'].includes(phase) ? [INTERRUPTIONS[k++ % INTERRUPTIONS.length]!] : [];
      for (const interruption of chosen) all.push({ dialect, phase, interruption });
    }
  }
  return all;
}

describe('signals matrix', () => {
  for (const { dialect, phase, interruption } of cases()) {
    const id = `signals.${phase === 'upload' ? 's3' : dialect}.${phase}.${interruption}`;
    const ready = phase === 'upload' ? motoReady : dialect === 'postgres' ? pgReady : myReady;
    (ready ? itCase(id) : itCase(id).skip)(caseTitle(id), async () => {
      const o = phase === 'upload' ? undefined : await obs(dialect);
      const table = `sig_${randomBytes(4).toString('hex')}`;
      const sleepFor = `30.${String(Math.floor(Math.random() * 1000)).padStart(3, '0')}1`;
      const key = `${table}.bin`;
      const events = join(scratch, `${table}.events`);
      const seen = () => (existsSync(events) ? readFileSync(events, 'utf8').split('\n') : []);
      if (o) {
        await o.query(`create table ${table} (id integer, label text)`);
        await o.query(`insert into ${table} values (0, 'old')`);
      }
      const dsn = dialect === 'postgres' ? PG_DSN : MARIADB_DSN;
      const hole = phase === 'opening' ? await blackHole() : undefined;
      const env = (extra: Record<string, string | undefined> = {}) =>
        secretEnv({
          BIGRAYS_DB_DSN: dsn,
          // Whatever the shell has: no password override (MariaDB's root has none; PostgreSQL trusts).
          BIGRAYS_DB_PWD: undefined,
          BIGRAYS_DB_USER: undefined,
          BIGRAYS_AWS_ENDPOINT_URL: motoUrl(),
          BIGRAYS_S3_SECRET_ACCESS_KEY: 'testing',
          RELI_PHASE: phase,
          RELI_TABLE: table,
          RELI_SLEEP: sleepFor,
          RELI_DIALECT: dialect,
          RELI_BUCKET: bucket,
          RELI_KEY: key,
          RELI_EVENTS: events,
          ...extra,
        });
      const run = (extra: Record<string, string> = {}) =>
        startCli([fixture('signals-job.ts'), '--only', ONLY[phase]], { cwd: scratch, env: env(extra) });

      // 1. Start the job and wait for the phase.
      const startedAt = Date.now();
      const first = run(hole ? { BIGRAYS_DB_DSN: dsn.replace(/:(5432|3306)\//, `:${hole.port}/`) } : {});
      let out = '';
      first.child.stdout.on('data', (d) => (out += d));
      first.child.stderr.on('data', (d) => (out += d));
      const context = () => `phase ${phase}; events: ${JSON.stringify(seen())}; output so far:\n${out.slice(-2000)}`;
      let lockHolder: Observer | undefined;
      try {
        switch (phase) {
          case 'opening':
            await poll(() => hole!.connected(), { what: 'the job to connect', context });
            await sleep(200);
            break;
          case 'statement':
            await poll(async () => (await running(o!, dialect, sleepFor)).length > 0, { what: 'the statement to run', context });
            break;
          case 'copy':
            await poll(() => seen().includes('writing'), { what: "'writing'", context });
            break;
          case 'upload':
            await poll(() => seen().includes('streaming'), { what: "'streaming'", context });
            await poll(async () => (await s3OpenUploads(bucket)).some((u) => u.key === key), { what: 'the multipart upload', context });
            break;
          case 'swap': {
            // Hold a lock on the target so the swap (DROP/RENAME) waits; release it after the child exits (or 5 s).
            lockHolder = await observer(dialect);
            if (dialect === 'postgres') await lockHolder.query(`begin; lock table ${table} in access share mode`);
            else await lockHolder.query(`start transaction; select count(*) from ${table}`);
            await poll(
              async () =>
                dialect === 'postgres'
                  ? (await o!.query(`select 1 from pg_stat_activity where application_name = 'bigrays' and wait_event_type = 'Lock' and query like $1`, [`%${table}%`])).length > 0
                  : (await o!.query(`select 1 from information_schema.processlist where state like '%metadata lock%' and info like ?`, [`%${table}%`])).length > 0,
              { what: 'the swap to wait for the lock', timeoutMs: 30_000, context },
            );
            break;
          }
          case 'closing':
            await poll(() => seen().includes('closing'), { what: "'closing'", context });
            break;
        }

        // 2. Interrupt.
        const at = await interrupt(first.child, interruption);
        const release = lockHolder
          ? Promise.race([first.done, sleep(5_000)]).then(() => lockHolder!.query(dialect === 'postgres' ? 'rollback' : 'commit'))
          : Promise.resolve();
        const r: CliResult = await Promise.race([
          first.done,
          sleep(30_000).then(() => {
            first.child.kill('SIGKILL');
            throw new Error(`the job did not exit within 30 s of ${interruption}; ${context()}`);
          }),
        ]);
        await release;
        const ms = Date.now() - at;

        // 3. What the interrupted run left.
        const problems: string[] = [];
        const want = expectedExit(interruption);
        const okClosing = phase === 'closing' && r.code === 0; // everything had succeeded; the signal came during the final close
        // A second signal may end the process by that signal (the shell sees the same 128 + n).
        const killedBySecond = interruption.endsWith('×2') && r.signal === interruption.replace('×2', '');
        if (!okClosing && !killedBySecond && (r.code !== want.code || r.signal !== want.signal)) {
          problems.push(`exit ${r.code ?? r.signal}, expected ${want.code ?? want.signal}`);
        }
        if (ms > 15_000) problems.push(`exited ${ms} ms after the signal`);
        if (o && interruption !== 'SIGKILL') {
          // The interrupted statement must not keep running on the server (with its locks).
          const stillRunning = async () => (await running(o, dialect, table)).length + (await running(o, dialect, sleepFor)).length > 0;
          const ended = await poll(async () => !(await stillRunning()), { timeoutMs: 3_000 }).then(
            () => true,
            () => false,
          );
          if (!ended) problems.push('the interrupted statement is still running on the server 3 s after the exit');
        }
        if (o) {
          const state = await targetState(o, table);
          if (state !== 'old' && state !== 'new') problems.push(`target ${state}`);
          if (phase === 'closing' && state !== 'new') problems.push(`target ${state}, but the write had finished before the signal`);
          // Finding 23 (open): what a second signal leaves depends on timing; the next run must sweep it (checked below).
          if (interruption !== 'SIGKILL' && !(interruption.endsWith('×2') && masked(23))) {
            const left = await leftovers(o, dialect, table);
            if (left.length > 0) problems.push(`staging tables left: ${left.join(', ')}`);
          }
        }
        // Only directories made by this child: pids are reused, and a dead process of another suite may have left one.
        const spool = spoolDirsOf(first.child.pid).filter((d) => {
          const st = statSync(join(tmpdir(), d), { throwIfNoEntry: false });
          return st !== undefined && (st.birthtimeMs || st.ctimeMs) >= startedAt - 1_000;
        });
        if (spool.length > 0) problems.push(`spool directories left: ${spool.join(', ')}`);
        if (phase === 'upload' && interruption !== 'SIGKILL' && !(interruption.endsWith('×2') && masked(23))) {
          const open = (await s3OpenUploads(bucket)).filter((u) => u.key === key);
          if (open.length > 0) problems.push(`${open.length} multipart upload(s) left open`);
        }
        if (phase === 'upload' && (await s3Get(bucket, key)) !== undefined) problems.push('an object was created from an interrupted upload');

        // 4. The next run starts clean and completes.
        await hole?.close();
        const next = await run({ RELI_FINITE: '1' }).done;
        if (next.code !== 0) problems.push(`the next run exited ${next.code ?? next.signal}: ${next.stderr.slice(-1500)}`);
        if (o) {
          const state = await targetState(o, table);
          const complete = phase === 'statement' ? 'old' : 'new'; // the statement job's next run inserts nothing
          if (state !== complete) problems.push(`after the next run the target is ${state}, expected ${complete}`);
          const left = await leftovers(o, dialect, table);
          if (left.length > 0) problems.push(`staging tables left after the next run: ${left.join(', ')}`);
        }

        if (problems.length > 0) {
          throw new Error(`${id}:\n  ${problems.join('\n  ')}\n--- interrupted run's stderr (tail):\n${r.stderr.slice(-1500)}`);
        }
        expect(problems).toEqual([]);
      } finally {
        if (first.child.exitCode === null && first.child.signalCode === null) first.child.kill('SIGKILL');
        await lockHolder?.end().catch(() => undefined);
        await hole?.close().catch(() => undefined);
        if (o) {
          // After SIGKILL (or a bug) the statement may still hold its locks: end it so the drop does not wait 30 s.
          await terminate(o, dialect, sleepFor).catch(() => undefined);
          for (const t of await leftovers(o, dialect, table).catch(() => [] as string[])) await o.query(`drop table if exists ${t}`).catch(() => undefined);
          await o.query(`drop table if exists ${table}`).catch(() => undefined);
        }
      }
    });
  }
});
