/**
 * JSON has no Infinity or NaN (issue 10 new-4): a JSON value holding one is
 * refused loudly, nothing written, instead of JSON.stringify's silent `null`.
 * (Such a number reaches a job e.g. from a SQLite column declared JSON, whose
 * NUMERIC affinity stores 1e400 as REAL Infinity.)
 */
import { afterAll, describe, expect, it } from '@jest/globals';
import { join } from 'node:path';
import { DatasetWriter } from '@bigrays/core';
import type { SQLSession } from '@bigrays/sql';
import { openSession, rejection, sqliteDir, uniqueTable } from './helpers.js';

const dir = sqliteDir();
let db: SQLSession;

describe('a non-finite number in a JSON value', () => {
  afterAll(async () => db?.close());

  it('fails the write of rows, naming the value, and writes nothing', async () => {
    db = await openSession(`sqlite:${join(dir, 'j.db')}`);
    const t = uniqueTable('json_inf');
    const message = await rejection(db.write(t, [{ id: 1, doc: { a: 1 } }, { id: 2, doc: { a: Infinity } }]));
    expect(message).toMatch(/a JSON value holds Infinity, which JSON cannot represent.*nothing was written/);
    const tables = await db.query(`select name from sqlite_master where name = :t`, { t });
    expect(tables).toEqual([]);
  });

  it('fails a Dataset that would hold it, instead of spooling null', async () => {
    const w = await DatasetWriter.create([{ name: 'doc', type: 'json' }]);
    expect(() => w.writeRow([{ a: -Infinity }])).toThrow(/a JSON value holds -Infinity, which JSON cannot represent/);
    await w.abort();
  });
});
