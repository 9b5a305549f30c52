import { describe, it, expect, beforeEach, afterAll } from '@jest/globals';
import { join } from 'node:path';
import { BigraysConfig, resetJobs, runTask, DatasetWriter } from '@bigrays/core';
import { SQLSession, SQLWrite } from '@bigrays/sql';
import { requireService } from '../../../test/support/services.js';
import { PG_DSN, MARIADB_DSN, sqliteDir, uniqueTable, dropCreatedTables, rejection } from './helpers.js';

const pgUp = await requireService('postgres', 'sql/merge');
const mariaUp = await requireService('mariadb', 'sql/merge');
const sqliteDsn = `sqlite:${join(sqliteDir(), 'merge.sqlite')}`;

beforeEach(() => resetJobs());

async function withSession<T>(dsn: string, fn: (db: SQLSession) => Promise<T>): Promise<T> {
  const db = new SQLSession();
  await db.open({ DB_DSN: dsn });
  try {
    return await fn(db);
  } finally {
    await db.close();
  }
}

const write = (dsn: string, table: string, input: unknown, extra: Record<string, unknown> = {}) => {
  BigraysConfig.DB_DSN = dsn;
  return runTask<number>(SQLWrite, { table, input, ifExists: 'merge', key: ['id'], ...extra });
};

afterAll(async () => {
  for (const dsn of [sqliteDsn, ...(pgUp ? [PG_DSN] : []), ...(mariaUp ? [MARIADB_DSN] : [])]) await withSession(dsn, dropCreatedTables).catch(() => undefined);
  delete BigraysConfig.DB_DSN;
});

describe.each([
  ['sqlite', sqliteDsn, true],
  ['postgres', PG_DSN, pgUp],
  ['mariadb', MARIADB_DSN, mariaUp],
] as const)('%s: SQLWrite ifExists = merge', (_dialect, dsn, up) => {
  const maybe = up ? it : it.skip;
  const rows = (table: string) => withSession(dsn, (db) => db.query(`select id, name, qty from ${table} order by id`));

  maybe('creates the table with a unique key, then updates rows whose key exists and inserts the others (rows and Dataset)', async () => {
    const table = uniqueTable('merge');
    expect(await write(dsn, table, [{ id: 1, name: 'a', qty: 1 }, { id: 2, name: 'b', qty: 2 }])).toBe(2);
    expect(await write(dsn, table, [{ id: 2, name: 'B', qty: 20 }, { id: 3, name: 'c', qty: 3 }])).toBe(2);
    const w = await DatasetWriter.create([{ name: 'id', type: 'integer' }, { name: 'name', type: 'text' }, { name: 'qty', type: 'integer' }]);
    await w.writeRow([3, 'C', 30]);
    await w.writeRow([4, 'd', 4]);
    const ds = await w.finish();
    expect(await write(dsn, table, ds)).toBe(2);
    await ds.delete();
    expect((await rows(table)).map((r) => [Number(r.id), r.name, Number(r.qty)])).toEqual([
      [1, 'a', 1],
      [2, 'B', 20],
      [3, 'C', 30],
      [4, 'd', 4],
    ]);
    // Re-reading the same rows (an incremental source after a failed run) changes nothing.
    await write(dsn, table, [{ id: 4, name: 'd', qty: 4 }]);
    expect(await rows(table)).toHaveLength(4);
  });

  maybe('an existing table without a unique key on the key columns: an error, nothing written', async () => {
    const table = uniqueTable('nokey');
    await withSession(dsn, (db) => db.execute(`create table ${table} (id integer, name varchar(20), qty integer)`));
    const message = await rejection(write(dsn, table, [{ id: 1, name: 'a', qty: 1 }]));
    expect(message).toContain(`the merge into ${table} needs a unique key on (id), and the table has none; nothing was written`);
    expect(await rows(table)).toEqual([]);
  });

  maybe('a failing merge leaves the table as it was (one transaction)', async () => {
    const table = uniqueTable('atomic');
    await write(dsn, table, [{ id: 1, name: 'a', qty: 1 }]);
    // A column the table lacks: the rows are staged, then the merge statement fails; the transaction takes all back.
    await expect(write(dsn, table, [{ id: 1, name: 'z', qty: 9, extra: 1 }, { id: 2, name: 'y', qty: 2, extra: 2 }])).rejects.toThrow();
    expect((await rows(table)).map((r) => [Number(r.id), r.name])).toEqual([[1, 'a']]);
  });

  maybe('key is required, must be columns of the input, and only goes with merge', async () => {
    const table = uniqueTable('bad');
    expect(await rejection(write(dsn, table, [{ id: 1 }], { key: undefined }))).toContain("ifExists = 'merge' needs key: the columns that identify a row, e.g. key = ['id']");
    expect(await rejection(write(dsn, table, [{ id: 1 }], { key: ['nope'] }))).toContain(`key column nope of the merge into ${table} is not in the input (its columns: id); nothing was written`);
    expect(await rejection(write(dsn, table, [{ id: 1 }], { ifExists: 'append' }))).toContain("key is used only with ifExists = 'merge'");
  });
});
