/**
 * UnloadToS3: the statement each warehouse gets, checked as text (no
 * Redshift, Snowflake, BigQuery or Aurora here). Hostile parameter values
 * (quotes, backslashes, `$$`, semicolons, comments, newlines, every control
 * character but NUL, unicode) must never change the statement: the text
 * outside the literal is the same for every value, and the literal decodes,
 * by the warehouse's documented rules, back to the value.
 *
 * The PostgreSQL-family renderings (Redshift's query inside UNLOAD, Aurora's
 * exported query) are also run on the local PostgreSQL, which evaluates them
 * back to the exact value, with `standard_conforming_strings` on and off
 * (off is Redshift's rule: backslashes escape in '...').
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { BigraysConfig, resetJobs, runTask } from '@bigrays/core';
import { UnloadSpecError, UnloadToS3, unloadStatement, unloadToS3, type SQLSession } from '@bigrays/sql';
import { requireService } from '../../../test/support/services.js';
import { PG_DSN, openSession, rejection } from './helpers.js';

const pgUp = await requireService('postgres', 'sql/unload');

const ROLE = 'arn:aws:iam::123456789012:role/redshift-unload';
const TARGET = 's3://my-lake/exports/orders/';

/** Values that would break a naively quoted statement. */
const HOSTILE: string[] = [
  "'",
  "''",
  '\\',
  "\\'",
  "\\\\'",
  "'\\",
  "it's",
  "x'; drop table orders; --",
  "') TO 's3://evil/' IAM_ROLE 'arn:aws:iam::000000000000:role/x' --",
  "' || pg_sleep(10) || '",
  '$$',
  '$$; drop table orders; $$',
  '$a$ $a$',
  ';',
  '--',
  '/*',
  '*/',
  '/* x */ --',
  '\n',
  '\r\n',
  'line one\nline two; -- no',
  ":v",
  ':other',
  '?',
  '@v',
  '`',
  '"',
  '""',
  '${v}',
  "E'\\x41'",
  '\\x41',
  '\\u0041',
  '%s',
  'é漢字🎉',
  '\u2028\u2029',
  '\u202e evil \u202c',
  '\ufeff',
  'e\u0301',
  '',
  ' ',
  "'".repeat(200) + '\\'.repeat(200),
];
// Every ASCII code unit but NUL, alone and between letters.
for (let c = 1; c < 128; c++) HOSTILE.push(String.fromCharCode(c), `a${String.fromCharCode(c)}b`);

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A PostgreSQL-family rendering of a string: `'…'` with doubled quotes, or `('…' || CHR(92) || '…')`. */
const PG_FAMILY_STRING = /^(?:'(?:[^']|'')*'|\('(?:[^']|'')*'(?: \|\| CHR\(92\) \|\| '(?:[^']|'')*')+\))$/;

/** Decodes a PostgreSQL-family string rendering by the standard rules (independent of the generator). */
function decodePgFamily(literal: string): string {
  const inner = literal.startsWith('(') ? literal.slice(1, -1) : literal;
  return inner
    .split(' || CHR(92) || ')
    .map((part) => {
      expect(part).toMatch(/^'(?:[^']|'')*'$/);
      return part.slice(1, -1).replace(/''/g, "'");
    })
    .join('\\');
}

/** Decodes a Redshift (or Snowflake) `'…'` literal: backslash escapes and doubled quotes. */
function decodeBackslashLiteral(literal: string): string {
  expect(literal).toMatch(/^'(?:[^'\\]|''|\\[\s\S])*'$/);
  return literal.slice(1, -1).replace(/''|\\([\s\S])/g, (m, c: string | undefined) => (m === "''" ? "'" : c!));
}

describe('redshift: UNLOAD', () => {
  it('generates the statement, CSV with header and Parquet, IAM role and region', () => {
    const csv = unloadStatement({ dialect: 'redshift', query: 'select * from orders where day = :day', params: { day: '2026-01-02' }, target: TARGET, iamRole: ROLE });
    expect(csv).toEqual({
      dialect: 'redshift',
      text: [
        "UNLOAD ('select * from orders where day = ''2026-01-02''')",
        `TO '${TARGET}'`,
        `IAM_ROLE '${ROLE}'`,
        'FORMAT AS CSV',
        'HEADER',
      ].join('\n'),
      target: TARGET,
    });
    const parquet = unloadStatement({ dialect: 'redshift', query: 'select 1;', target: TARGET, format: 'parquet', iamRole: 'default', region: 'eu-west-1' });
    expect(parquet.text).toBe(["UNLOAD ('select 1')", `TO '${TARGET}'`, 'IAM_ROLE default', 'FORMAT AS PARQUET', "REGION 'eu-west-1'"].join('\n'));
  });

  it('a hostile value stays inside its literal, twice escaped (bound values cannot exist inside UNLOAD)', () => {
    for (const value of HOSTILE) {
      const { text, params } = unloadStatement({ dialect: 'redshift', query: 'select :v as v', params: { v: value }, target: TARGET, iamRole: ROLE });
      expect(params).toBeUndefined();
      const m = /^UNLOAD \(('(?:[^'\\]|''|\\[\s\S])*')\)\n([\s\S]*)$/.exec(text);
      expect(m).not.toBeNull();
      // Everything after the query literal is the same for every value.
      expect(m![2]).toBe(`TO '${TARGET}'\nIAM_ROLE '${ROLE}'\nFORMAT AS CSV\nHEADER`);
      // No backslash reaches the inner query: its meaning does not depend on the server's backslash rules.
      const inner = decodeBackslashLiteral(m![1]!).replace(/\n$/, '');
      const literal = /^select ([\s\S]*) as v$/.exec(inner);
      expect(literal).not.toBeNull();
      expect(literal![1]).toMatch(PG_FAMILY_STRING);
      expect(decodePgFamily(literal![1]!)).toBe(value);
    }
  });

  it('numbers, bigints, booleans, null and dates become literals; a negative number cannot start a comment', () => {
    const { text } = unloadStatement({
      dialect: 'redshift',
      query: 'select 1 - :n as a, 1 - :b as b, :t as t, :z as z, :d as d, :f as f',
      params: { n: -1, b: -9007199254740993n, t: true, z: null, d: new Date('2026-01-02T03:04:05Z'), f: 1e21 },
      target: TARGET,
      iamRole: ROLE,
    });
    expect(text.split('\n')[0]).toBe(
      "UNLOAD ('select 1 - (-1) as a, 1 - (-9007199254740993) as b, TRUE as t, NULL as z, ''2026-01-02T03:04:05.000Z'' as d, 1e+21 as f')",
    );
  });

  it('placeholders inside literals, comments, dollar quotes and casts are left alone', () => {
    const { text } = unloadStatement({
      dialect: 'redshift',
      query: "select ':x' as a, $$:x$$ as b, 1::int as c /* :x */ -- :x\n, :x as d",
      params: { x: 'v' },
      target: TARGET,
      iamRole: ROLE,
    });
    expect(text.split('\nTO ')[0]).toBe("UNLOAD ('select '':x'' as a, $$:x$$ as b, 1::int as c /* :x */ -- :x\n, ''v'' as d\n')");
  });
});

describe('aurora-postgres: aws_s3.query_export_to_s3', () => {
  it('binds every value of the outer statement; the query is text with literals', () => {
    const s = unloadStatement({ dialect: 'aurora-postgres', query: 'select * from orders where day = :day -- today', params: { day: '2026-01-02' }, target: TARGET, region: 'us-east-1' });
    expect(s).toEqual({
      dialect: 'aurora-postgres',
      text:
        'SELECT rows_uploaded, files_uploaded, bytes_uploaded\n' +
        'FROM aws_s3.query_export_to_s3(:query, aws_commons.create_s3_uri(:bucket, :key, :region), options := :options)',
      params: {
        query: "select * from orders where day = '2026-01-02' -- today\n",
        bucket: 'my-lake',
        key: 'exports/orders/export.csv',
        region: 'us-east-1',
        options: 'format csv, header true',
      },
      target: TARGET,
    });
  });

  it('a hostile value never changes the statement text, and stays inside its literal in the query', () => {
    const texts = new Set<string>();
    for (const value of HOSTILE) {
      const { text, params } = unloadStatement({ dialect: 'aurora-postgres', query: 'select :v as v', params: { v: value }, target: TARGET, region: 'us-east-1' });
      texts.add(text);
      const literal = /^select ([\s\S]*) as v\n?$/.exec(params!.query as string);
      expect(literal![1]).toMatch(PG_FAMILY_STRING);
      expect(decodePgFamily(literal![1]!)).toBe(value);
    }
    expect(texts.size).toBe(1);
  });

  it('Parquet is refused (COPY has no Parquet), and the region is required', () => {
    expect(() => unloadStatement({ dialect: 'aurora-postgres', query: 'select 1', target: TARGET, region: 'us-east-1', format: 'parquet' })).toThrow(
      /dialect 'aurora-postgres' writes CSV only .*set format = 'csv'/,
    );
    expect(() => unloadStatement({ dialect: 'aurora-postgres', query: 'select 1', target: TARGET })).toThrow(/dialect 'aurora-postgres' needs region/);
  });
});

describe('snowflake: COPY INTO location', () => {
  it('generates the statement for CSV and Parquet', () => {
    const csv = unloadStatement({ dialect: 'snowflake', query: 'select * from orders where day = :day -- today', params: { day: '2026-01-02' }, target: TARGET, storageIntegration: 'S3_EXPORTS' });
    expect(csv.text).toBe(
      [
        `COPY INTO '${TARGET}'`,
        'FROM (',
        "select * from orders where day = '2026-01-02' -- today",
        ')',
        'STORAGE_INTEGRATION = S3_EXPORTS',
        `FILE_FORMAT = (TYPE = CSV COMPRESSION = NONE FIELD_OPTIONALLY_ENCLOSED_BY = '"')`,
        'HEADER = TRUE',
      ].join('\n'),
    );
    expect(csv.params).toBeUndefined();
    const parquet = unloadStatement({ dialect: 'snowflake', query: 'select 1', target: TARGET, storageIntegration: 'S3_EXPORTS', format: 'parquet' });
    expect(parquet.text).toContain('FILE_FORMAT = (TYPE = PARQUET)\nHEADER = TRUE');
  });

  it('a hostile value stays inside one Snowflake literal and decodes back to itself', () => {
    for (const value of HOSTILE) {
      const { text } = unloadStatement({ dialect: 'snowflake', query: 'select :v as v', params: { v: value }, target: TARGET, storageIntegration: 'S3_EXPORTS' });
      const m = new RegExp(`^COPY INTO '${escapeRe(TARGET)}'\\nFROM \\(\\nselect ('(?:[^'\\\\]|''|\\\\\\\\)*') as v\\n\\)\\nSTORAGE_INTEGRATION = S3_EXPORTS\\nFILE_FORMAT = \\(TYPE = CSV COMPRESSION = NONE FIELD_OPTIONALLY_ENCLOSED_BY = '"'\\)\\nHEADER = TRUE$`).exec(text);
      expect(m).not.toBeNull();
      expect(decodeBackslashLiteral(m![1]!)).toBe(value);
    }
  });

  it('the storage integration must be an identifier', () => {
    expect(() => unloadStatement({ dialect: 'snowflake', query: 'select 1', target: TARGET, storageIntegration: 'x; drop table t' })).toThrow(
      /storageIntegration "x; drop table t" is not valid/,
    );
    expect(() => unloadStatement({ dialect: 'snowflake', query: 'select 1', target: TARGET })).toThrow(/dialect 'snowflake' needs storageIntegration/);
  });
});

describe('bigquery: EXPORT DATA', () => {
  it('binds the values as named parameters (@name)', () => {
    const s = unloadStatement({
      dialect: 'bigquery',
      query: "select * from lake.orders where day = :day and note != ':day' -- :day",
      params: { day: '2026-01-02', unused: 1 },
      target: TARGET,
      connection: 'my-project.aws-us-east-1.s3-writer',
    });
    expect(s).toEqual({
      dialect: 'bigquery',
      text:
        'EXPORT DATA\nWITH CONNECTION `my-project.aws-us-east-1.s3-writer`\n' +
        `OPTIONS (uri = '${TARGET}*.csv', format = 'CSV', header = true)\n` +
        "AS\nselect * from lake.orders where day = @day and note != ':day' -- :day",
      params: { day: '2026-01-02' },
      target: TARGET,
    });
    const parquet = unloadStatement({ dialect: 'bigquery', query: 'select 1', target: TARGET, connection: 'p.aws-us-east-1.c', format: 'parquet' });
    expect(parquet.text).toContain(`OPTIONS (uri = '${TARGET}*.parquet', format = 'PARQUET')`);
  });

  it('a hostile value never reaches the statement text', () => {
    const texts = new Set<string>();
    for (const value of HOSTILE) {
      const s = unloadStatement({ dialect: 'bigquery', query: 'select :v as v', params: { v: value }, target: TARGET, connection: 'p.aws-us-east-1.c' });
      texts.add(s.text);
      expect(s.params).toEqual({ v: value });
    }
    expect(texts.size).toBe(1);
  });

  it('the connection name is checked (it is written between backticks)', () => {
    expect(() => unloadStatement({ dialect: 'bigquery', query: 'select 1', target: TARGET, connection: 'p.us.c` OPTIONS(x' })).toThrow(/connection .* is not valid/);
  });
});

describe('every dialect', () => {
  const credentials = { iamRole: ROLE, region: 'us-east-1', storageIntegration: 'S3_EXPORTS', connection: 'p.aws-us-east-1.c' };
  const dialects = ['redshift', 'snowflake', 'bigquery', 'aurora-postgres'] as const;

  it('refuses a bad target, a missing parameter, several statements, NUL, and values without a literal', () => {
    for (const dialect of dialects) {
      const base = { dialect, ...credentials, query: 'select :v', params: { v: 1 }, target: TARGET };
      const attribute = (fn: () => unknown) => {
        try {
          fn();
        } catch (error) {
          expect(error).toBeInstanceOf(UnloadSpecError);
          return `${(error as UnloadSpecError).attribute}: ${(error as Error).message}`;
        }
        throw new Error('no error');
      };
      expect(attribute(() => unloadStatement({ ...base, target: 's3://my-lake/exports' }))).toMatch(/^target: .* must end with '\/'/);
      expect(attribute(() => unloadStatement({ ...base, target: "s3://my-lake/it's/" }))).toMatch(/^target: .*quotes/);
      expect(attribute(() => unloadStatement({ ...base, target: 'https://my-lake/x/' }))).toMatch(/^target: target must be an S3 prefix/);
      expect(attribute(() => unloadStatement({ ...base, params: {} }))).toMatch(/^params: the query uses :v, but params has no value for 'v'/);
      expect(attribute(() => unloadStatement({ ...base, query: 'select 1; select 2' }))).toMatch(/^query: query must be exactly one statement/);
      if (dialect !== 'bigquery') {
        expect(attribute(() => unloadStatement({ ...base, params: { v: 'a\u0000b' } }))).toMatch(/^params: params.v contains a NUL character/);
        expect(attribute(() => unloadStatement({ ...base, params: { v: Number.NaN } }))).toMatch(/^params: params.v is NaN/);
        expect(attribute(() => unloadStatement({ ...base, params: { v: { a: 1 } } }))).toMatch(/^params: params.v is object/);
        expect(attribute(() => unloadStatement({ ...base, params: { v: Buffer.from('x') } }))).toMatch(/^params: params.v is bytes/);
      }
      expect(attribute(() => unloadStatement({ ...base, format: 'json' as never }))).toMatch(/^format: format must be 'csv' or 'parquet'/);
    }
    expect(() => unloadStatement({ dialect: 'oracle' as never, query: 'select 1', target: TARGET })).toThrow(/dialect must be one of 'redshift', 'snowflake', 'bigquery', 'aurora-postgres'/);
  });
});

describe.each([
  ['redshift', (value: unknown) => {
    const text = unloadStatement({ dialect: 'redshift', query: 'select :v as v', params: { v: value }, target: TARGET, iamRole: ROLE }).text;
    return { outer: /^UNLOAD \(('(?:[^'\\]|''|\\[\s\S])*')\)/.exec(text)![1]! };
  }],
  ['aurora-postgres', (value: unknown) => {
    const s = unloadStatement({ dialect: 'aurora-postgres', query: 'select :v as v', params: { v: value }, target: TARGET, region: 'us-east-1' });
    return { query: s.params!.query as string };
  }],
] as const)('%s renderings evaluated by the local PostgreSQL', (_dialect, render) => {
  let db: SQLSession;
  let client: { query(config: { text: string; name?: string; values?: unknown[] }): Promise<{ rows: Record<string, unknown>[] }> };
  let n = 0;
  beforeAll(async () => {
    if (!pgUp) return;
    db = await openSession(PG_DSN);
    client = db.connection as typeof client;
  });
  afterAll(async () => {
    await db?.close();
  });

  /** The query the warehouse runs (for Redshift: the UNLOAD literal decoded by PostgreSQL with Redshift's backslash rule). */
  async function innerQuery(value: unknown): Promise<string> {
    const r = render(value) as { outer?: string; query?: string };
    if (r.query !== undefined) return r.query;
    await client.query({ text: 'SET standard_conforming_strings = off' });
    try {
      // A named (prepared) statement: one statement only, so a broken literal would fail, not run more SQL.
      const rows = (await client.query({ text: `SELECT ${r.outer} AS q`, name: `unload_outer_${++n}` })).rows;
      return rows[0]!.q as string;
    } finally {
      await client.query({ text: 'SET standard_conforming_strings = on' });
    }
  }

  it('the query text itself (backslashes, quotes) reaches the warehouse as written', async () => {
    if (!pgUp || _dialect !== 'redshift') return;
    // As Redshift would read it (backslashes escape in '...'): a regex needs '\\d'.
    const query = "select 'it''s' as a, 'a\\\\b' as b, '\\\\d+' as re";
    const text = unloadStatement({ dialect: 'redshift', query, target: TARGET, iamRole: ROLE }).text;
    const outer = /^UNLOAD \(('(?:[^'\\]|''|\\[\s\S])*')\)/.exec(text)![1]!;
    await client.query({ text: 'SET standard_conforming_strings = off' });
    try {
      const rows = (await client.query({ text: `SELECT ${outer} AS q`, name: `unload_q_${++n}` })).rows;
      expect(rows[0]!.q).toBe(query);
    } finally {
      await client.query({ text: 'SET standard_conforming_strings = on' });
    }
  });

  it.each([['on'], ['off']])('every hostile value comes back exactly (standard_conforming_strings %s)', async (scs) => {
    if (!pgUp) return;
    for (const value of HOSTILE) {
      const query = await innerQuery(value);
      await client.query({ text: `SET standard_conforming_strings = ${scs}` });
      try {
        const rows = (await client.query({ text: query, name: `unload_inner_${++n}` })).rows;
        expect(rows).toEqual([{ v: value }]);
      } finally {
        await client.query({ text: 'SET standard_conforming_strings = on' });
      }
    }
  });

  it('numbers, bigints, booleans and null evaluate to themselves', async () => {
    if (!pgUp) return;
    for (const [value, expected] of [
      [-1, '-1'],
      [-9007199254740993n, '-9007199254740993'],
      [0.5, '0.5'],
      [true, 'true'],
      [false, 'false'],
      [null, null],
    ] as const) {
      const query = await innerQuery(value);
      const rows = (await client.query({ text: `SELECT v::text AS v FROM (${query}) AS s`, name: `unload_n_${++n}` })).rows;
      expect(rows[0]!.v).toBe(expected);
    }
  });
});

describe('UnloadToS3 task', () => {
  afterAll(() => {
    delete BigraysConfig.DB_DSN;
    resetJobs();
  });

  it('snowflake and bigquery fail before running anything, naming unloadStatement() as the way', async () => {
    BigraysConfig.DB_DSN = 'sqlite::memory:';
    const message = await rejection(unloadToS3({ dialect: 'snowflake', query: 'select 1', target: TARGET, storageIntegration: 'S3_EXPORTS' }));
    expect(message).toMatch(/^UnloadToS3: dialect 'snowflake': bigrays has no Snowflake driver, so this task cannot run the statement\. Build it with unloadStatement\(\{ dialect: 'snowflake', \.\.\. \}\)/);
    expect(await rejection(unloadToS3({ dialect: 'bigquery', query: 'select 1', target: TARGET, connection: 'p.aws-us-east-1.c' }))).toMatch(/no BigQuery driver/);
  });

  it('a bad attribute is the task error naming the attribute', async () => {
    BigraysConfig.DB_DSN = 'sqlite::memory:';
    expect(await rejection(unloadToS3({ dialect: 'redshift', query: 'select 1', target: TARGET }))).toMatch(
      /^UnloadToS3: iamRole: dialect 'redshift' needs iamRole, e\.g\. iamRole = 'arn:aws:iam::123456789012:role\/redshift-unload'/,
    );
  });

  it('redshift and aurora need a PostgreSQL-protocol session', async () => {
    BigraysConfig.DB_DSN = 'sqlite::memory:';
    expect(await rejection(unloadToS3({ dialect: 'aurora-postgres', query: 'select 1', target: TARGET, region: 'us-east-1' }))).toMatch(
      /dialect 'aurora-postgres' runs over the PostgreSQL protocol, but BIGRAYS_DB_DSN \(sqlite::memory:\) is not a postgres:\/\/ or redshift:\/\/ DSN/,
    );
  });

  it('aurora-postgres: the bound statement reaches the server through the session (the local PostgreSQL has no aws_s3)', async () => {
    if (!pgUp) return;
    BigraysConfig.DB_DSN = PG_DSN;
    const message = await rejection(
      runTask(UnloadToS3, { dialect: 'aurora-postgres', query: "select :v as v", params: { v: "x'); drop table t; --" }, target: TARGET, region: 'us-east-1' }),
    );
    expect(message).toMatch(/PostgreSQL error 3F000: schema "aws_commons" does not exist/);
  });

  it('redshift: the UNLOAD statement reaches the server through the session (PostgreSQL does not know UNLOAD)', async () => {
    if (!pgUp) return;
    BigraysConfig.DB_DSN = PG_DSN;
    const message = await rejection(runTask(UnloadToS3, { dialect: 'redshift', query: 'select :v as v', params: { v: "'" }, target: TARGET, iamRole: ROLE }));
    expect(message).toMatch(/PostgreSQL error 42601: syntax error at or near "UNLOAD"/);
  });
});
