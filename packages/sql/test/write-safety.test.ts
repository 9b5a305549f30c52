/**
 * Writes into MariaDB and SQLite that must arrive exactly or stop loudly
 * (issue 10): decimals sized from the whole input (finding 2), strict
 * `sql_mode` pinned per session whatever the server default (5), no empty
 * target and no stale staging table after a dead run (15), a `replace`
 * whose clean-up fails after the swap reports the truth (19), hostile text
 * through rows and Datasets (1), and empty-input `replace` (10).
 */
import { describe, it, expect, beforeAll, afterAll, afterEach } from '@jest/globals';
import { join } from 'node:path';
import { DatasetWriter, JsonText, type ColumnType, type Dataset, type Row } from '@bigrays/core';
import type { SQLSession } from '@bigrays/sql';
import { moduleLoader } from '../src/load-module.js';
import { requireService } from '../../../test/support/services.js';
import { MARIADB_DSN, PG_DSN, dropCreatedTables, openSession, rejection, sqliteDir, uniqueTable } from './helpers.js';

const mariaUp = await requireService('mariadb', 'sql/write-safety on MariaDB');
const dir = sqliteDir();

async function dataset(columns: { name: string; type: ColumnType }[], rows: Iterable<unknown[]>): Promise<Dataset> {
  const w = await DatasetWriter.create(columns);
  for (const r of rows) await w.writeRow(r);
  return w.finish();
}

/** `'1.500'` → `'1.5'`, `'2.000'` → `'2'`: a decimal's value whatever scale it is shown with. */
const plain = (v: unknown) => (typeof v === 'string' && v.includes('.') ? v.replace(/0+$/, '').replace(/\.$/, '') : String(v));

/** Text that breaks naive encoders: COPY's end marker, quotes, backslashes, line breaks, control characters (no NUL). */
const HOSTILE_TEXT = [
  '\\.',
  '\\.\n',
  "it's",
  '"quoted"',
  'back\\slash\\',
  'two\nlines',
  'crlf\r\nline',
  'tab\there',
  Array.from({ length: 31 }, (_, i) => String.fromCharCode(i + 1)).join(''),
  '\u007f\u0085\u2028',
  ',',
  '',
  ' ',
  'NULL',
  '\\N',
];

/** Creates mysql2's pool as the session would, with a hook run on each new connection before the session uses it. */
function hookedMysql2(onConnection: (connection: { query(sql: string, cb?: (err: unknown) => void): unknown }) => void, createConnection?: () => never) {
  const original = moduleLoader.importModule;
  moduleLoader.importModule = async (specifier: string) => {
    const module = (await original(specifier)) as Record<string, unknown> & { default?: Record<string, unknown> };
    if (specifier !== 'mysql2') return module;
    const real = (module.default ?? module) as { createPool(o: object): { on(e: string, l: (c: never) => void): void }; createConnection(o: object): unknown };
    const wrapped = {
      ...real,
      createPool(options: object) {
        const pool = real.createPool(options);
        pool.on('connection', onConnection);
        return pool;
      },
      createConnection: createConnection ?? ((options: object) => real.createConnection(options)),
    };
    return { default: wrapped };
  };
  return () => {
    moduleLoader.importModule = original;
  };
}

interface Target {
  name: 'mariadb' | 'sqlite';
  up: boolean;
  dsn: () => string;
}

const TARGETS: Target[] = [
  { name: 'mariadb', up: mariaUp, dsn: () => MARIADB_DSN },
  { name: 'sqlite', up: true, dsn: () => `sqlite:${join(dir, 'write-safety.db')}` },
];

for (const target of TARGETS) {
  (target.up ? describe : describe.skip)(`writes into ${target.name}`, () => {
    let db: SQLSession;
    beforeAll(async () => {
      db = await openSession(target.dsn());
    });
    afterAll(async () => {
      if (db) {
        await dropCreatedTables(db);
        await db.close();
      }
    });

    const stagingTables = async (t: string): Promise<string[]> => {
      const rows =
        target.name === 'sqlite'
          ? await db.query(`select name as t from sqlite_master where type = 'table' and name like '${t}\\_bigrays\\_%' escape '\\'`)
          : await db.query(`select table_name as t from information_schema.tables where table_schema = database() and table_name like '${t}\\_bigrays\\_%'`);
      return rows.map((r) => String(r.t));
    };

    // Finding 2: the scale (and the integer digits) of a DECIMAL column were taken from the first chunk of the Dataset only.
    it('a Dataset decimal column keeps every value exactly, also values past the first chunk with more digits', async () => {
      const t = uniqueTable('dec');
      const late = ['0.99', '-12.125', '123456789012345.5', '0.000001'];
      const ds = await dataset(
        [
          { name: 'id', type: 'integer' },
          { name: 'amount', type: 'decimal' },
        ],
        (function* () {
          for (let i = 0; i < 20_000; i++) yield [i, String(i % 7)];
          for (let k = 0; k < late.length; k++) yield [20_000 + k, late[k]];
        })(),
      );
      expect(await db.write(t, ds)).toBe(20_004);
      const rows = await db.query(`select id, amount from ${t} where id >= 19999 order by id`);
      expect(rows.map((r) => plain(r.amount))).toEqual([String(19_999 % 7), ...late.map(plain)]);
    });

    it('a decimal column that no DECIMAL type can hold fails before anything is created', async () => {
      const t = uniqueTable('dec');
      const ds = await dataset([{ name: 'amount', type: 'decimal' }], [['0.' + '1'.repeat(30)], ['9'.repeat(40)]]);
      if (target.name === 'sqlite') {
        // SQLite keeps decimals as REAL (documented): a decimal no double holds exactly fails, naming the column (new-2).
        expect(await rejection(db.write(t, ds))).toMatch(/column 'amount' has the decimal 0\.1{30} \(row 1\).*not exactly\); nothing was written/);
        expect(await db.query(`select name from sqlite_master where name like '${t}%'`)).toEqual([]);
        return;
      }
      expect(await rejection(db.write(t, ds))).toMatch(/column 'amount'.*40 digits before the decimal point and 30 after.*at most 65/);
      expect(await db.query(`select count(*) as n from information_schema.tables where table_schema = database() and table_name like '${t}%'`)).toEqual([{ n: target.name === 'mariadb' ? '0' : 0 }]);
    });

    // new-2 (issue 10): SQLite stores decimals as REAL; 524288.0628410257 was stored as 524288.0628410256, no error.
    if (target.name === 'sqlite') {
      it('a decimal a double holds exactly arrives; one it does not hold fails naming the column and row, nothing written', async () => {
        const t = uniqueTable('dec');
        const ok = ['0.1', '-12.125', '123456789012345.5', '1e-7', '9007199254740992'];
        expect(await db.write(t, await dataset([{ name: 'amount', type: 'decimal' }], ok.map((v) => [v])))).toBe(ok.length);
        expect((await db.query(`select amount from ${t}`)).map((r) => Number(r.amount))).toEqual(ok.map(Number));
        const t2 = uniqueTable('dec');
        const bad = await dataset([{ name: 'amount', type: 'decimal' }], [['1.5'], ['524288.0628410257']]);
        expect(await rejection(db.write(t2, bad))).toMatch(
          /the column 'amount' has the decimal 524288\.0628410257 \(row 2\), which SQLite would store as the REAL 524288\.0628410256 \(not exactly\); nothing was written/,
        );
        expect(await db.query(`select name from sqlite_master where name like '${t2}%'`)).toEqual([]);
      });
    }

    // Finding 6 in SQLite: a column declared JSON has NUMERIC affinity, so a top-level JSON number was stored as a
    // number (1e400 → Infinity, 12345678901234567890 → REAL) and big integers were read back through a double.
    if (target.name === 'sqlite') {
      it.each(['rows', 'dataset'] as const)('JSON documents that are big or top-level numbers arrive exactly through %s', async (how) => {
        const t = uniqueTable('js');
        const docs = ['1e400', '12345678901234567890', '-9007199254740993', '{"id":9007199254740993}', 'null', '0.1000000000000000000001'];
        const input =
          how === 'rows' ? docs.map((d, i) => ({ id: i, j: new JsonText(d) })) : await dataset([{ name: 'id', type: 'integer' }, { name: 'j', type: 'json' }], docs.map((d, i) => [i, new JsonText(d)]));
        expect(await db.write(t, input)).toBe(docs.length);
        const back = await db.query(`select j from ${t} order by id`);
        expect(back.map((r) => (r.j instanceof JsonText ? r.j.text : JSON.stringify(r.j)))).toEqual(docs);
        const ds = await db.spool(`select j from ${t} order by id`);
        expect((await ds.toArray()).map((r) => (r.j instanceof JsonText ? r.j.text : JSON.stringify(r.j)))).toEqual(docs);
        await ds.delete();
      });
    }

    // Finding 1: hostile text arrives exactly, through rows and through a Dataset.
    it.each(['rows', 'dataset'] as const)('hostile text arrives exactly through %s', async (how) => {
      const t = uniqueTable('txt');
      const rows: Row[] = HOSTILE_TEXT.map((s, i) => ({ id: i, s }));
      rows.push({ id: HOSTILE_TEXT.length, s: null });
      const input =
        how === 'rows'
          ? rows
          : await dataset(
              [
                { name: 'id', type: 'integer' },
                { name: 's', type: 'text' },
              ],
              rows.map((r) => [r.id, r.s]),
            );
      expect(await db.write(t, input)).toBe(rows.length);
      expect(await db.query(`select id, s from ${t} order by id`)).toEqual(rows);
    });

    // Finding 10 (MariaDB/SQLite side): an empty input without columns empties the table and keeps its columns;
    // an empty Dataset (which knows its columns) recreates it with them, like a non-empty one.
    // Issue 10 #10 (h-pg): a replace always rebuilds from the input's columns; rows with none are an error, the table untouched.
    it('replace with an empty input: rows (no columns) are an error that leaves the table untouched, a Dataset brings its own', async () => {
      const t = uniqueTable('empty');
      await db.execute(`create table ${t} (a integer, b text)`);
      await db.execute(`insert into ${t} values (1, 'x')`);
      await expect(db.write(t, [], { ifExists: 'replace' })).rejects.toThrow(/the input has no rows, so the columns to rebuild .* from are unknown; the table was left untouched/);
      expect(await db.query(`select * from ${t}`)).toEqual([{ a: 1, b: 'x' }]);
      expect(await db.write(t, await dataset([{ name: 'c', type: 'text' }], []), { ifExists: 'replace' })).toBe(0);
      expect(Object.keys((await db.query(`select * from ${t} where 1 = 0 union all select 'z'`))[0]!)).toEqual(['c']);
      expect(await stagingTables(t)).toEqual([]);
    });

    // Finding 15: a new table (ifExists 'fail') is filled under a staging name and renamed into place: it never exists empty.
    it('a new table appears only complete: while the rows load, the target does not exist', async () => {
      const t = uniqueTable('new');
      let seenWhileLoading: boolean | undefined;
      const observer = await openSession(target.dsn());
      try {
        async function* rows() {
          for (let i = 0; i < 3000; i++) {
            if (i === 2500) {
              seenWhileLoading =
                target.name === 'sqlite'
                  ? false // one writer at a time: the observer cannot look while the write's transaction is open
                  : (await observer.query(`select count(*) as n from information_schema.tables where table_schema = database() and table_name = '${t}'`))[0]!.n !== '0';
            }
            yield { id: i };
          }
        }
        expect(await db.write(t, rows())).toBe(3000);
      } finally {
        await observer.close();
      }
      expect(seenWhileLoading).toBe(false);
      expect(await db.query(`select count(*) as n from ${t}`)).toEqual([{ n: target.name === 'mariadb' ? '3000' : 3000 }]);
      expect(await stagingTables(t)).toEqual([]);
    });
  });
}

(mariaUp ? describe : describe.skip)('MariaDB sessions', () => {
  let admin: SQLSession;
  let restore: (() => void) | undefined;
  beforeAll(async () => {
    admin = await openSession(MARIADB_DSN);
  });
  afterEach(() => {
    restore?.();
    restore = undefined;
  });
  afterAll(async () => {
    if (admin) {
      await dropCreatedTables(admin);
      await admin.close();
    }
  });
  const tablesLike = async (t: string) =>
    (await admin.query(`select table_name as t from information_schema.tables where table_schema = database() and table_name like '${t}%' order by t`)).map(
      (r) => String(r.t),
    );

  // Finding 5: with a non-strict session default, 'N/A' became 0 and 2026-02-30 became 0000-00-00.
  it('run strict whatever the server default: a bad value is an error, not a 0 or a zero date', async () => {
    let hooked = 0;
    restore = hookedMysql2((c) => {
      hooked++;
      c.query("SET SESSION sql_mode = 'NO_ENGINE_SUBSTITUTION'");
    });
    const db = await openSession(MARIADB_DSN);
    try {
      expect(hooked).toBe(1);
      const [{ mode }] = (await db.query('select @@session.sql_mode as mode')) as [{ mode: string }];
      for (const m of ['STRICT_ALL_TABLES', 'NO_ZERO_DATE', 'NO_ZERO_IN_DATE', 'ERROR_FOR_DIVISION_BY_ZERO']) expect(mode.split(',')).toContain(m);
      const t = uniqueTable('strict');
      await db.execute(`create table ${t} (n int, d date) engine = MyISAM`);
      expect(await rejection(db.write(t, [{ n: 'N/A', d: '2026-01-01' }], { ifExists: 'append' }))).toMatch(/Incorrect integer value: 'N\/A'/);
      expect(await rejection(db.write(t, [{ n: 1, d: '2026-02-30' }], { ifExists: 'append' }))).toMatch(/Incorrect date value: '2026-02-30'/);
      expect(await rejection(db.execute(`insert into ${t} values (1, '0000-00-00')`))).toMatch(/Incorrect date value/);
      expect(await admin.query(`select count(*) as n from ${t}`)).toEqual([{ n: '0' }]);
    } finally {
      await db.close();
    }
  });

  it("takes off the server's flags that change values, and keeps the others", async () => {
    restore = hookedMysql2((c) => {
      c.query("SET SESSION sql_mode = 'ALLOW_INVALID_DATES,EMPTY_STRING_IS_NULL,ANSI_QUOTES'");
    });
    const db = await openSession(MARIADB_DSN);
    try {
      const [{ mode }] = (await db.query('select @@session.sql_mode as mode')) as [{ mode: string }];
      expect(mode.split(',')).toContain('ANSI_QUOTES');
      expect(mode.split(',')).not.toContain('ALLOW_INVALID_DATES');
      expect(mode.split(',')).not.toContain('EMPTY_STRING_IS_NULL');
      const t = uniqueTable('modes');
      expect(await db.write(t, [{ s: '', d: '2026-02-28' }])).toBe(1);
      expect(await db.query(`select s, d from ${t}`)).toEqual([{ s: '', d: '2026-02-28' }]);
      expect(await rejection(db.write(t, [{ s: 'x', d: '2026-02-30' }], { ifExists: 'append' }))).toMatch(/Incorrect date value: '2026-02-30'/);
    } finally {
      await db.close();
    }
  });

  // Finding 19: the swap (RENAME) had committed the new rows, then a failing DROP of the old table made the write report failure.
  it('replace: a failure after the swap reports the rows written, and the leftover old table is swept by the next replace', async () => {
    const t = uniqueTable('swap');
    await admin.execute(`create table ${t} (id int); insert into ${t} values (1), (2)`);
    // The session's own DROP of the old table fails, and so does the one on a side connection.
    restore = hookedMysql2(
      () => undefined,
      () => {
        throw new Error('side connection refused (test)');
      },
    );
    const db = await openSession(MARIADB_DSN);
    try {
      const conn = db.connection as { query: (o: { sql: string }, cb: (err: unknown) => void) => unknown };
      const query = conn.query.bind(conn);
      conn.query = (options, cb) => {
        if (/^DROP TABLE (IF EXISTS )?`[^`]*_bigrays_old_/.test(options.sql)) {
          setImmediate(() => cb(Object.assign(new Error('Lock wait timeout exceeded (test)'), { errno: 1205, code: 'ER_LOCK_WAIT_TIMEOUT' })));
          return { on: () => undefined };
        }
        return query(options as never, cb as never);
      };
      expect(await db.write(t, [{ id: 7, label: 'new' }], { ifExists: 'replace' })).toBe(1);
    } finally {
      await db.close();
    }
    expect(await admin.query(`select id, label from ${t}`)).toEqual([{ id: 7, label: 'new' }]);
    const left = await tablesLike(t);
    expect(left).toHaveLength(2);
    expect(left[1]).toMatch(new RegExp(`^${t}_bigrays_old_`));
    // Its owner (the session above) is gone: the next write that creates a table for it sweeps it.
    expect(await admin.write(t, [{ id: 8, label: 'more' }], { ifExists: 'replace' })).toBe(1);
    expect(await tablesLike(t)).toEqual([t]);
  });

  it('a new table created by someone else while the rows load is left untouched, and the write fails saying so', async () => {
    const t = uniqueTable('race');
    async function* rows() {
      for (let i = 0; i < 3000; i++) {
        if (i === 2500) await admin.execute(`create table ${t} (theirs int); insert into ${t} values (42)`);
        yield { id: i };
      }
    }
    const db = await openSession(MARIADB_DSN);
    try {
      expect(await rejection(db.write(t, rows()))).toMatch(new RegExp(`table ${t} was created by someone else while the rows were loading; it was left untouched`));
    } finally {
      await db.close();
    }
    expect(await admin.query(`select * from ${t}`)).toEqual([{ theirs: 42 }]);
    expect(await tablesLike(t)).toEqual([t]);
  });

  // Finding 15: staging tables of dead runs are swept before the next write to their table; a live run's are left alone.
  it('sweeps staging tables whose owner is gone, and keeps those of a run still holding them', async () => {
    const t = uniqueTable('stale');
    const dead = `${t}_bigrays_new_0badf00d`;
    const live = `${t}_bigrays_new_0c0ffee0`;
    const liveOwner = await openSession(MARIADB_DSN);
    try {
      expect(await liveOwner.query("select get_lock('bigrays_staging_0c0ffee0', 0) as got")).toEqual([{ got: 1 }]);
      await admin.execute(`create table ${dead} (id int); create table ${live} (id int)`);
      expect(await admin.write(t, [{ id: 1 }])).toBe(1);
      expect(await tablesLike(t)).toEqual([t, live]);
    } finally {
      await liveOwner.close();
    }
    // The server frees the lock once it has seen the connection go.
    for (let i = 0; i < 100 && (await admin.query("select is_free_lock('bigrays_staging_0c0ffee0') as free"))[0]!.free !== 1; i++) await new Promise((r) => setTimeout(r, 50));
    await admin.write(t, [{ id: 2 }], { ifExists: 'replace' });
    expect(await tablesLike(t)).toEqual([t]);
  });
});

// new-1 (issue 10): rows carry no column types. A double column whose first values are integral (1e300) was created
// as BIGINT (error on PostgreSQL, clipped to 9223372036854775807 by a non-strict MariaDB); and a value past the sampled
// rows that the created type cannot hold must fail before anything is committed, never be clipped or rounded.
describe('column types of a new table from rows (new-1)', () => {
  const targets = [...TARGETS.filter((t) => t.up).map((t) => ({ name: t.name, dsn: t.dsn })), { name: 'postgres', dsn: () => PG_DSN }];
  for (const target of targets) {
    it(`${target.name}: integral doubles beyond 2^53 make a double column; a later value the sampled type cannot hold fails, nothing is created`, async () => {
      const db = await openSession(target.dsn());
      try {
        const t = uniqueTable('dbl');
        expect(await db.write(t, [{ v: 1e300 }, { v: 2 ** 60 }, { v: null }, { v: 1.5 }])).toBe(4);
        const back = await db.query(`select v from ${t}`);
        expect(back.map((r) => (r.v === null ? null : Number(r.v)))).toEqual([1e300, 2 ** 60, null, 1.5]);

        const t2 = uniqueTable('late');
        async function* rows() {
          for (let i = 0; i < 1500; i++) yield { id: i, v: i };
          yield { id: 1500, v: 0.5 };
        }
        expect(await rejection(db.write(t2, rows()))).toMatch(/row 1501 of the input: the column 'v' was created as integer from the first 1000 rows, and number \(0.5\) does not fit it; nothing was written/);
        const exists =
          target.name === 'sqlite'
            ? await db.query(`select name from sqlite_master where name like '${t2}%'`)
            : target.name === 'postgres'
              ? await db.query(`select table_name from information_schema.tables where table_name like '${t2}%'`)
              : await db.query(`select table_name from information_schema.tables where table_schema = database() and table_name like '${t2}%'`);
        expect(exists).toEqual([]);
      } finally {
        await dropCreatedTables(db);
        await db.close();
      }
    });
  }
});
