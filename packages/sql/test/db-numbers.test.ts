/**
 * Issue 14, item 17: PostgreSQL (and MariaDB) `bigint` (`count(*)`) and
 * `numeric` come back as exact strings; `DB_NUMBERS=number` (opt-in) makes
 * them JS numbers when nothing is lost, and fails naming column and row
 * when a value would be rounded.
 */
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { ConfigurationError } from '@bigrays/core';
import { SQLSession } from '@bigrays/sql';
import { requireService } from '../../../test/support/services.js';
import { MARIADB_DSN, PG_DSN, openSession, rejection } from './helpers.js';

const pgUp = await requireService('postgres', 'sql/postgres');
const mariaUp = await requireService('mariadb', 'sql/mariadb');

describe('DB_NUMBERS: the key', () => {
  it('is declared by SQLSession and checked at plan time', () => {
    expect(SQLSession.configKeys.map((k) => k.name)).toContain('DB_NUMBERS');
    expect(SQLSession.missingConfig({ DB_DSN: PG_DSN, DB_NUMBERS: 'number' })).toEqual([]);
    expect(() => SQLSession.missingConfig({ DB_DSN: PG_DSN, DB_NUMBERS: 'float' })).toThrow(ConfigurationError);
    expect(() => SQLSession.missingConfig({ DB_DSN: PG_DSN, DB_NUMBERS: 'float' })).toThrow(/DB_NUMBERS must be 'string' .* or 'number', not 'float'/);
  });
});

const cases = [
  ['PostgreSQL', pgUp, PG_DSN],
  ['MariaDB', mariaUp, MARIADB_DSN],
] as const;

describe.each(cases)('DB_NUMBERS on %s', (name, up, dsn) => {
  const cast = (type: 'bigint' | 'numeric', v: string) =>
    name === 'PostgreSQL' ? `${v}::${type === 'bigint' ? 'bigint' : 'numeric'}` : `cast(${v} as ${type === 'bigint' ? 'signed' : 'decimal(30,4)'})`;
  let plain: SQLSession;
  let numbers: SQLSession;
  beforeAll(async () => {
    if (!up) return;
    plain = await openSession(dsn);
    numbers = await openSession(dsn, { DB_NUMBERS: 'number' });
  });
  afterAll(async () => {
    await plain?.close();
    await numbers?.close();
  });
  const maybe = up ? it : it.skip;

  maybe('default: count(*), bigint and numeric are exact strings', async () => {
    const [row] = await plain.query(`select count(*) as n, ${cast('bigint', '42')} as b, ${cast('numeric', '120.5')} as d`);
    expect(typeof row!.n).toBe('string');
    // mysql2 gives a BIGINT that fits as a number already; PostgreSQL's driver never does.
    expect(row!.b).toBe(name === 'PostgreSQL' ? '42' : 42);
    expect(typeof row!.d).toBe('string');
  });

  maybe('number: count(*), bigint and an exact numeric are numbers (query and stream)', async () => {
    const sql = `select count(*) as n, ${cast('bigint', '-9007199254740991')} as b, ${cast('numeric', '120.5')} as d, ${cast('numeric', '0.1')} as tenth, ${cast('numeric', 'null')} as none`;
    const want = { n: 1, b: -9007199254740991, d: 120.5, tenth: 0.1, none: null };
    expect(await numbers.query(sql)).toEqual([want]);
    const streamed = [];
    for await (const row of numbers.stream(sql)) streamed.push(row);
    expect(streamed).toEqual([want]);
  });

  maybe('number: a bigint beyond 2^53 fails naming column, row and value (never rounded)', async () => {
    const sql = `select ${cast('bigint', '1')} as id, ${cast('bigint', '1')} as big union all select ${cast('bigint', '2')}, ${cast('bigint', '9007199254740993')}`;
    const message = await rejection(numbers.query(sql));
    expect(message).toContain('column "big" of row 2 (bigint) is 9007199254740993');
    expect(message).toContain('BIGRAYS_DB_NUMBERS');
    const streamed = rejection((async () => { for await (const _ of numbers.stream(sql)) void _; })());
    expect(await streamed).toContain('column "big" of row 2');
  });

  maybe('number: a numeric a double does not hold fails (never rounded)', async () => {
    const digits = '12345678901234567.8901';
    const message = await rejection(numbers.query(`select ${cast('numeric', digits)} as amount`));
    expect(message).toMatch(/column "amount" of row 1 \(decimal\) is 12345678901234567\.8901, which has more digits than a JS number holds/);
  });
});
