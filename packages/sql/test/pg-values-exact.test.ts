/**
 * PostgreSQL values that JavaScript has no plain form for (issue 10 #6, #9):
 * rows (`db.query`) and spooled Datasets give the same values, and writing
 * them back (rows or Dataset) stores what was read.
 */
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { JsonText, type Row } from '@bigrays/core';
import type { SQLSession } from '@bigrays/sql';
import { requireService } from '../../../test/support/services.js';
import { MARIADB_DSN, PG_DSN, dropCreatedTables, openSession, uniqueTable } from './helpers.js';

const pgUp = await requireService('postgres', 'sql/postgres');
const mariaUp = await requireService('mariadb', 'sql/mariadb');

(pgUp ? describe : describe.skip)('PostgreSQL values without a plain JavaScript form', () => {
  let pg: SQLSession;
  beforeAll(async () => {
    pg = await openSession(PG_DSN);
  });
  afterAll(async () => {
    if (pg) await dropCreatedTables(pg);
    await pg?.close();
  });

  /** Reads `query` as rows and as a Dataset: both must give `expected`. */
  async function bothPaths(query: string): Promise<Row[]> {
    const rows = await pg.query(query);
    const ds = await pg.spool(query);
    expect(await ds.toArray()).toEqual(rows);
    return rows;
  }

  /** Copies `src` (ordered by id) into new tables through rows and through a Dataset; each must read back as `src` does. */
  async function roundTrip(src: string, columns: string): Promise<void> {
    const viaRows = uniqueTable('rt');
    const viaDataset = uniqueTable('rt');
    await pg.execute(`create table ${viaRows} (like ${src}); create table ${viaDataset} (like ${src})`);
    await pg.write(viaRows, await pg.query(`select * from ${src} order by id`), { ifExists: 'append' });
    await pg.write(viaDataset, await pg.spool(`select * from ${src} order by id`), { ifExists: 'append' });
    const text = (t: string) => pg.query(`select ${columns} from ${t} order by id`);
    const want = await text(src);
    expect(await text(viaRows)).toEqual(want);
    expect(await text(viaDataset)).toEqual(want);
  }

  describe('infinity and BC dates (#9)', () => {
    it('timestamps, timestamptz and dates: PostgreSQL text where a Date cannot hold them, the same in rows and Datasets', async () => {
      const t = uniqueTable('inf');
      await pg.execute(`create table ${t} (id integer, ts timestamp, tz timestamptz, d date);
        insert into ${t} values
          (1, 'infinity', 'infinity', 'infinity'),
          (2, '-infinity', '-infinity', '-infinity'),
          (3, '0044-03-15 12:00:00 BC', '0044-03-15 12:00:00+00 BC', '0044-03-15 BC'),
          (4, '2026-04-03 10:20:30', '2026-04-03 10:20:30+00', '2026-04-03'),
          (5, null, null, null)`);
      expect(await bothPaths(`select * from ${t} order by id`)).toEqual([
        { id: 1, ts: 'infinity', tz: 'infinity', d: 'infinity' },
        { id: 2, ts: '-infinity', tz: '-infinity', d: '-infinity' },
        { id: 3, ts: '0044-03-15 12:00:00 BC', tz: '0044-03-15 12:00:00+00 BC', d: '0044-03-15 BC' },
        { id: 4, ts: new Date('2026-04-03T10:20:30Z'), tz: new Date('2026-04-03T10:20:30Z'), d: '2026-04-03' },
        { id: 5, ts: null, tz: null, d: null },
      ]);
      await roundTrip(t, 'id, ts::text, tz::text, d::text');
    });
  });

  describe('JSON exactly (#6)', () => {
    const docs = ['9007199254740993', '{"a": 12345678901234567890}', '1e400', '[0.1000000000000000000001]', 'null', '{"x": 1.5, "n": null}', '"text"', '[1, 2]'];
    const expected = [
      new JsonText('9007199254740993'),
      new JsonText('{"a": 12345678901234567890}'),
      new JsonText('1e400'),
      new JsonText('[0.1000000000000000000001]'),
      new JsonText('null'),
      { x: 1.5, n: null },
      'text',
      [1, 2],
      null,
    ];

    for (const type of ['json', 'jsonb']) {
      it(`PostgreSQL ${type}: rows and Datasets give the same exact values, and write back what was read`, async () => {
        const t = uniqueTable('j');
        await pg.execute(`create table ${t} (id integer, j ${type})`);
        for (const [i, d] of docs.entries()) await pg.execute(`insert into ${t} values (:i, :d::${type})`, { i, d });
        await pg.execute(`insert into ${t} values (${docs.length}, null)`);
        const rows = await bothPaths(`select j from ${t} order by id`);
        // jsonb normalises the text (spaces, 1e400 written out in digits): compare which values are JsonText, and the rest as values.
        if (type === 'json') expect(rows.map((r) => r.j)).toEqual(expected);
        else expect(rows.map((r) => (r.j instanceof JsonText ? 'JsonText' : r.j))).toEqual(expected.map((v) => (v instanceof JsonText ? 'JsonText' : v)));
        await roundTrip(t, `id, j::jsonb::text as j, j is null as sql_null`);
        // Into a table SQLWrite creates (jsonb), from rows: still exact.
        const created = uniqueTable('j');
        await pg.write(created, await pg.query(`select id, j from ${t} order by id`));
        expect(await pg.query(`select j::jsonb::text as j from ${created} order by id`)).toEqual(await pg.query(`select j::jsonb::text as j from ${t} order by id`));
      });
    }

    (mariaUp ? it : it.skip)('MariaDB JSON: rows and Datasets give the same exact values; rows and Datasets into PostgreSQL keep them', async () => {
      const maria = await openSession(MARIADB_DSN);
      const t = uniqueTable('mj');
      try {
        await maria.execute(`create table ${t} (id integer, j json)`);
        for (const [i, d] of docs.entries()) await maria.execute(`insert into ${t} values (:i, :d)`, { i, d });
        await maria.execute(`insert into ${t} values (${docs.length}, null)`);
        const query = `select id, j from ${t} order by id`;
        const rows = await maria.query(query);
        expect(await (await maria.spool(query)).toArray()).toEqual(rows);
        expect(rows.map((r) => r.j)).toEqual(expected);
        const viaRows = uniqueTable('mj');
        const viaDataset = uniqueTable('mj');
        await pg.write(viaRows, rows);
        await pg.write(viaDataset, await maria.spool(query));
        for (const pgTable of [viaRows, viaDataset]) {
          const got = await pg.query(`select j::jsonb::text as j, j is null as sql_null from ${pgTable} order by id`);
          const src = await pg.query(
            `select d::jsonb::text as j, d is null as sql_null from unnest(:docs::text[]) with ordinality as x(d, id) order by id`,
            { docs: [...docs, null] },
          );
          expect(got).toEqual(src);
        }
      } finally {
        await maria.execute(`drop table if exists ${t}`).catch(() => undefined);
        await maria.close();
      }
    });
  });
});
