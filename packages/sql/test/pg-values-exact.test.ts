/**
 * PostgreSQL values that JavaScript has no plain form for (issue 10 #6, #9):
 * rows (`db.query`) and spooled Datasets give the same values, and writing
 * them back (rows or Dataset) stores what was read.
 */
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import type { Row } from '@bigrays/core';
import type { SQLSession } from '@bigrays/sql';
import { requireService } from '../../../test/services.js';
import { PG_DSN, dropCreatedTables, openSession, uniqueTable } from './helpers.js';

const pgUp = await requireService('postgres', 'sql/postgres');

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
});
