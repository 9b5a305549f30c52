/**
 * PostgreSQL write correctness (issue 10): COPY end-of-data markers in the
 * data, `replace` keeping the table's schema, over-long names, empty inputs.
 * Dataset inputs come from all three databases.
 */
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { join } from 'node:path';
import type { SQLSession } from '@bigrays/sql';
import { requireService } from '../../../test/support/services.js';
import { MARIADB_DSN, PG_DSN, dropCreatedTables, openSession, rejection, sqliteDir, uniqueTable } from './helpers.js';

const pgUp = await requireService('postgres', 'sql/postgres');
const mariaUp = await requireService('mariadb', 'sql/mariadb');

(pgUp ? describe : describe.skip)('PostgreSQL writes', () => {
  let pg: SQLSession;
  let maria: SQLSession | undefined;
  let lite: SQLSession;

  beforeAll(async () => {
    pg = await openSession(PG_DSN);
    if (mariaUp) maria = await openSession(MARIADB_DSN);
    lite = await openSession(`sqlite:${join(sqliteDir(), 'w.db')}`);
  });
  afterAll(async () => {
    for (const s of [pg, maria, lite]) {
      if (s) await dropCreatedTables(s);
      await s?.close();
    }
  });

  describe('a value \\. (COPY end-of-data marker) in the data', () => {
    const values = ['a', '\\.', 'b', '\\.\r', 'c', '\\.x', '', 'd'];
    const expected = values.map((v) => ({ v }));

    it.each(['fail', 'replace', 'append'] as const)('rows path, ifExists = %s: every row arrives', async (ifExists) => {
      const t = uniqueTable('eod');
      if (ifExists !== 'fail') await pg.execute(`create table ${t} (v text)`);
      const n = await pg.write(t, values.map((v) => ({ v })), { ifExists });
      expect(n).toBe(values.length);
      expect(await pg.query(`select v from ${t} order by ctid`)).toEqual(expected);
    });

    it('several columns, the marker in the first and last columns', async () => {
      const t = uniqueTable('eod');
      const rows = [{ a: '\\.', b: null }, { a: null, b: '\\.' }, { a: 'x', b: 'y' }];
      expect(await pg.write(t, rows)).toBe(3);
      expect(await pg.query(`select a, b from ${t} order by ctid`)).toEqual(rows);
    });

    const sources: [string, () => SQLSession | undefined][] = [
      ['postgres', () => pg],
      ['mariadb', () => maria],
      ['sqlite', () => lite],
    ];
    for (const [name, source] of sources) {
      it(`a Dataset spooled from ${name}, ifExists = replace: every row arrives`, async () => {
        const from = source();
        if (from === undefined) {
          if (process.env.CI === 'true') throw new Error(`${name} is not running`);
          return;
        }
        const src = uniqueTable('eods');
        await from.execute(`create table ${src} (id integer, v text)`);
        for (const [i, v] of values.entries()) await from.execute(`insert into ${src} values (:i, :v)`, { i, v });
        const ds = await from.spool(`select v from ${src} order by id`);
        const t = uniqueTable('eod');
        await pg.execute(`create table ${t} (v text); insert into ${t} values ('old')`);
        expect(await pg.write(t, ds, { ifExists: 'replace' })).toBe(values.length);
        expect(await pg.query(`select v from ${t} order by ctid`)).toEqual(expected);
      });
    }
  });

  describe("'replace' keeps the table where it is", () => {
    it('an unqualified name resolved through search_path stays in its schema (not the first schema of search_path)', async () => {
      const schema = uniqueTable('hs');
      const t = uniqueTable('sp');
      await pg.execute(`create schema ${schema}; create table public.${t} (id integer); insert into public.${t} values (1)`);
      const s = await openSession(PG_DSN);
      try {
        await s.execute(`set search_path = ${schema}, public`);
        expect(await s.write(t, [{ id: 2 }, { id: 3 }], { ifExists: 'replace' })).toBe(2);
        expect(await s.write(t, [{ id: 4 }], { ifExists: 'append' })).toBe(1);
        expect(await pg.query(`select schemaname from pg_tables where tablename = :t`, { t })).toEqual([{ schemaname: 'public' }]);
        expect(await pg.query(`select id from public.${t} order by id`)).toEqual([{ id: 2 }, { id: 3 }, { id: 4 }]);
        expect(await pg.query(`select count(*)::int as n from pg_tables where schemaname = :schema`, { schema })).toEqual([{ n: 0 }]);
      } finally {
        await s.close();
        await pg.execute(`drop schema ${schema} cascade`);
      }
    });

    it('a temporary table stays temporary', async () => {
      const t = uniqueTable('tmp');
      const s = await openSession(PG_DSN);
      try {
        await s.execute(`create temporary table ${t} (id integer); insert into ${t} values (1)`);
        expect(await s.write(t, [{ id: 2 }], { ifExists: 'replace' })).toBe(1);
        expect(await s.query(`select id from ${t}`)).toEqual([{ id: 2 }]);
        expect(await s.query(`select relpersistence from pg_class where oid = :t::regclass`, { t })).toEqual([{ relpersistence: 't' }]);
      } finally {
        await s.close();
      }
      // No permanent table of that name (the session's temp schema may still be being dropped by the ended backend).
      expect(await pg.query(`select count(*)::int as n from pg_tables where tablename like :p and schemaname not like 'pg\\_temp\\_%'`, { p: `${t}%` })).toEqual([
        { n: 0 },
      ]);
    });
  });

  describe('long names (bytes in UTF-8, not characters)', () => {
    it('replaces a table whose name is 63 bytes (37 characters) long', async () => {
      const name = `${'é'.repeat(26)}_${uniqueTable('x').slice(2, 12)}`;
      expect(Buffer.byteLength(name)).toBe(63);
      const q = `"${name}"`;
      try {
        await pg.execute(`create table ${q} (id integer); insert into ${q} values (1)`);
        expect(await pg.write(q, [{ id: 2 }], { ifExists: 'replace' })).toBe(2 - 1);
        expect(await pg.query(`select id from ${q}`)).toEqual([{ id: 2 }]);
        expect(await pg.query(`select count(*)::int as n from pg_tables where tablename like :p`, { p: `${name.slice(0, 20)}%` })).toEqual([{ n: 1 }]);
      } finally {
        await pg.execute(`drop table if exists ${q}`);
      }
    });

    it.each(['fail', 'append', 'replace'] as const)('an over-long name is a clear error, before anything is written (ifExists = %s)', async (ifExists) => {
      const name = 'é'.repeat(40);
      const message = await rejection(pg.write(`"${name}"`, [{ id: 1 }], { ifExists }));
      expect(message).toMatch(/is 80 bytes in UTF-8; PostgreSQL names are at most 63 bytes/);
      expect(await pg.query(`select count(*)::int as n from pg_tables where tablename like :p`, { p: `${'é'.repeat(20)}%` })).toEqual([{ n: 0 }]);
    });
  });

  describe("'replace' with an empty input (same rule as a non-empty one: the table is rebuilt from the input's columns)", () => {
    const targets: [string, () => SQLSession | undefined][] = [
      ['postgres', () => pg],
      ['mariadb', () => maria],
      ['sqlite', () => lite],
    ];
    for (const [name, target] of targets) {
      it(`${name}: rows with no columns to rebuild from are an error, and the table is left untouched`, async () => {
        const db = target();
        if (db === undefined) {
          if (process.env.CI === 'true') throw new Error(`${name} is not running`);
          return;
        }
        const t = uniqueTable('empty');
        await db.execute(`create table ${t} (old_column integer); insert into ${t} values (1), (2)`);
        const message = await rejection(db.write(t, [], { ifExists: 'replace' }));
        expect(message).toMatch(new RegExp(`the input has no rows, so the columns to rebuild ${t} from are unknown; the table was left untouched`));
        async function* none() {}
        expect(await rejection(db.write(t, none(), { ifExists: 'replace' }))).toMatch(/the table was left untouched/);
        expect(await db.query(`select old_column from ${t} order by old_column`)).toEqual([{ old_column: 1 }, { old_column: 2 }]);
      });

      it(`${name}: an empty Dataset (which has columns) rebuilds the table, as a non-empty one does`, async () => {
        const db = target();
        if (db === undefined) return;
        const t = uniqueTable('empty');
        await db.execute(`create table ${t} (old_column integer); insert into ${t} values (1), (2)`);
        const ds = await db.spool(`select 1 as id, 'x' as label from ${t} where 1 = 0`);
        expect(await db.write(t, ds, { ifExists: 'replace' })).toBe(0);
        expect(await db.query(`select * from ${t}`)).toEqual([]);
        expect(await rejection(db.query(`select old_column from ${t}`))).toMatch(/old_column/);
        expect(await db.query(`select id, label from ${t}`)).toEqual([]);
      });
    }
  });
});
