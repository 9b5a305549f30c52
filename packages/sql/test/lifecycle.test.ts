/**
 * Session lifecycle: close() never hangs (broken connection, query still
 * running), an open transaction is rolled back, a broken session is
 * unhealthy and reopened, a timed-out task cancels its query on the server.
 */
import { describe, it, expect, beforeEach, beforeAll, afterAll } from '@jest/globals';
import { join } from 'node:path';
import { BigraysConfig, Input, Task, resetJobs, type Row } from '@bigrays/core';
import { liveSpoolFiles } from '@bigrays/core/testing';
import { SQLQuery, SQLSession, SQLTask, SQLWrite } from '@bigrays/sql';
import { requireService } from '../../../test/support/services.js';
import { MARIADB_DSN, PG_DSN, dropCreatedTables, failureOf, openSession, run, sqliteDir, uniqueTable } from './helpers.js';

const pgUp = await requireService('postgres', 'sql/postgres');
const mariaUp = await requireService('mariadb', 'sql/mariadb');

interface Server {
  name: string;
  dsn: string;
  up: boolean;
  sleep(seconds: number): string;
  myId: string;
  kill(id: string): string;
  /** Running statements that contain `text`. */
  running(text: string): string;
}

const SERVERS: Server[] = [
  {
    name: 'postgres',
    dsn: PG_DSN,
    up: pgUp,
    sleep: (s) => `select pg_sleep(${s})`,
    myId: 'select pg_backend_pid() as id',
    kill: (id) => `select pg_terminate_backend(${id})`,
    running: (text) => `select count(*) as n from pg_stat_activity where state = 'active' and query like '%${text}%' and pid <> pg_backend_pid()`,
  },
  {
    name: 'mariadb',
    dsn: MARIADB_DSN,
    up: mariaUp,
    sleep: (s) => `select sleep(${s})`,
    myId: 'select connection_id() as id',
    kill: (id) => `kill ${id}`,
    running: (text) => `select count(*) as n from information_schema.processlist where info like '%${text}%' and id <> connection_id()`,
  },
];

async function until(check: () => boolean | Promise<boolean>, ms = 5000): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return check();
}

async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const start = Date.now();
  const value = await fn();
  return { ms: Date.now() - start, value };
}

for (const server of SERVERS) {
  (server.up ? describe : describe.skip)(`session lifecycle on ${server.name}`, () => {
    let admin: SQLSession;
    beforeAll(async () => {
      admin = await openSession(server.dsn);
    });
    afterAll(async () => {
      if (admin) await dropCreatedTables(admin);
      await admin?.close();
    });
    beforeEach(() => {
      resetJobs();
      BigraysConfig.DB_DSN = server.dsn;
    });

    const stillRunning = async (text: string) => Number((await admin.query(server.running(text)))[0]!.n);

    it('is unhealthy once the server drops the connection, and closes at once', async () => {
      const session = await openSession(server.dsn);
      expect(session.healthy()).toBe(true);
      const id = String((await session.query(server.myId))[0]!.id);
      await admin.execute(server.kill(id)).catch(() => undefined);
      await admin.query(server.kill(id)).catch(() => undefined);
      // The driver notices when it next reads from the socket; a query makes it read.
      await session.query('select 1').catch(() => undefined);
      expect(await until(() => !session.healthy())).toBe(true);
      const { ms } = await timed(() => session.close(new Error('job failed')));
      expect(ms).toBeLessThan(5000);
    });

    it('close() does not hang while a query is still running, and cancels it on the server', async () => {
      const session = await openSession(server.dsn);
      const marker = `bigrays_marker_${uniqueTable('m')}`;
      const pending = session.query(`${server.sleep(30)} as ${marker}`).catch((e: unknown) => e);
      expect(await until(async () => (await stillRunning(marker)) === 1)).toBe(true);
      const { ms } = await timed(() => session.close(new Error('interrupted')));
      expect(ms).toBeLessThan(8000);
      expect(await pending).toBeInstanceOf(Error);
      expect(await until(async () => (await stillRunning(marker)) === 0)).toBe(true);
    });

    it('close(error) rolls back an open transaction', async () => {
      const t = uniqueTable('tx');
      await admin.execute(`create table ${t} (id integer)`);
      const session = await openSession(server.dsn);
      await session.queryRunner.startTransaction();
      await session.query(`insert into ${t} values (1)`);
      await session.close(new Error('task failed'));
      expect(await admin.query(`select count(*) as n from ${t}`)).toEqual([{ n: server.name === 'postgres' ? '0' : '0' }]);
    });

    it('a task timeout cancels the query on the server, and the next task gets a working session', async () => {
      const marker = `bigrays_marker_${uniqueTable('m')}`;
      @Task({ timeout: 400 }) class Slow extends SQLQuery {
        query = `${server.sleep(20)} as ${marker}`;
      }
      @Task({ runWithExceptions: true }) class After extends SQLQuery {
        query = 'select 1 as one';
      }
      const { ms, value: result } = await timed(() => run(Slow, After));
      expect(ms).toBeLessThan(8000);
      expect(failureOf(result, 'Slow')).toMatch(/timed out after 400 ms/);
      expect(result.output<Row[]>(After)).toEqual([{ one: 1 }]);
      expect(await until(async () => (await stillRunning(marker)) === 0)).toBe(true);
    });

    it('a timed-out spool stops streaming, deletes its spool file and leaves no query running', async () => {
      const marker = `bigrays_marker_${uniqueTable('m')}`;
      const huge =
        server.name === 'postgres'
          ? `select g as ${marker}, repeat('x', 200) as pad from generate_series(1, 100000000) g`
          : `select seq as ${marker}, repeat('x', 200) as pad from seq_1_to_100000000`;
      @Task({ timeout: 700 }) class Huge extends SQLQuery {
        query = huge;
        spool = true;
      }
      @Task({ timeout: 700 }) class HugeWithParams extends SQLQuery {
        query = `select * from (${huge}) q where ${marker} > :min`;
        params = { min: 0 };
        spool = true;
      }
      @Task({ runWithExceptions: true }) class After extends SQLQuery {
        query = 'select 3 as three';
      }
      const before = liveSpoolFiles().length;
      const { ms, value: result } = await timed(() => run(Huge, HugeWithParams, After));
      expect(ms).toBeLessThan(10_000);
      expect(failureOf(result, 'Huge')).toMatch(/timed out after 700 ms/);
      expect(result.report('HugeWithParams')!.status).toBe('skipped');
      expect(result.output<Row[]>(After)).toEqual([{ three: 3 }]);
      expect(liveSpoolFiles().length).toBe(before);
      expect(await until(async () => (await stillRunning(marker)) === 0)).toBe(true);

      resetJobs();
      @Task({ timeout: 700 }) class HugeWithParamsAlone extends SQLQuery {
        query = `select * from (${huge}) q where ${marker} > :min`;
        params = { min: 0 };
        spool = true;
      }
      const second = await timed(() => run(HugeWithParamsAlone, After));
      expect(second.ms).toBeLessThan(10_000);
      expect(failureOf(second.value, 'HugeWithParamsAlone')).toMatch(/timed out after 700 ms/);
      expect(second.value.output<Row[]>(After)).toEqual([{ three: 3 }]);
      expect(await until(async () => (await stillRunning(marker)) === 0)).toBe(true);
    }, 30_000);

    it.each(['replace', 'fail'] as const)(
      "a connection killed in the middle of SQLWrite (ifExists = '%s') leaves the old table (or none) and no staging table",
      async (ifExists) => {
        const t = uniqueTable('kw');
        if (ifExists === 'replace') await admin.execute(`create table ${t} (id integer); insert into ${t} values (1), (2)`);
        @Task() class Who extends SQLQuery {
          query = server.myId;
        }
        @Task() class Rows {
          @Input(Who) who!: Row[];
          run() {
            const id = String(this.who[0]!.id);
            return (async function* () {
              for (let i = 0; i < 20_000; i++) {
                if (i === 3000) await admin.query(server.kill(id)).catch(() => undefined);
                yield { id: i, label: `row ${i}` };
              }
            })();
          }
        }
        @Task() class Write extends SQLWrite {
          @Input(Rows) input!: AsyncIterable<Row>;
          table = t;
          ifExists = ifExists;
        }
        const result = await run(Who, Rows, Write);
        expect(result.report('Write')!.status).toBe('failed');
        const left = await admin.query(
          server.name === 'postgres'
            ? `select tablename as name from pg_tables where tablename like :like`
            : `select table_name as name from information_schema.tables where table_schema = database() and table_name like :like`,
          { like: `${t}%` },
        );
        if (ifExists === 'replace') {
          expect(left).toEqual([{ name: t }]);
          expect(await admin.query(`select id from ${t} order by id`)).toEqual([{ id: 1 }, { id: 2 }]);
        } else {
          expect(left).toEqual([]);
        }
      },
    );

    it('a session broken between two tasks is reopened for the next one', async () => {
      @Task() class Breaks extends SQLTask {
        async run(db: SQLSession) {
          const id = String((await db.query(server.myId))[0]!.id);
          await admin.query(server.kill(id)).catch(() => undefined);
          await db.query('select 1').catch(() => undefined);
          await until(() => !db.healthy());
          return db.healthy();
        }
      }
      @Task() class Next extends SQLQuery {
        query = 'select 2 as two';
      }
      const result = await run(Breaks, Next);
      expect(result.output(Breaks)).toBe(false);
      expect(result.output<Row[]>(Next)).toEqual([{ two: 2 }]);
    });
  });
}

describe('session lifecycle on sqlite', () => {
  it('close() ends an unfinished stream and closes the file', async () => {
    const dsn = `sqlite:${join(sqliteDir(), 'life.db')}`;
    const session = await openSession(dsn);
    await session.write('t', Array.from({ length: 20_000 }, (_, i) => ({ id: i })));
    const it = session.stream('select id from t')[Symbol.asyncIterator]();
    expect((await it.next()).value).toEqual({ id: 0 });
    const { ms } = await timed(() => session.close());
    expect(ms).toBeLessThan(5000);
    expect(session.healthy()).toBe(false);
    // The file is free: another session can write to it.
    const other = await openSession(dsn);
    await other.execute('drop table t');
    await other.close();
  });

  it('refuses another statement while a stream holds the connection, with a clear message', async () => {
    const session = await openSession('sqlite::memory:');
    try {
      await session.write('t', [{ id: 1 }, { id: 2 }]);
      const seen: unknown[] = [];
      let message = '';
      for await (const row of session.stream('select id from t')) {
        seen.push(row);
        message = await session.query('select 1').then(
          () => 'ran',
          (e: Error) => e.message,
        );
      }
      expect(seen).toHaveLength(2);
      expect(message).toMatch(/busy streaming the rows of db\.stream\(\): finish \(or break out of\) that loop/);
      expect(await session.query('select count(*) as n from t')).toEqual([{ n: 2 }]);
    } finally {
      await session.close();
    }
  });
});
