/**
 * `redshift://` DSNs: the pg driver with the Redshift engine, run for real
 * against the local PostgreSQL (which speaks the same protocol). A
 * driver-level recorder sees every statement the session sends, to prove
 * that no `COPY` is ever issued (Redshift has neither `COPY … TO STDOUT` nor
 * `COPY … FROM STDIN`): spooling fetches through a server-side cursor in
 * batches, writing is multi-row INSERTs.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Dataset, type Row } from '@bigrays/core';
import type { SQLSession } from '@bigrays/sql';
import { Readable } from 'node:stream';
import { parseDsn } from '../src/dsn.js';
import { csvRecords } from '../src/engines/redshift/csv-records.js';
import { redshiftError } from '../src/engines/redshift/errors.js';
import { requireService } from '../../../test/support/services.js';
import { dropCreatedTables, openSession, rejection, uniqueTable } from './helpers.js';

const pgUp = await requireService('postgres', 'sql/redshift');
const REDSHIFT_ON_LOCAL_PG = 'redshift://postgres@127.0.0.1:5432/test';

describe('redshift:// DSNs', () => {
  it('select the Redshift engine on the PostgreSQL driver, port 5439 by default', () => {
    const spec = parseDsn({ DB_DSN: 'redshift://etl:s3cret@examplecluster.abc123.us-east-1.redshift.amazonaws.com/dev?sslmode=require' });
    expect(spec).toMatchObject({ dialect: 'postgres', engine: 'redshift', typeormType: 'postgres', port: 5439, database: 'dev', scheme: 'redshift://' });
    expect(spec.connectionString).toBe('postgres://etl:s3cret@examplecluster.abc123.us-east-1.redshift.amazonaws.com/dev?sslmode=require');
    expect(spec.display).toBe('redshift://etl@examplecluster.abc123.us-east-1.redshift.amazonaws.com:5439/dev');
    expect(parseDsn({ DB_DSN: 'postgres://a@h/d' }).engine).toBeUndefined();
  });

  it('a connection error names Redshift', async () => {
    const message = await rejection(openSession('redshift://etl@127.0.0.1:1/dev'));
    expect(message).toMatch(/^cannot reach Redshift at redshift:\/\/etl@127\.0\.0\.1:1\/dev: .*ECONNREFUSED/);
  });
});

describe('Redshift engine pieces', () => {
  it('reads back the CSV written for COPY: NULL is an unquoted empty field, "" the empty string, chunks split anywhere', async () => {
    const text = 'a,"",\n"x, ""y""\nz",é😀,\n,,\nlast,"no newline at the end",1';
    for (const size of [1, 2, 3, 7, 1000]) {
      const bytes = Buffer.from(text);
      const chunks: Buffer[] = [];
      for (let i = 0; i < bytes.length; i += size) chunks.push(bytes.subarray(i, i + size));
      const records: (string | null)[][] = [];
      for await (const r of csvRecords(Readable.from(chunks))) records.push(r);
      expect(records).toEqual([
        ['a', '', null],
        ['x, "y"\nz', 'é😀', null],
        [null, null, null],
        ['last', 'no newline at the end', '1'],
      ]);
    }
  });

  it('adds what to do about Redshift\'s own errors', () => {
    const hint = (error: object) => redshiftError(error, undefined).message;
    expect(hint({ code: 'XX000', message: "Load into table 'sales' failed.  Check 'stl_load_errors' system table for details." })).toMatch(
      /^SQLSession: Redshift error XX000: Load into table 'sales' failed.*\n {2}hint: the rejected rows and the reasons are in a system table: select \* from sys_load_error_detail/,
    );
    expect(hint({ code: 'XX000', message: 'ERROR: 1023 DETAIL: Serializable isolation violation on table - 123, transactions forming the cycle are: 1, 2' })).toMatch(
      /hint: another transaction wrote the same table at the same time \(Redshift error 1023\)/,
    );
    expect(hint({ code: '57014', message: 'Query (123) cancelled by WLM abort action of Query Monitoring Rule "stop_long"' })).toMatch(/hint: the statement was cancelled: .*WLM timeout/);
    expect(hint({ code: '42601', message: 'syntax error at or near "x"' })).not.toMatch(/hint/);
  });
});

describe('the Redshift engine against the local PostgreSQL', () => {
  let db: SQLSession;
  /** Every statement text the session sent through the driver. */
  const sent: string[] = [];

  beforeAll(async () => {
    if (!pgUp) return;
    db = await openSession(REDSHIFT_ON_LOCAL_PG);
    const client = db.connection as { query: (config: unknown, ...rest: unknown[]) => unknown };
    const original = client.query.bind(client);
    client.query = (config: unknown, ...rest: unknown[]) => {
      sent.push(typeof config === 'string' ? config : String((config as { text?: unknown })?.text));
      return original(config, ...rest);
    };
  });
  afterAll(async () => {
    if (db) {
      await dropCreatedTables(db);
      await db.close();
    }
  });

  const since = () => {
    const at = sent.length;
    return () => sent.slice(at);
  };
  const columnsOf = (table: string) =>
    db.query(
      'select column_name as c, data_type as t, numeric_precision as p, numeric_scale as s, character_maximum_length as l from information_schema.columns where table_name = :t order by ordinal_position',
      { t: table },
    );
  const noCopy = (texts: string[]) => expect(texts.filter((t) => /\bcopy\b/i.test(t))).toEqual([]);

  it('pins the session settings with SET (Redshift takes no startup options)', async () => {
    if (!pgUp) return;
    expect(await db.query('select current_setting($$TimeZone$$) as tz, current_setting($$DateStyle$$) as ds')).toEqual([{ tz: 'UTC', ds: 'ISO, MDY' }]);
  });

  it('spools through a server-side cursor in batches, never COPY … TO STDOUT', async () => {
    if (!pgUp) return;
    const texts = since();
    const dataset = await db.spool('select g as id, $$row $$ || g as label from generate_series(1, 5000) g');
    expect(dataset).toBeInstanceOf(Dataset);
    expect(dataset.rowCount).toBe(5000);
    const rows = await dataset.toArray();
    expect(rows[0]).toEqual({ id: 1, label: 'row 1' });
    expect(rows[4999]).toEqual({ id: 5000, label: 'row 5000' });
    const seen = texts();
    noCopy(seen);
    expect(seen.some((t) => /^DECLARE bigrays_cursor_\d+ CURSOR FOR\n/.test(t))).toBe(true);
    expect(seen.some((t) => /NO SCROLL/.test(t))).toBe(false);
    // Bounded memory: the rows came in batches of at most 2,000.
    expect(seen.filter((t) => /^FETCH FORWARD 2000 FROM bigrays_cursor_\d+$/.test(t)).length).toBe(3);
  });

  it('spools with bound parameters, and streams, the same way', async () => {
    if (!pgUp) return;
    const texts = since();
    const dataset = await db.spool('select g as id from generate_series(1, :n) g', { n: 10 });
    expect(dataset.rowCount).toBe(10);
    let count = 0;
    for await (const row of db.stream('select g as id from generate_series(1, 3) g')) count += Number(row.id);
    expect(count).toBe(6);
    noCopy(texts());
  });

  it('writes rows with multi-row INSERTs (never COPY … FROM STDIN), values exact', async () => {
    if (!pgUp) return;
    const table = uniqueTable('rs_write');
    const input: Row[] = [
      { id: 1, amount: '12.50', at: new Date('2026-01-02T03:04:05.678Z'), paid: true, note: 'plain', doc: { a: [1, 2] }, day: '2026-01-02' },
      { id: 2, amount: '-0.001', at: null, paid: false, note: 'quote " comma , newline \n and \\ backslash', doc: null, day: null },
      { id: 3, amount: null, at: new Date('1999-12-31T23:59:59Z'), paid: null, note: '', doc: 'text', day: '2000-02-29' },
      { id: 4, amount: '123456789.5', at: null, paid: true, note: null, doc: [], day: null },
    ];
    const texts = since();
    expect(await db.write(table, input)).toBe(4);
    const seen = texts();
    noCopy(seen);
    expect(seen.filter((t) => t.startsWith(`INSERT INTO "${table}" ("id", "amount", "at", "paid", "note", "doc", "day") VALUES ($1, $2, $3, $4, $5, $6, $7), ($8,`))).toHaveLength(1);
    const back = await db.query(`select id, amount::text as amount, at, paid, note, doc, day::text as day from ${table} order by id`);
    expect(back).toEqual([
      { id: 1, amount: '12.50', at: new Date('2026-01-02T03:04:05.678Z'), paid: true, note: 'plain', doc: '{"a":[1,2]}', day: '2026-01-02' },
      { id: 2, amount: '-0.001', at: null, paid: false, note: 'quote " comma , newline \n and \\ backslash', doc: null, day: null },
      { id: 3, amount: null, at: new Date('1999-12-31T23:59:59Z'), paid: null, note: '', doc: '"text"', day: '2000-02-29' },
      { id: 4, amount: '123456789.5', at: null, paid: true, note: null, doc: '[]', day: null },
    ]);
    // Redshift's TEXT is VARCHAR(256): text columns are VARCHAR(65535).
    expect(await columnsOf(table)).toMatchObject([{ c: 'id', t: 'integer' }, { c: 'amount', t: 'character varying', l: 65535 }, { c: 'at', t: 'timestamp with time zone' }, { c: 'paid', t: 'boolean' }, { c: 'note', t: 'character varying', l: 65535 }, { c: 'doc', t: 'character varying', l: 65535 }, { c: 'day', t: 'date' }]);
  });

  it('writes a Dataset (its CSV file read back into INSERTs), in batches of at most 1,000 rows, and replaces a table', async () => {
    if (!pgUp) return;
    const table = uniqueTable('rs_ds');
    const dataset = await db.spool(`select g as id, case when g % 3 = 0 then null when g % 3 = 1 then '' else 'v,"' || g || E'\\n' end as s from generate_series(1, 2500) g`);
    const texts = since();
    expect(await db.write(table, dataset)).toBe(2500);
    expect(await db.write(table, dataset, { ifExists: 'replace' })).toBe(2500);
    const seen = texts();
    noCopy(seen);
    expect(seen.filter((t) => t.startsWith('INSERT INTO ')).length).toBe(6);
    const back = await db.query(`select count(*)::int as n, count(s)::int as nonnull, sum(case when s = '' then 1 else 0 end)::int as empty, max(s) as top from ${table}`);
    expect(back).toEqual([{ n: 2500, nonnull: 1667, empty: 834, top: 'v,"998\n' }]);
  });

  it('sizes decimal columns from the values (Redshift NUMERIC without precision is NUMERIC(18,0))', async () => {
    if (!pgUp) return;
    const table = uniqueTable('rs_dec');
    const dataset = await db.spool(`select x::numeric as amount from (values ('12.50'), ('-0.001'), ('123456789.5'), (null)) v(x)`);
    expect(await db.write(table, dataset)).toBe(4);
    expect(await columnsOf(table)).toMatchObject([{ c: 'amount', t: 'numeric', p: 12, s: 3 }]);
    expect(await db.query(`select amount::text as a from ${table} order by amount nulls last`)).toEqual([{ a: '-0.001' }, { a: '12.500' }, { a: '123456789.500' }, { a: null }]);
  });

  it('names Redshift in errors, with the SQL position, and adds what to do about its own errors', async () => {
    if (!pgUp) return;
    const missing = await rejection(db.query('select * from no_such_table_for_redshift'));
    expect(missing).toMatch(/^SQLSession: Redshift error 42P01: relation "no_such_table_for_redshift" does not exist\n {2}at line 1, column 15 of the SQL:/);
    const table = uniqueTable('rs_err');
    await db.execute(`create table ${table} (v varchar(3))`);
    const long = await rejection(db.execute(`insert into ${table} values (:v)`, { v: 'abcd' }));
    expect(long).toMatch(/^SQLSession: Redshift error 22001: value too long for type character varying\(3\)\n {2}hint: Redshift VARCHAR lengths count bytes, not characters/);
  });
});
