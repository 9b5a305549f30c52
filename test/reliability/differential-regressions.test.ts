/**
 * Named regression tests of the differential machinery: each failure that
 * differential.test.ts (or the issue) found, shrunk to explicit values, with
 * the finding number of issue 10 (`new-N`: found by the machinery, listed in
 * test/reliability/BUGS.md). A case still failing today is listed in
 * test/support/known-bugs.ts and runs as `it.failing` until its fix lands.
 */
import { afterAll, describe, expect } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { Dataset } from '@bigrays/core';
import type { SQLSession } from '@bigrays/sql';
import { MARIADB_DSN, PG_DSN, requireService } from '../support/services.js';
import { openSession } from '../../packages/sql/test/helpers.js';
import { caseTitle, itCase } from '../support/known-bugs.js';
import { diffTables, type Kind } from '../support/differential/canonical.js';
import { canonRows, mysqlReference, pgReference, sqliteReference, type RefClient } from '../support/differential/clients.js';
import type { ColumnSpec } from '../support/differential/columns.js';
import { dropPgHostileDatabase, ensurePgHostileDatabase } from '../support/hostile-settings.js';
import { startMysqlHostileProxy, type HostileProxy } from '../support/mysql-hostile-proxy.js';

const pgReady = await requireService('postgres', 'differential regressions (PostgreSQL)');
const myReady = await requireService('mariadb', 'differential regressions (MariaDB)');

const PG = PG_DSN;
const MY = MARIADB_DSN;
const MY_DIRECT = { host: '127.0.0.1', port: 3306, user: 'root', database: 'test' };
const scratch = mkdtempSync(join(tmpdir(), 'bigrays-diffreg-'));
const sqliteFile = join(scratch, 'reg.db');
const name = (p = 'reg') => `${p}_${randomBytes(5).toString('hex')}`;
const col = (n: string, sql: string, kind: Kind): ColumnSpec => ({ name: n, sql, kind, family: 'text', arb: undefined as never });
const kindsOf = (cols: ColumnSpec[]): Record<string, Kind> => ({ id: 'int', ...Object.fromEntries(cols.map((c) => [c.name, c.kind])) });

const cleanups: (() => Promise<unknown>)[] = [];
let hostileDsn: string | undefined;
afterAll(async () => {
  for (const c of cleanups.reverse()) await c().catch(() => undefined);
  if (hostileDsn) await dropPgHostileDatabase().catch(() => undefined);
  rmSync(scratch, { recursive: true, force: true });
});
const hostile = async () => (hostileDsn ??= await ensurePgHostileDatabase());

async function ref(kind: 'postgres' | 'mysql' | 'sqlite', dsn = PG): Promise<RefClient> {
  const r = kind === 'postgres' ? await pgReference(dsn) : kind === 'mysql' ? await mysqlReference(MY_DIRECT) : sqliteReference(sqliteFile);
  cleanups.push(() => r.end());
  return r;
}
async function session(dsn: string): Promise<SQLSession> {
  const s = await openSession(dsn);
  cleanups.push(() => s.close());
  return s;
}

/** Fills `table` in `src` with `rows`, reads it back through bigrays (`path`), and diffs with the client's export. */
async function expectRead(r: RefClient, db: SQLSession, cols: ColumnSpec[], rows: unknown[][], path: 'rows' | 'dataset', qualify = (t: string) => t) {
  const table = name();
  await r.createAndFill(table, cols, rows);
  try {
    const kinds = kindsOf(cols);
    const expected = await r.exportTable(table, kinds);
    const sql = `select * from ${qualify(table)} order by id`;
    let got: Record<string, unknown>[];
    if (path === 'rows') got = await db.query(sql);
    else {
      const ds = (await db.spool(sql)) as Dataset;
      got = await ds.toArray();
      await ds.delete();
    }
    const diff = diffTables(`${r.dialect} ${path}`, expected, canonRows(got, expected.columns, kinds));
    expect(diff).toBeUndefined();
  } finally {
    await r.drop(table);
  }
}

/** Source table → bigrays (rows or Dataset) → `db.write` into the target → the target client's export equals the source's. */
async function expectWrite(
  from: RefClient,
  fromDb: SQLSession,
  to: RefClient,
  toDb: SQLSession,
  cols: ColumnSpec[],
  rows: unknown[][],
  input: 'rows' | 'dataset',
  mode: 'append' | 'replace',
  targetName = (t: string) => (to.dialect === 'postgres' ? `public.${t}` : t),
) {
  const source = name('rsrc');
  const target = name('rdst');
  await from.createAndFill(source, cols, rows);
  try {
    const kinds = kindsOf(cols);
    const expected = await from.exportTable(source, kinds, { looseDecimal: true });
    const sql = `select * from ${from.dialect === 'postgres' ? 'public.' : ''}${source} order by id`;
    const ds = input === 'dataset' ? ((await fromDb.spool(sql)) as Dataset) : undefined;
    if (mode === 'replace') await to.exec(`create table ${to.dialect === 'postgres' ? 'public.' : ''}${target} (old_column integer)`);
    try {
      await toDb.write(targetName(target), ds ?? (await fromDb.query(sql)), { ifExists: mode });
    } finally {
      await ds?.delete();
    }
    const actual = await to.exportTable(target, kinds, { looseDecimal: true });
    expect(diffTables(`${input} ${from.dialect} → ${to.dialect} (${mode})`, expected, actual)).toBeUndefined();
  } finally {
    await from.drop(source);
    await to.drop(target);
  }
}

(pgReady && myReady ? describe : describe.skip)('differential regressions', () => {
  const text = [col('c_text', 'text', 'text')];

  for (const input of ['rows', 'dataset'] as const) {
    for (const mode of ['append', 'replace'] as const) {
      const id = `regression.finding-1.single-column-${input}-${mode}-to-postgres`;
      itCase(id)(caseTitle(id, "a one-column table whose value is '\\.' alone: every later row arrives (COPY does not end early)"), async () => {
        const lite = await ref('sqlite');
        const liteDb = await session(`sqlite:${sqliteFile}`);
        const pgRef = await ref('postgres');
        const pgDb = await session(PG);
        const source = name('rsrc');
        const target = name('rdst');
        await lite.exec(`create table ${source} (v text); insert into ${source} values ('before'), ('\\.'), ('after'), ('\\.'), ('last')`);
        try {
          if (mode === 'replace') await pgRef.exec(`create table public.${target} (v text); insert into public.${target} values ('old')`);
          const sql = `select v from ${source} order by rowid`;
          const ds = input === 'dataset' ? ((await liteDb.spool(sql)) as Dataset) : undefined;
          const written = await pgDb.write(`public.${target}`, ds ?? (await liteDb.query(sql)), { ifExists: mode });
          await ds?.delete();
          const got = (await pgRef.exportTable(target, { v: 'text' })).rows.map((r) => r[0]);
          const want = ['before', '\\.', 'after', '\\.', 'last'];
          expect({ written, rows: [...got].sort() }).toEqual({ written: 5, rows: [...want].sort() });
        } finally {
          await lite.drop(source);
          await pgRef.drop(target);
        }
      });
    }
    const id = `regression.finding-1.${input}-from-sqlite-to-postgres`;
    itCase(id)(caseTitle(id, "a field that is '\\.' alone does not end the COPY: every later row arrives"), async () => {
      await expectWrite(await ref('sqlite'), await session(`sqlite:${sqliteFile}`), await ref('postgres'), await session(PG), text, [['\\.'], ['after'], ['\\.\n']], input, 'replace');
    });
    const id2 = `regression.finding-1.${input}-from-mysql-to-postgres`;
    itCase(id2)(caseTitle(id2, "'\\.' alone, from MariaDB"), async () => {
      await expectWrite(await ref('mysql'), await session(MY), await ref('postgres'), await session(PG), [col('c_text', 'longtext', 'text')], [['\\.'], ['after']], input, 'append');
    });
  }

  {
    const id = 'regression.finding-2.dataset-decimal-scale-to-mariadb';
    itCase(id)(caseTitle(id, 'a Dataset of decimals with different scales keeps every digit in MariaDB'), async () => {
      await expectWrite(
        await ref('mysql'),
        await session(MY),
        await ref('mysql'),
        await session(MY),
        // Shrunk by differential.test.ts: a first row of NULLs, then a long row (a new chunk) with the decimals.
        [col('c_text', 'longtext', 'text'), col('c_money2', 'decimal(12,2)', 'decimal'), col('c_dec38', 'decimal(38,10)', 'decimal')],
        [
          [null, null, null],
          ['long\\.\n"x",\t'.repeat(4700), '1691856113.13', '9830851793202077109111142587.1438008879'],
          ['y', '0.99', '0.0000000001'],
        ],
        'dataset',
        'replace',
      );
    });
    const id2 = 'regression.finding-2.dataset-numeric-any-scale-postgres-to-mariadb';
    itCase(id2)(caseTitle(id2, "PostgreSQL numeric '1' then '0.99' into MariaDB"), async () => {
      await expectWrite(await ref('postgres'), await session(PG), await ref('mysql'), await session(MY), [col('c_numeric', 'numeric', 'decimal')], [['1'], ['0.99']], 'dataset', 'replace');
    });
  }

  {
    const id = 'regression.finding-3.replace-bare-name-with-search-path-in-front';
    itCase(id)(caseTitle(id, "replace of 'table' (unqualified) stays in public when search_path has another schema in front"), async () => {
      const dsn = await hostile();
      const r = await ref('postgres', dsn);
      await expectWrite(r, await session(dsn), r, await session(dsn), text, [['a'], ['b']], 'rows', 'replace', (t) => t);
    });
  }

  for (const [what, sqlType, value] of [
    ["'N/A' into an int column", 'int', 'N/A'],
    ["'2026-02-30' into a date column", 'date', '2026-02-30'],
  ] as const) {
    const id = `regression.finding-5.${sqlType}-non-strict-server`;
    itCase(id)(caseTitle(id, `MariaDB with a non-strict sql_mode default: ${what} fails, nothing is stored`), async () => {
      let proxy: HostileProxy | undefined;
      const r = await ref('mysql');
      const table = name();
      await r.exec(`create table ${table} (v ${sqlType})`);
      try {
        proxy = await startMysqlHostileProxy();
        const db = await session(proxy.dsn());
        await expect(db.write(table, [{ v: value }], { ifExists: 'append' })).rejects.toThrow();
        expect((await r.exportTable(table, { v: 'text' })).rows).toEqual([]);
      } finally {
        await r.drop(table);
        await proxy?.close();
      }
    });
  }

  for (const path of ['rows', 'dataset'] as const) {
    const id = `regression.finding-6.json-${path}`;
    itCase(id)(caseTitle(id, 'JSON null, integers past 2^53, 1e400 and top-level strings arrive exactly'), async () => {
      await expectRead(
        await ref('postgres'),
        await session(PG),
        [col('c_json', 'json', 'json'), col('c_jsonb', 'jsonb', 'json')],
        [['null', 'null'], ['12345678901234567890', '{"id":9007199254740993}'], ['1e400', '"s"'], [null, null]],
        path,
      );
    });
  }

  for (const path of ['rows', 'dataset'] as const) {
    const id = `regression.finding-7.hostile-datestyle-timezone-floats-${path}`;
    itCase(id)(caseTitle(id, "DateStyle 'SQL, DMY', TimeZone America/St_Johns, extra_float_digits -3: 3 April stays 3 April, floats keep every digit"), async () => {
      const dsn = await hostile();
      await expectRead(
        await ref('postgres', dsn),
        await session(dsn),
        [col('c_ts', 'timestamp', 'timestamp'), col('c_tstz', 'timestamptz', 'timestamp'), col('c_date', 'date', 'date'), col('c_double', 'double precision', 'float')],
        [['2026-04-03 10:00:00', '2026-04-03 10:00:00+00', '2026-04-03', 1.0000000000000002]],
        path,
        (t) => `public.${t}`,
      );
    });
  }

  {
    const id = 'regression.finding-7.hostile-timezone-write-before-standard-time';
    itCase(id)(caseTitle(id, 'a Dataset with timestamp 0001-01-01 00:00:00 appended under TimeZone America/St_Johns keeps it (no LMT shift of 03:30:52)'), async () => {
      const dsn = await hostile();
      const pgRef = await ref('postgres');
      await expectWrite(pgRef, await session(PG), await ref('postgres', dsn), await session(dsn), [col('c_ts', 'timestamp', 'timestamp')], [['0001-01-01 00:00:00'], ['2026-04-03 10:00:00']], 'dataset', 'append');
    });
  }

  for (const path of ['rows', 'dataset'] as const) {
    const id = `regression.finding-9.infinity-and-bc-${path}`;
    itCase(id)(caseTitle(id, 'infinity, -infinity and BC timestamps/dates: rows and Dataset give the same values'), async () => {
      await expectRead(
        await ref('postgres'),
        await session(PG),
        [col('c_ts', 'timestamp', 'timestamp'), col('c_tstz', 'timestamptz', 'timestamp'), col('c_date', 'date', 'date')],
        [
          ['infinity', '-infinity', 'infinity'],
          ['0044-03-15 12:00:00 BC', '0001-01-01 00:00:00+00 BC', '0044-03-15 BC'],
        ],
        path,
      );
    });
  }

  {
    const id = 'regression.new-1.float-column-of-integral-doubles-from-rows';
    itCase(id)(caseTitle(id, 'rows of a double column whose first value is integral (1e300) are written as doubles, not BIGINT'), async () => {
      await expectWrite(await ref('sqlite'), await session(`sqlite:${sqliteFile}`), await ref('postgres'), await session(PG), [col('c_real', 'REAL', 'float')], [[1e300], [null]], 'rows', 'replace');
    });
    const id2 = 'regression.new-1.float-column-non-strict-mariadb';
    itCase(id2)(caseTitle(id2, 'same into MariaDB with a non-strict default: 1e300 is not clipped to 9223372036854775807'), async () => {
      const proxy = await startMysqlHostileProxy();
      cleanups.push(() => proxy.close());
      await expectWrite(await ref('sqlite'), await session(`sqlite:${sqliteFile}`), await ref('mysql'), await session(proxy.dsn()), [col('c_real', 'REAL', 'float')], [[1e300], [null]], 'rows', 'append');
    });
  }

  {
    const id = 'regression.new-2.decimal-38-digits-into-sqlite';
    itCase(id)(caseTitle(id, 'a decimal(38,10) value written to SQLite keeps its digits or the write fails'), async () => {
      // No double holds 524288.0628410257 (it was stored as …256, no error): the write fails naming the column, the
      // target stays as it was; a decimal a double holds arrives exactly.
      const lite = await ref('sqlite');
      const db = await session(`sqlite:${sqliteFile}`);
      await expectWrite(await ref('mysql'), await session(MY), lite, db, [col('c_dec38', 'decimal(38,10)', 'decimal')], [['524288.0628410250']], 'dataset', 'replace');
      await expect(
        expectWrite(await ref('mysql'), await session(MY), lite, db, [col('c_dec38', 'decimal(38,10)', 'decimal')], [['524288.0628410257']], 'dataset', 'replace'),
      ).rejects.toThrow(/the column 'c_dec38' has the decimal 524288\.0628410257 \(row 1\), which SQLite would store as the REAL 524288\.0628410256 \(not exactly\); nothing was written/);
      const t = name('rdst');
      await lite.exec(`create table ${t} (old_column integer)`);
      try {
        const my = await ref('mysql');
        const src = name('rsrc');
        await my.createAndFill(src, [col('c_dec38', 'decimal(38,10)', 'decimal')], [['524288.0628410257']]);
        try {
          const ds = (await (await session(MY)).spool(`select * from ${src}`)) as Dataset;
          await expect(db.write(t, ds, { ifExists: 'replace' })).rejects.toThrow(/not exactly/);
          await ds.delete();
        } finally {
          await my.drop(src);
        }
        expect(await lite.columnsOf(t)).toEqual(['old_column']);
      } finally {
        await lite.drop(t);
      }
    });
  }
});
