/**
 * One suite, run against PostgreSQL, MariaDB and SQLite: every task, every
 * ifExists mode, transactions, bound parameters, sessions across tasks,
 * value types, spooling and error messages.
 */
import { describe, it, expect, beforeEach, beforeAll, afterAll } from '@jest/globals';
import { join } from 'node:path';
import { BigraysConfig, Dataset, Input, Requires, Task, resetFormatKws, resetJobs, updateFormatKws, type Row } from '@bigrays/core';
import { SQLExecute, SQLQuery, SQLSession, SQLTask, SQLWrite, sqlExecute, sqlQuery, sqlWrite } from '@bigrays/sql';
import { requireService } from '../../../test/support/services.js';
import { MARIADB_DSN, PG_DSN, dropCreatedTables, Tiny, failureOf, openSession, rejection, run, sqliteDir, uniqueTable } from './helpers.js';

const pgUp = await requireService('postgres', 'sql/postgres');
const mariaUp = await requireService('mariadb', 'sql/mariadb');
const dir = sqliteDir();

interface Driver {
  name: 'postgres' | 'mariadb' | 'sqlite';
  dsn: string;
  up: boolean;
  /** DDL of a table with one column of each type, and an INSERT of one row of known values. */
  typesTable(table: string): string;
  /** Creates a temporary table. */
  createTemp(table: string): string;
}

const DRIVERS: Driver[] = [
  {
    name: 'postgres',
    dsn: PG_DSN,
    up: pgUp,
    typesTable: (t) => `
      create table ${t} (id integer, i integer, big bigint, num numeric(10,2), b boolean, d date, ts timestamp, tstz timestamptz,
                         j jsonb, f double precision, t text, n text);
      insert into ${t} values (1, 42, 9007199254740993, 12.34, true, '2026-01-02', '2026-01-02 03:04:05.678', '2026-01-02 04:04:05.678+01',
                               '{"a": [1, 2], "s": "x"}', 1.5, 'héllo, "world"', null);
      insert into ${t} values (2, -7, -5, -0.5, false, '1999-12-31', '1999-12-31 23:59:59', '1999-12-31 23:59:59+00',
                               '[1, "two"]', -2.25, '', null);`,
    createTemp: (t) => `create temporary table ${t} (a integer)`,
  },
  {
    name: 'mariadb',
    dsn: MARIADB_DSN,
    up: mariaUp,
    typesTable: (t) => `
      create table ${t} (id int, i int, big bigint, num decimal(10,2), b boolean, d date, ts datetime(3), tstz timestamp(3) null,
                         j json, f double, t text, n text);
      insert into ${t} values (1, 42, 9007199254740993, 12.34, true, '2026-01-02', '2026-01-02 03:04:05.678', '2026-01-02 03:04:05.678',
                               '{"a": [1, 2], "s": "x"}', 1.5, 'héllo, "world"', null);
      insert into ${t} values (2, -7, -5, -0.5, false, '1999-12-31', '1999-12-31 23:59:59', '1999-12-31 23:59:59',
                               '[1, "two"]', -2.25, '', null);`,
    createTemp: (t) => `create temporary table ${t} (a integer)`,
  },
  {
    name: 'sqlite',
    dsn: `sqlite:${join(dir, 'suite.db')}`,
    up: true,
    typesTable: (t) => `
      create table ${t} (id integer, i integer, big bigint, num decimal(10,2), b boolean, d date, ts timestamp, tstz datetime,
                         j json, f real, t text, n text);
      insert into ${t} values (1, 42, 9007199254740993, 12.34, true, '2026-01-02', '2026-01-02 03:04:05.678', '2026-01-02T03:04:05.678Z',
                               '{"a": [1, 2], "s": "x"}', 1.5, 'héllo, "world"', null);
      insert into ${t} values (2, -7, -5, -0.5, false, '1999-12-31', '1999-12-31 23:59:59', '1999-12-31T23:59:59Z',
                               '[1, "two"]', -2.25, '', null);`,
    createTemp: (t) => `create temporary table ${t} (a integer)`,
  },
];

/** The rows of the types table as every driver must return them. */
const EXPECTED_TYPES: Row[] = [
  {
    id: 1,
    i: 42,
    big: '9007199254740993',
    num: '12.34',
    b: true,
    d: '2026-01-02',
    ts: new Date('2026-01-02T03:04:05.678Z'),
    tstz: new Date('2026-01-02T03:04:05.678Z'),
    j: { a: [1, 2], s: 'x' },
    f: 1.5,
    t: 'héllo, "world"',
    n: null,
  },
  {
    id: 2,
    i: -7,
    big: '-5',
    num: '-0.50',
    b: false,
    d: '1999-12-31',
    ts: new Date('1999-12-31T23:59:59Z'),
    tstz: new Date('1999-12-31T23:59:59Z'),
    j: [1, 'two'],
    f: -2.25,
    t: '',
    n: null,
  },
];

const HOSTILE = [
  "'); drop table victim; --",
  "it's \"quoted\" ''",
  'back\\slash \\\' \\',
  'unicode: héllo ✓ 𝄞 日本',
  ':name $1 ? %s {x}',
  "'; select pg_sleep(10); --",
];

for (const d of DRIVERS) {
  (d.up ? describe : describe.skip)(`@bigrays/sql on ${d.name}`, () => {
    let admin: SQLSession;

    beforeAll(async () => {
      admin = await openSession(d.dsn);
    });
    afterAll(async () => {
      if (admin) await dropCreatedTables(admin);
      await admin?.close();
    });
    beforeEach(() => {
      resetJobs();
      resetFormatKws();
      BigraysConfig.DB_DSN = d.dsn;
      delete BigraysConfig.DB_USER;
      delete BigraysConfig.DB_PWD;
    });

    const count = async (table: string): Promise<number> => Number((await admin.query(`select count(*) as n from ${table}`))[0]!.n);

    describe('SQLQuery', () => {
      it('outputs rows, with {templates} filled and :params bound', async () => {
        const t = uniqueTable('q');
        await admin.execute(`create table ${t} (id integer, name varchar(20)); insert into ${t} values (1, 'a'), (2, 'b'), (3, 'c')`);
        updateFormatKws({ table: t, min_id: 2 });
        @Task() class Pull extends SQLQuery {
          query = 'select id, name from {table} where id >= :min order by id';
          params = { min: '{min_id}' };
        }
        const result = await run(Pull);
        expect(result.ok).toBe(true);
        expect(result.output(Pull)).toEqual([{ id: 2, name: 'b' }, { id: 3, name: 'c' }]);
      });

      it('spools a Dataset with the same rows and typed columns when spool = true', async () => {
        const t = uniqueTable('q');
        await admin.execute(`create table ${t} (id integer, name varchar(20)); insert into ${t} values (1, 'a'), (2, null)`);
        @Task() class Pull extends SQLQuery {
          query = `select id, name from ${t} order by id`;
          spool = true;
        }
        @Task() class PullWithParams extends SQLQuery {
          query = `select id, name from ${t} where id > :min order by id`;
          params = { min: 0 };
          spool = true;
        }
        // Spool files live until the job ends: read them in a downstream task.
        @Task() class Read {
          @Input(Pull) plain!: Dataset;
          @Input(PullWithParams) withParams!: Dataset;
          async run() {
            const out = [];
            for (const ds of [this.plain, this.withParams]) {
              out.push({ isDataset: ds instanceof Dataset, columns: ds.columns, types: ds.columnTypes, rowCount: ds.rowCount, rows: await ds.toArray() });
            }
            return out;
          }
        }
        const result = await run(Pull, PullWithParams, Read);
        const expected = { isDataset: true, columns: ['id', 'name'], types: ['integer', 'text'], rowCount: 2, rows: [{ id: 1, name: 'a' }, { id: 2, name: null }] };
        expect(result.output(Read)).toEqual([expected, expected]);
      });

      it('an empty result is [] or an empty Dataset that still has its columns', async () => {
        const t = uniqueTable('q');
        await admin.execute(`create table ${t} (id integer, name varchar(20))`);
        expect(await sqlQuery({ query: `select * from ${t}` })).toEqual([]);
        for (const params of [undefined, { min: 0 }]) {
          const ds = await sqlQuery({ query: `select * from ${t}${params ? ' where id > :min' : ''}`, params, spool: true });
          expect([ds.columns, ds.columnTypes, ds.rowCount, await ds.toArray()]).toEqual([['id', 'name'], ['integer', 'text'], 0, []]);
        }
      });

      it('names a repeated column name_2', async () => {
        const rows = await sqlQuery({ query: 'select 1 as id, 2 as id' });
        expect(rows).toEqual([{ id: 1, id_2: 2 }]);
      });
    });

    describe('SQLExecute', () => {
      it('runs a multi-statement script and outputs the rows affected', async () => {
        const t = uniqueTable('x');
        @Task() class Script extends SQLExecute {
          statement = `create table ${t} (id integer, v varchar(10));
                       insert into ${t} values (1, 'a;b'), (2, 'c');
                       -- a comment; with a semicolon
                       update ${t} set v = 'z' where id = 2;`;
        }
        const result = await run(Script);
        expect(result.output(Script)).toBe(3);
        expect(await admin.query(`select id, v from ${t} order by id`)).toEqual([{ id: 1, v: 'a;b' }, { id: 2, v: 'z' }]);
      });

      it('binds params in every statement of a script', async () => {
        const t = uniqueTable('x');
        await admin.execute(`create table ${t} (id integer, v varchar(100))`);
        const n = await sqlExecute({
          statement: `insert into ${t} values (:id, :v); insert into ${t} values (:id + 1, :v); delete from ${t} where id = :gone`,
          params: { id: 10, v: 'it\'s; here', gone: 11 },
        });
        expect(n).toBe(3);
        expect(await admin.query(`select id, v from ${t}`)).toEqual([{ id: 10, v: "it's; here" }]);
      });

      it('rolls back the whole script when a statement fails', async () => {
        const t = uniqueTable('rb');
        await admin.execute(`create table ${t} (id integer)`);
        @Task() class Failing extends SQLExecute {
          statement = `insert into ${t} values (1); insert into ${t} values (2); insert into no_such_table_${t} values (3)`;
        }
        const result = await run(Failing);
        expect(result.ok).toBe(false);
        expect(failureOf(result, 'Failing')).toMatch(/no_such_table/);
        expect(await count(t)).toBe(0);
      });

      it('rolls back a failing script with params too', async () => {
        const t = uniqueTable('rb');
        await admin.execute(`create table ${t} (id integer)`);
        expect(
          await rejection(sqlExecute({ statement: `insert into ${t} values (:a); insert into ${t} values (:b); insert into nope_${t} values (:a)`, params: { a: 1, b: 2 } })),
        ).toMatch(/nope_/);
        expect(await count(t)).toBe(0);
      });

      if (d.name !== 'mariadb') {
        it('rolls back DDL too (transactional DDL)', async () => {
          const t = uniqueTable('rbddl');
          expect(await rejection(sqlExecute({ statement: `create table ${t} (id integer); insert into ${t} values (1); select * from nope_${t}` }))).toMatch(/nope_/);
          await expect(admin.query(`select * from ${t}`)).rejects.toThrow();
        });
      }
    });

    describe('SQLWrite', () => {
      const rows = [
        { id: 1, name: 'a', score: 1.5, ok: true, at: new Date('2026-01-02T03:04:05.678Z'), day: '2026-01-02', meta: { k: [1] }, big: 2n ** 60n },
        { id: 2, name: null, score: 2, ok: false, at: null, day: null, meta: null, big: null },
      ];
      const expectedRows = [
        { id: 1, name: 'a', score: 1.5, ok: true, at: new Date('2026-01-02T03:04:05.678Z'), day: '2026-01-02', meta: { k: [1] }, big: String(2n ** 60n) },
        { id: 2, name: null, score: 2, ok: false, at: null, day: null, meta: null, big: null },
      ];

      it('creates a missing table with types inferred from the values (ifExists = fail)', async () => {
        const t = uniqueTable('w');
        @Task() class Save extends SQLWrite {
          table = t;
          input = rows;
        }
        const result = await run(Save);
        expect(result.output(Save)).toBe(2);
        expect(await admin.query(`select * from ${t} order by id`)).toEqual(expectedRows);
      });

      it("fails, naming the table, when it exists and ifExists = 'fail' (and leaves it untouched)", async () => {
        const t = uniqueTable('w');
        await admin.execute(`create table ${t} (id integer); insert into ${t} values (99)`);
        @Task() class Save extends SQLWrite {
          table = t;
          input = [{ id: 1 }];
        }
        const result = await run(Save);
        const message = failureOf(result, 'Save');
        expect(message).toContain(`Save: table ${t} already exists`);
        expect(message).toMatch(/ifExists = 'append'/);
        expect(await admin.query(`select id from ${t}`)).toEqual([{ id: 99 }]);
      });

      it("appends with ifExists = 'append'", async () => {
        const t = uniqueTable('w');
        await admin.execute(`create table ${t} (id integer, name varchar(10)); insert into ${t} values (0, 'zero')`);
        const n = await sqlWrite({ table: t, input: [{ id: 1, name: 'one' }, { id: 2, name: 'two' }], ifExists: 'append' });
        expect(n).toBe(2);
        expect(await admin.query(`select id, name from ${t} order by id`)).toEqual([
          { id: 0, name: 'zero' },
          { id: 1, name: 'one' },
          { id: 2, name: 'two' },
        ]);
      });

      it("replaces the table with ifExists = 'replace', leaving no staging table", async () => {
        const t = uniqueTable('w');
        await admin.execute(`create table ${t} (old_column integer); insert into ${t} values (1), (2), (3)`);
        const n = await sqlWrite({ table: t, input: rows, ifExists: 'replace' });
        expect(n).toBe(2);
        expect(await admin.query(`select * from ${t} order by id`)).toEqual(expectedRows);
        expect(await stagingTables(t)).toEqual([]);
      });

      it("keeps the old table whole when a 'replace' fails midway", async () => {
        const t = uniqueTable('w');
        await admin.execute(`create table ${t} (id integer); insert into ${t} values (1), (2)`);
        async function* failing() {
          for (let i = 0; i < 2500; i++) yield { id: i };
          yield { id: 1, surprise: 'x' };
        }
        expect(await rejection(sqlWrite({ table: t, input: failing(), ifExists: 'replace' }))).toMatch(/row 2501 of the input has the column 'surprise'/);
        expect(await admin.query(`select id from ${t} order by id`)).toEqual([{ id: 1 }, { id: 2 }]);
        expect(await stagingTables(t)).toEqual([]);
      });

      it('writes nothing when creating from a failing input (no half-created table)', async () => {
        const t = uniqueTable('w');
        async function* failing() {
          for (let i = 0; i < 1500; i++) yield { id: i };
          throw new Error('source broke');
        }
        expect(await rejection(sqlWrite({ table: t, input: failing() }))).toMatch(/source broke/);
        await expect(admin.query(`select * from ${t}`)).rejects.toThrow();
      });

      it('streams a large async iterable in batches', async () => {
        const t = uniqueTable('w');
        async function* many() {
          for (let i = 0; i < 12_345; i++) yield { id: i, label: `row ${i}`, half: i / 2 };
        }
        expect(await sqlWrite({ table: t, input: many() })).toBe(12_345);
        expect(await admin.query(`select count(*) as n, sum(id) as s, max(half) as h from ${t}`)).toEqual([
          expect.objectContaining({ h: 12_344 / 2 }),
        ]);
        expect(await count(t)).toBe(12_345);
      });

      it('writes to a schema-qualified name', async () => {
        const t = uniqueTable('w');
        const schema = d.name === 'postgres' ? 'public' : d.name === 'mariadb' ? 'test' : 'main';
        expect(await sqlWrite({ table: `${schema}.${t}`, input: [{ id: 1 }] })).toBe(1);
        expect(await count(t)).toBe(1);
      });

      it('rejects an input that is not rows, naming what it got', async () => {
        expect(await rejection(sqlWrite({ table: uniqueTable('w'), input: 'a,b\n1,2' }))).toMatch(/SQLWrite: input must be rows .* or a Dataset; got string/);
      });

      async function stagingTables(t: string): Promise<unknown[]> {
        const like = `${t}_bigrays%`;
        if (d.name === 'postgres') return admin.query(`select tablename from pg_tables where tablename like :like`, { like });
        if (d.name === 'mariadb') return admin.query(`select table_name from information_schema.tables where table_schema = database() and table_name like :like`, { like });
        return admin.query(`select name from sqlite_master where name like :like`, { like });
      }
    });

    describe('SQLTask', () => {
      it('gives run(db) query, execute, write, stream, spool and transaction', async () => {
        const t = uniqueTable('c');
        @Task() class Custom extends SQLTask {
          async run(db: SQLSession) {
            await db.execute(`create table ${t} (id integer, v varchar(10))`);
            const written = await db.write(t, [{ id: 1, v: 'a' }, { id: 2, v: 'b' }], { ifExists: 'append' });
            await db.transaction(async () => {
              await db.execute(`insert into ${t} values (:id, :v)`, { id: 3, v: 'c' });
            });
            await db
              .transaction(async () => {
                await db.execute(`insert into ${t} values (4, 'rolled back')`);
                throw new Error('undo');
              })
              .catch(() => undefined);
            const streamed: Row[] = [];
            for await (const row of db.stream(`select id, v from ${t} where id >= :min order by id`, { min: 2 })) streamed.push(row);
            const ds = await db.spool(`select id from ${t} order by id`);
            return { written, rows: await db.query(`select count(*) as n from ${t}`), streamed, spooled: await ds.toArray(), dialect: db.dialect };
          }
        }
        const result = await run(Custom);
        const out = result.output<{ written: number; rows: Row[]; streamed: Row[]; spooled: Row[]; dialect: string }>(Custom);
        expect(out.written).toBe(2);
        expect(Number(out.rows[0]!.n)).toBe(3);
        expect(out.streamed).toEqual([{ id: 2, v: 'b' }, { id: 3, v: 'c' }]);
        expect(out.spooled).toEqual([{ id: 1 }, { id: 2 }, { id: 3 }]);
        expect(out.dialect).toBe(d.name === 'mariadb' ? 'mysql' : d.name);
      });

      it('streams more rows than one batch and stops cleanly when the loop breaks', async () => {
        @Task() class Streamer extends SQLTask {
          async run(db: SQLSession) {
            const t = uniqueTable('s');
            await db.write(t, Array.from({ length: 12_000 }, (_, i) => ({ id: i })));
            let n = 0;
            for await (const row of db.stream(`select id from ${t} order by id`)) {
              expect(row.id).toBe(n);
              n++;
            }
            let firstFew = 0;
            for await (const _ of db.stream(`select id from ${t}`)) {
              void _;
              if (++firstFew === 10) break;
            }
            // The connection is free again after the break.
            const after = await db.query(`select count(*) as n from ${t}`);
            return { n, firstFew, after: Number(after[0]!.n) };
          }
        }
        const result = await run(Streamer);
        expect(result.output(Streamer)).toEqual({ n: 12_000, firstFew: 10, after: 12_000 });
      });
    });

    describe('bound parameters', () => {
      it.each(HOSTILE)('a hostile value is only ever a value: %s', async (value) => {
        const victim = uniqueTable('victim');
        await admin.execute(`create table ${victim} (id integer, v text); insert into ${victim} values (1, 'safe')`);
        // As a --param would arrive: a job parameter, substituted into params (never into the SQL).
        updateFormatKws({ hostile: value });
        @Task() class Echo extends SQLQuery {
          query = `select v, :v as echoed from ${victim} where v <> :v`;
          params = { v: '{hostile}' };
        }
        @Task() class Store extends SQLExecute {
          statement = `insert into ${victim} values (2, :v); update ${victim} set v = :v where id = 2`;
          params = { v: '{hostile}' };
        }
        const result = await run(Echo, Store);
        expect(result.ok).toBe(true);
        expect(result.output(Echo)).toEqual([{ v: 'safe', echoed: value }]);
        expect(await admin.query(`select id, v from ${victim} order by id`)).toEqual([
          { id: 1, v: 'safe' },
          { id: 2, v: value },
        ]);
        // And through SQLWrite (COPY/INSERT) as data:
        const t = uniqueTable('h');
        await sqlWrite({ table: t, input: [{ v: value }] });
        expect(await admin.query(`select v from ${t}`)).toEqual([{ v: value }]);
      });

      it('binds numbers, booleans, dates, nulls and bigints', async () => {
        const rows = await sqlQuery({
          query: 'select :n as n, :s as s',
          params: { n: 41.5, s: null },
        });
        expect(rows).toEqual([{ n: d.name === 'postgres' ? '41.5' : 41.5, s: null }]);
        const t = uniqueTable('b');
        await admin.write(t, [{ at: new Date('2026-03-04T05:06:07Z'), ok: true, big: 12345678901234567n }]);
        const found = await sqlQuery({
          query: `select count(*) as n from ${t} where at = :at and ok = :ok and big = :big`,
          params: { at: new Date('2026-03-04T05:06:07Z'), ok: true, big: 12345678901234567n },
        });
        expect(Number(found[0]!.n)).toBe(1);
      });

      it('a missing param is an error naming the task and the parameter', async () => {
        @Task() class Forgetful extends SQLQuery {
          query = 'select :present as a, :absent as b';
          params = { present: 1 };
        }
        const result = await run(Forgetful);
        const message = failureOf(result, 'Forgetful');
        expect(message).toMatch(/^Forgetful: the SQL uses the parameter :absent, but params has no value for 'absent' \(params has: present\)/);
      });
    });

    describe('session', () => {
      it('shares one session (temp tables) across consecutive SQL tasks, and a fresh one after a swap', async () => {
        const tmp = uniqueTable('tmp');
        const sessions: SQLSession[] = [];
        @Task() class MakeTemp extends SQLTask {
          async run(db: SQLSession) {
            sessions.push(db);
            await db.execute(`${d.createTemp(tmp)}; insert into ${tmp} values (1), (2)`);
            return 'made';
          }
        }
        @Task() class ReadTemp extends SQLQuery {
          query = `select a from ${tmp} order by a`;
          async run(db: SQLSession) {
            sessions.push(db);
            return super.run(db);
          }
        }
        @Task() class NoResource {
          run() {
            return 'no resource: the session stays open';
          }
        }
        @Task() class ReadTempAgain extends SQLQuery {
          query = `select count(*) as n from ${tmp}`;
        }
        @Requires(Tiny)
        @Task()
        class Other {
          run() {
            return 'swapped';
          }
        }
        @Task() class AfterSwap extends SQLTask {
          async run(db: SQLSession) {
            sessions.push(db);
            try {
              await db.query(`select * from ${tmp}`);
              return 'still visible';
            } catch {
              return 'gone';
            }
          }
        }
        const before = Tiny.opened;
        const result = await run(MakeTemp, ReadTemp, NoResource, ReadTempAgain, Other, AfterSwap);
        expect(result.ok).toBe(true);
        expect(result.output(ReadTemp)).toEqual([{ a: 1 }, { a: 2 }]);
        expect(Number(result.output<Row[]>(ReadTempAgain)[0]!.n)).toBe(2);
        expect(result.output(AfterSwap)).toBe('gone');
        expect(sessions[0]).toBe(sessions[1]);
        expect(sessions[2]).not.toBe(sessions[0]);
        expect(Tiny.opened).toBe(before + 1);
      });

      it('keeps session settings across tasks', async () => {
        const setting =
          d.name === 'postgres'
            ? { set: "set application_name = 'bigrays-test-app'", get: "select current_setting('application_name') as v", value: 'bigrays-test-app' }
            : d.name === 'mariadb'
              ? { set: 'set @bigrays_var = 42', get: 'select @bigrays_var as v', value: '42' }
              : { set: 'pragma cache_size = 1234', get: 'select cache_size as v from pragma_cache_size()', value: '1234' };
        @Task() class SetIt extends SQLExecute {
          statement = setting.set;
        }
        @Task() class GetIt extends SQLQuery {
          query = setting.get;
        }
        const result = await run(SetIt, GetIt);
        expect(String(result.output<Row[]>(GetIt)[0]!.v)).toBe(setting.value);
      });

      it('closes the session at the end of the job (and a failed task rolls back)', async () => {
        let session: SQLSession | undefined;
        @Task() class Grab extends SQLTask {
          run(db: SQLSession) {
            session = db;
            return 1;
          }
        }
        await run(Grab);
        expect(session!.healthy()).toBe(false);
      });
    });

    describe('values', () => {
      it('come out of SQLQuery with the same types on every driver', async () => {
        const t = uniqueTable('types');
        await admin.execute(d.typesTable(t));
        expect(await sqlQuery({ query: `select * from ${t} order by id` })).toEqual(EXPECTED_TYPES);
      });

      it('and the same from a spooled Dataset', async () => {
        const t = uniqueTable('types');
        await admin.execute(d.typesTable(t));
        const ds = await sqlQuery({ query: `select * from ${t} order by id`, spool: true });
        expect(ds.columnTypes).toEqual(['integer', 'integer', 'bigint', 'decimal', 'boolean', 'date', 'timestamp', 'timestamp', 'json', 'float', 'text', 'text']);
        expect(await ds.toArray()).toEqual(EXPECTED_TYPES);
        const withParams = await sqlQuery({ query: `select * from ${t} where id >= :min order by id`, params: { min: 1 }, spool: true });
        expect(await withParams.toArray()).toEqual(EXPECTED_TYPES);
      });

      it('round-trip SQLQuery(spool) → SQLWrite with identical data', async () => {
        const source = uniqueTable('src');
        const copy = uniqueTable('dst');
        await admin.execute(d.typesTable(source));
        @Task() class Extract extends SQLQuery {
          query = `select * from ${source} order by id`;
          spool = true;
        }
        @Task() class Load extends SQLWrite {
          @Input(Extract) input!: Dataset;
          table = copy;
        }
        const result = await run(Extract, Load);
        expect(result.ok).toBe(true);
        expect(result.output(Load)).toBe(2);
        expect(await admin.query(`select * from ${copy} order by id`)).toEqual(EXPECTED_TYPES);
      });

      it('round-trip of many rows, rows → SQLWrite → SQLQuery(spool) → SQLWrite', async () => {
        const a = uniqueTable('rt');
        const b = uniqueTable('rt');
        const rows = Array.from({ length: 3000 }, (_, i) => ({
          id: i,
          label: i % 7 === 0 ? null : `r${i}, "q" \n line`,
          x: i / 8,
          flag: i % 2 === 0,
          at: new Date(Date.UTC(2026, 0, 1, 0, 0, i)),
        }));
        await sqlWrite({ table: a, input: rows });
        const ds = await sqlQuery({ query: `select * from ${a} order by id`, spool: true });
        expect(ds.rowCount).toBe(3000);
        await sqlWrite({ table: b, input: ds });
        expect(await admin.query(`select * from ${b} order by id`)).toEqual(rows);
      });
    });

    describe('errors', () => {
      it('a syntax error names the task and shows the SQL near the error', async () => {
        @Task() class Broken extends SQLQuery {
          query = 'select id,\n       name\n  frm some_table\n where id = :id';
          params = { id: 1 };
        }
        const result = await run(Broken);
        const message = failureOf(result, 'Broken');
        expect(message.startsWith('Broken: ')).toBe(true);
        expect(message).toMatch(/syntax/i);
        expect(message).toContain('frm some_table');
        if (d.name !== 'mariadb') expect(message).toMatch(/at line 3, column \d+ of the SQL:\n {4} {2}frm some_table\n {4}\s*\^/);
        else expect(message).toMatch(/at line 3, column \d+ of the SQL/);
      });

      it('a syntax error in a spooled query shows the same position', async () => {
        @Task() class BrokenSpool extends SQLQuery {
          query = 'select id,\n       name\n  frm some_table';
          spool = true;
        }
        @Task() class BrokenSpoolWithParams extends SQLQuery {
          query = 'select id, :x as x,\n       name\n  frm some_table';
          params = { x: 1 };
          spool = true;
        }
        const result = await run(BrokenSpool);
        expect(failureOf(result, 'BrokenSpool')).toMatch(/^BrokenSpool: .*\n {2}at line 3, column \d+ of the SQL:\n {6}frm some_table\n/);
        resetJobs();
        const withParams = await run(BrokenSpoolWithParams);
        expect(failureOf(withParams, 'BrokenSpoolWithParams')).toMatch(/^BrokenSpoolWithParams: .*\n {2}at line 3, column \d+ of the SQL:\n {6}frm some_table\n/);
      });

      it('a runtime error in SQLExecute names the task', async () => {
        @Task() class Missing extends SQLExecute {
          statement = 'update no_such_table_at_all set x = 1';
        }
        const message = failureOf(await run(Missing), 'Missing');
        expect(message).toMatch(/^Missing: (PostgreSQL|MariaDB\/MySQL|SQLite) error/);
        expect(message).toMatch(/no_such_table_at_all/);
      });
    });
  });
}
