/**
 * PostgreSQL sessions pin the settings bigrays' decoders rely on, whatever
 * the server, database or role defaults are (issue 10 #7). The hostile
 * defaults are set on a database of this test's own, never on `test`.
 */
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import type { Client } from 'pg';
import type { SQLSession } from '@bigrays/sql';
import { requireService } from '../../../test/support/services.js';
import { PG_DSN, openSession } from './helpers.js';

const pgUp = await requireService('postgres', 'sql/postgres');
const db = `bigrays_hpg_settings_${process.pid}`;

/** PG_DSN pointed at this test's own database (PG_DSN is `…/test`, or under `pnpm test:hostile` the shared hostile database). */
function ownDsn(search = ''): string {
  const url = new URL(PG_DSN);
  url.pathname = `/${db}`;
  url.search = search;
  return url.toString();
}

(pgUp ? describe : describe.skip)('PostgreSQL session settings', () => {
  let admin: SQLSession;
  let s: SQLSession;

  beforeAll(async () => {
    admin = await openSession(PG_DSN);
    const c = admin.connection as Client;
    await c.query(`drop database if exists ${db}`);
    await c.query(`create database ${db}`);
    for (const setting of [
      `DateStyle = 'SQL, DMY'`,
      `IntervalStyle = 'sql_standard'`,
      `TimeZone = 'Asia/Kathmandu'`,
      `extra_float_digits = -15`,
      `bytea_output = 'escape'`,
      `search_path = 'hostile', 'public'`,
    ]) {
      await c.query(`alter database ${db} set ${setting}`);
    }
    s = await openSession(ownDsn());
    await s.execute('create schema hostile');
  });
  afterAll(async () => {
    await s?.close();
    await (admin?.connection as Client | undefined)?.query(`drop database if exists ${db} with (force)`);
    await admin?.close();
  });

  const query = `select date '2026-04-03' as d, timestamp '2026-04-03 10:20:30.5' as ts,
    timestamptz '2026-04-03 10:20:30.5+00' as tstz, 0.1::float8 + 0.2::float8 as f, 1.0000001::float4 as f4,
    interval '1 day 2 hours' as iv, '\\x0001ff'::bytea as b`;
  const expected = {
    d: '2026-04-03',
    ts: new Date('2026-04-03T10:20:30.500Z'),
    tstz: new Date('2026-04-03T10:20:30.500Z'),
    f: 0.30000000000000004,
    f4: 1.0000001,
    iv: '1 day 02:00:00',
    b: Buffer.from([0, 1, 255]),
  };

  it('rows: values as with the default settings', async () => {
    expect(await s.query(query)).toEqual([expected]);
  });

  it('a spooled Dataset: values as with the default settings', async () => {
    const ds = await s.spool(query);
    expect(await ds.toArray()).toEqual([expected]);
  });

  it('a date string written is read as the same day, a timestamp without zone as UTC', async () => {
    await s.write('dates_in', [{ d: '2026-04-03', at: new Date('2026-04-03T10:20:30.500Z') }]);
    expect(await s.query(`select d, at from dates_in`)).toEqual([{ d: '2026-04-03', at: new Date('2026-04-03T10:20:30.500Z') }]);
    expect(await s.query(`select to_char(d, 'YYYY-MM-DD') as d, to_char(at at time zone 'UTC', 'HH24:MI') as t from dates_in`)).toEqual([
      { d: '2026-04-03', t: '10:20' },
    ]);
  });

  it('a DSN options= parameter is kept, and cannot unpin the decoders’ settings', async () => {
    const o = await openSession(ownDsn(`?options=${encodeURIComponent('-c statement_timeout=12345 -c DateStyle=German')}`));
    try {
      expect(await o.query(`select current_setting('statement_timeout') as st, date '2026-04-03' as d`)).toEqual([{ st: '12345ms', d: '2026-04-03' }]);
    } finally {
      await o.close();
    }
  });
});
