/**
 * ToParquet and the Parquet encoder: types chosen from values (rows without
 * declared types), declared types, nulls, zone semantics of timestamps,
 * values that do not fit, row groups written as they fill. Files are read
 * back by DuckDB (an independent reader) and by bigrays' own reader.
 */
import { afterAll, afterEach, describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { DatasetWriter } from '../../src/data/dataset-writer.js';
import { deleteAllSpoolFiles } from '../../src/data/spool-files.js';
import { TaskError } from '../../src/errors/errors.js';
import { parquetRows } from '../../src/formats/parquet/read.js';
import { parquetStream } from '../../src/formats/parquet/write.js';
import { ToParquet } from '../../src/tasks/to-parquet.js';
import { toParquet } from '../../src/functional/to-parquet.js';
import { tempDir } from '../data/helpers.js';

let duck: Awaited<ReturnType<typeof DuckDBInstance.create>> | undefined;

async function duckdb(sql: string): Promise<Record<string, unknown>[]> {
  duck ??= await DuckDBInstance.create(':memory:');
  const con = await duck.connect();
  try {
    return (await con.runAndReadAll(sql)).getRowObjectsJS() as Record<string, unknown>[];
  } finally {
    con.closeSync();
  }
}

const typesOf = async (file: string) =>
  Object.fromEntries((await duckdb(`describe select * from read_parquet('${file}')`)).map((r) => [r.column_name, r.column_type]));

class Export extends ToParquet {}

function exportTask(filename: string, input: unknown, extra: Partial<Export> = {}): Export {
  return Object.assign(new Export(), { filename, input }, extra);
}

afterEach(() => deleteAllSpoolFiles());
afterAll(() => duck?.closeSync());

describe('ToParquet', () => {
  it('infers column types from row values (documented rules) and keeps nulls', async () => {
    const file = join(tempDir(), 'rows.parquet');
    const at = new Date('2026-03-04T05:06:07.089Z');
    const rows = [
      { i32: 1, i64: 2 ** 40, dbl: 1, big: 2n ** 63n - 1n, flag: true, at, bytes: Buffer.from([0, 255]), obj: { a: [1, 'x'] }, mixed: 1, empty: null, text: 'é' },
      { i32: null, i64: -1, dbl: 2.5, big: null, flag: false, at: null, bytes: null, obj: null, mixed: 'one', empty: null, text: null },
    ];
    expect(await exportTask(file, rows).run()).toBe(file);
    const types = await typesOf(file);
    // The JSON logical type: DuckDB shows JSON when its json extension is loaded, else text.
    expect(['JSON', 'VARCHAR']).toContain(types.obj);
    expect({ ...types, obj: 'JSON' }).toEqual({
      i32: 'INTEGER',
      i64: 'BIGINT',
      dbl: 'DOUBLE',
      big: 'BIGINT',
      flag: 'BOOLEAN',
      at: 'TIMESTAMP WITH TIME ZONE',
      bytes: 'BLOB',
      obj: 'JSON',
      mixed: 'VARCHAR',
      empty: 'VARCHAR',
      text: 'VARCHAR',
    });
    const [first, second] = await duckdb(
      `select i32, i64, dbl, big::varchar as big, flag, epoch_ms("at") as at, hex(bytes) as bytes, obj::varchar as obj, mixed, empty, text from read_parquet('${file}')`,
    );
    expect(first).toEqual({ i32: 1, i64: 2n ** 40n, dbl: 1, big: '9223372036854775807', flag: true, at: BigInt(at.getTime()), bytes: '00FF', obj: '{"a":[1,"x"]}', mixed: '1', empty: null, text: 'é' });
    expect(second).toEqual({ i32: null, i64: -1n, dbl: 2.5, big: null, flag: false, at: null, bytes: null, obj: null, mixed: 'one', empty: null, text: null });
    expect(await parquetRows(readFileSync(file))).toEqual([
      { ...rows[0], i64: String(2 ** 40), big: '9223372036854775807', mixed: '1' },
      { ...rows[1], i64: '-1', mixed: 'one' },
    ]);
  });

  it('writes timestamps as UTC instants (isAdjustedToUTC) and dates as calendar days, whatever the local zone', async () => {
    const w = await DatasetWriter.create([
      { name: 'at', type: 'timestamp' },
      { name: 'day', type: 'date' },
    ]);
    w.writeRow([new Date('2026-06-30T23:30:00.000Z'), '2026-06-30']);
    w.writeRow([new Date('1969-12-31T23:59:59.999Z'), '0001-01-01']);
    const ds = await w.finish();
    const file = join(tempDir(), 'zones.parquet');
    await exportTask(file, ds).run();
    const rows = await duckdb(
      `set TimeZone = 'Asia/Tokyo'; select strftime("at" at time zone 'UTC', '%Y-%m-%d %H:%M:%S.%g') as utc, day::varchar as day from read_parquet('${file}')`,
    );
    expect(rows).toEqual([
      { utc: '2026-06-30 23:30:00.000', day: '2026-06-30' },
      { utc: '1969-12-31 23:59:59.999', day: '0001-01-01' },
    ]);
    expect(await parquetRows(readFileSync(file))).toEqual(await ds.toArray());
  });

  it('declared types override the chosen ones; decimals are exact at any precision', async () => {
    const file = join(tempDir(), 'declared.parquet');
    const rows = [
      { n: 1, price: '12345678901234567890123456789012.345678', small: '1.5', when: '2026-01-02 03:04:05+02', day: '2026-01-02' },
      { n: 2, price: '-0.000001', small: '-99.99', when: null, day: null },
    ];
    await exportTask(file, rows, { types: { n: 'int64', price: 'decimal(38,6)', small: 'decimal(4,2)', when: 'timestamp', day: 'date' } }).run();
    expect(await typesOf(file)).toEqual({ n: 'BIGINT', price: 'DECIMAL(38,6)', small: 'DECIMAL(4,2)', when: 'TIMESTAMP WITH TIME ZONE', day: 'DATE' });
    expect(await duckdb(`select price::varchar as p, small::varchar as s, epoch_ms("when") as w, day::varchar as d from read_parquet('${file}')`)).toEqual([
      { p: '12345678901234567890123456789012.345678', s: '1.50', w: BigInt(Date.UTC(2026, 0, 2, 1, 4, 5)), d: '2026-01-02' },
      { p: '-0.000001', s: '-99.99', w: null, d: null },
    ]);
    expect((await parquetRows(readFileSync(file))).map((r) => r.price)).toEqual(['12345678901234567890123456789012.345678', '-0.000001']);
  });

  it('a later value that does not fit the chosen type fails the task, naming the column, the row and the fix; no file is left', async () => {
    const dir = tempDir();
    const rows = [...Array.from({ length: 10 }, (_, i) => ({ n: i })), { n: 0.5 }];
    const error = await exportTask(join(dir, 'bad.parquet'), rows, { rowGroupSize: 4 })
      .run()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TaskError);
    expect((error as Error).message).toMatch(
      /column 'n', row 11: 0\.5 is not a 32-bit integer, so it does not fit the column's Parquet type int32; declare the column's type, e.g. `types = \{ "n": 'int64' \}`/,
    );
    const decimal = await exportTask(join(dir, 'dec.parquet'), [{ d: '1.5' }], { types: { d: 'decimal(5,0)' } })
      .run()
      .catch((e: unknown) => e);
    expect((decimal as Error).message).toMatch(/column 'd', row 1: "1.5" has more than 0 digits after the point/);
    const badType = await exportTask(join(dir, 'x.parquet'), [{ d: 1 }], { types: { d: 'decimal(40,2)' } })
      .run()
      .catch((e: unknown) => e);
    expect((badType as Error).message).toMatch(/types\.d is "decimal\(40,2\)"; expected one of .*decimal\(p,s\)/);
    const { readdirSync } = await import('node:fs');
    expect(readdirSync(dir)).toEqual([]);
  });

  it('refuses compression (Parquet compresses its pages) and non-table inputs', async () => {
    const dir = tempDir();
    await expect(exportTask(join(dir, 'a.parquet'), [{ a: 1 }], { compression: 'gzip' }).run()).rejects.toThrow(/does not apply to Parquet/);
    await expect(exportTask(join(dir, 'b.parquet'), 'a,b\n1,2\n').run()).rejects.toThrow(/format = 'parquet' needs a table \(rows or a Dataset\)/);
  });

  it('writes each row group as it fills: bytes leave before the source is read to the end', async () => {
    let pulled = 0;
    let pulledAtFirstChunk: number | undefined;
    async function* source() {
      for (let i = 0; i < 50_000; i++) {
        pulled++;
        yield { id: i, label: `row ${i}` };
      }
    }
    const chunks: Buffer[] = [];
    for await (const chunk of parquetStream(source(), { rowGroupSize: 5000 })) {
      pulledAtFirstChunk ??= pulled;
      chunks.push(chunk as Buffer);
    }
    // At most one row group plus one read batch ahead of the bytes.
    expect(pulledAtFirstChunk).toBeLessThanOrEqual(5000 + 4096);
    expect(chunks.length).toBeGreaterThanOrEqual(10);
    const file = join(tempDir(), 'groups.parquet');
    (await import('node:fs')).writeFileSync(file, Buffer.concat(chunks));
    const [meta] = await duckdb(`select count(distinct row_group_id) as groups, sum(row_group_num_rows) / 2 as n from parquet_metadata('${file}')`);
    expect(meta).toEqual({ groups: 10n, n: 50_000 });
    expect(await duckdb(`select count(*) as n, sum(id) as s from read_parquet('${file}')`)).toEqual([{ n: 50_000n, s: BigInt((49_999 * 50_000) / 2) }]);
  });

  it('toParquet() runs the task outside a job and resolves to the path', async () => {
    const file = join(tempDir(), 'functional.parquet');
    expect(await toParquet({ filename: file, input: [{ a: 1, b: '2.50' }], types: { b: 'decimal(5,2)' } })).toBe(file);
    expect(await typesOf(file)).toEqual({ a: 'INTEGER', b: 'DECIMAL(5,2)' });
    expect(await parquetRows(readFileSync(file))).toEqual([{ a: 1, b: '2.50' }]);
  });

  it('an empty table is a valid file with its columns', async () => {
    const w = await DatasetWriter.create([{ name: 'id', type: 'integer' }, { name: 'name', type: 'text' }]);
    const ds = await w.finish();
    const file = join(tempDir(), 'empty.parquet');
    await exportTask(file, ds).run();
    expect(await typesOf(file)).toEqual({ id: 'INTEGER', name: 'VARCHAR' });
    expect(await parquetRows(readFileSync(file))).toEqual([]);
  });
});
