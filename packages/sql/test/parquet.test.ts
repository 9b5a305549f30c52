/**
 * SQLQuery(spool) → ToParquet on PostgreSQL, MariaDB and SQLite, read back by
 * an independent reader (DuckDB, not the hyparquet family that wrote it):
 * every column type and null compared value for value, and the Parquet
 * column types checked. Also read back by bigrays' own reader, which must
 * give the Dataset's rows.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { BigraysConfig, Input, Task, ToParquet, resetJobs, runJob, type Dataset } from '@bigrays/core';
import { parquetRows } from '@bigrays/core/plugin';
import { SQLQuery } from '@bigrays/sql';
import { requireService } from '../../../test/support/services.js';
import { MARIADB_DSN, PG_DSN, openSession, sqliteDir, uniqueTable } from './helpers.js';

const pgUp = await requireService('postgres', 'sql/parquet-postgres');
const mariaUp = await requireService('mariadb', 'sql/parquet-mariadb');

const INSERT = (t: string, binary: (hex: string) => string) => `
  insert into ${t} (id, big, amount, flag, at, day, label, bytes, x) values
  (1, 9007199254740993, 12345678.90, true, '2026-01-02 03:04:05.678', '2026-02-28', 'ünï, "q"
line', ${binary('00ff10')}, 0.25),
  (-2147483648, -9223372036854775808, -0.01, false, '1970-01-01 00:00:00', '1900-01-01', '', ${binary('')}, -1.5e300),
  (3, null, null, null, null, null, null, null, null)`;

const DIALECTS = [
  {
    name: 'postgres',
    dsn: () => PG_DSN,
    up: pgUp,
    create: (t: string) => [
      `create table ${t} (id integer, big bigint, amount numeric(12,2), flag boolean, at timestamp(3), day date, label text, bytes bytea, x float8)`,
      INSERT(t, (hex) => `'\\x${hex}'::bytea`),
    ],
  },
  {
    name: 'mariadb',
    dsn: () => MARIADB_DSN,
    up: mariaUp,
    create: (t: string) => [
      `create table ${t} (id int, big bigint, amount decimal(12,2), flag boolean, at datetime(3), day date, label text, bytes varbinary(16), x double)`,
      INSERT(t, (hex) => `x'${hex}'`),
    ],
  },
  {
    name: 'sqlite',
    dsn: (() => {
      const dsn = `sqlite:${join(sqliteDir(), 'parquet.db')}`;
      return () => dsn;
    })(),
    up: true,
    create: (t: string) => [
      `create table ${t} (id integer, big bigint, amount decimal(12,2), flag boolean, at timestamp, day date, label text, bytes blob, x real)`,
      INSERT(t, (hex) => `x'${hex}'`),
    ],
  },
];

/** What DuckDB must read from every dialect's file (decimals, bigints, dates as text; timestamps as epoch ms). */
const EXPECTED = [
  [1, '9007199254740993', '12345678.90', true, 1767323045678, '2026-02-28', 'ünï, "q"\nline', '00FF10', 0.25],
  [-2147483648, '-9223372036854775808', '-0.01', false, 0, '1900-01-01', '', '', -1.5e300],
  [3, null, null, null, null, null, null, null, null],
];

const EXPECTED_TYPES = ['INTEGER', 'BIGINT', 'DECIMAL(18,2)', 'BOOLEAN', 'TIMESTAMP WITH TIME ZONE', 'DATE', 'VARCHAR', 'BLOB', 'DOUBLE'];

const dir = mkdtempSync(join(tmpdir(), 'bigrays-parquet-'));
let duck: Awaited<ReturnType<typeof DuckDBInstance.create>> | undefined;

async function readWithDuckdb(file: string): Promise<{ types: string[]; rows: unknown[][] }> {
  duck ??= await DuckDBInstance.create(':memory:');
  const con = await duck.connect();
  try {
    const path = file.replace(/'/g, "''");
    const described = await con.runAndReadAll(`describe select * from read_parquet('${path}')`);
    const types = described.getRowObjectsJS().map((r) => String(r.column_type));
    const result = await con.runAndReadAll(
      `select id, big::varchar, amount::varchar, flag, epoch_ms("at"), day::varchar, label, hex(bytes), x from read_parquet('${path}') order by id = 3, id desc`,
    );
    const rows = result.getRowsJS().map((r) => r.map((v) => (typeof v === 'bigint' ? Number(v) : v)));
    return { types, rows };
  } finally {
    con.closeSync();
  }
}

afterAll(() => {
  duck?.closeSync();
  rmSync(dir, { recursive: true, force: true });
});

for (const d of DIALECTS) {
  (d.up ? describe : describe.skip)(`SQLQuery(spool) → ToParquet on ${d.name}`, () => {
    const table = uniqueTable('pq');
    beforeAll(async () => {
      const admin = await openSession(d.dsn());
      try {
        for (const sql of d.create(table)) await admin.execute(sql);
      } finally {
        await admin.close();
      }
    }, 60_000);
    afterAll(async () => {
      const admin = await openSession(d.dsn());
      await admin.execute(`drop table ${table}`).finally(() => admin.close());
    });
    beforeEach(() => {
      resetJobs();
      BigraysConfig.DB_DSN = d.dsn();
    });

    it('keeps every type and null, as an independent reader (DuckDB) sees it; bigrays reads back the Dataset rows', async () => {
      const file = join(dir, `${d.name}.parquet`);
      const declared = join(dir, `${d.name}-declared.parquet`);
      @Task() class Extract extends SQLQuery {
        query = `select * from ${table}`;
        spool = true;
      }
      @Task() class Export extends ToParquet {
        @Input(Extract) input!: Dataset;
        filename = file;
      }
      @Task() class ExportDeclared extends ToParquet {
        @Input(Extract) input!: Dataset;
        filename = declared;
        types = { amount: 'decimal(12,2)', id: 'int64' } as const;
      }
      @Task() class Rows {
        @Input(Extract) ds!: Dataset;
        run() {
          return this.ds.toArray();
        }
      }
      const result = await runJob({ tasks: [Extract, Export, ExportDeclared, Rows] });
      expect(result.output(Export)).toBe(file);

      const { types, rows } = await readWithDuckdb(file);
      expect(types).toEqual(EXPECTED_TYPES);
      // DuckDB sorts: id 1 first, then -2147483648, then the row of nulls.
      expect(rows).toEqual(EXPECTED);

      const withDeclared = await readWithDuckdb(declared);
      expect(withDeclared.types).toEqual(['BIGINT', 'BIGINT', 'DECIMAL(12,2)', ...EXPECTED_TYPES.slice(3)]);
      expect(withDeclared.rows).toEqual(EXPECTED);

      // bigrays' own reader gives back exactly what the Dataset yields.
      expect(await parquetRows(readFileSync(file))).toEqual(result.output(Rows));
    }, 60_000);
  });
}
