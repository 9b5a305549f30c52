/**
 * Adversarial values for every column type each database has, as fast-check
 * arbitraries. A column spec says its SQL type, its logical kind (how values
 * compare, see canonical.ts), its family (cases are grouped by family so a
 * known bug marks only the family it breaks), and the arbitrary of the value
 * the database client binds when it fills the source table (`null` is NULL).
 */
import fc from 'fast-check';
import type { Kind } from './canonical.js';

export type Dialect = 'postgres' | 'mysql' | 'sqlite';
export const DIALECTS: readonly Dialect[] = ['postgres', 'mysql', 'sqlite'];

/** Families of columns; one generated table holds the columns of one family (or all of them, `mixed`). */
export type Family = 'text' | 'numeric' | 'float' | 'temporal' | 'json' | 'binary' | 'array';

export interface ColumnSpec {
  name: string;
  /** The SQL type of the source column. */
  sql: string;
  kind: Kind;
  family: Family;
  /** Bind values for the database's own client (null = NULL). */
  arb: fc.Arbitrary<unknown>;
}

// ------------------------------------------------------------------ text

/** Strings that broke or could break a text format: COPY's `\.` and `\N`, CSV quoting, line ends, lookalikes of NULL. */
export const NASTY_STRINGS = [
  '\\.',
  '\\.\n',
  'a\n\\.\nb',
  '\\',
  '\\\\',
  '\\N',
  'NULL',
  'null',
  '',
  ' ',
  '  padded  ',
  '"',
  '""',
  "'",
  "');--",
  ',',
  '\t',
  '\n',
  '\r\n',
  '\r',
  '\\x41',
  '\\t',
  '{"a":1}',
  '{}',
  '=1+1',
  '\u00ff',
  '\u2028\u2029',
  '\ufeffbom',
  '😀 astral',
  '\u0301combining',
];

/** One character of interest: a delimiter, an escape, a control character other than NUL, or any code point. */
const nastyChar = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom('\\', '.', 'N', '\n', '\r', '\t', '"', "'", ',', ';', ' ', '{', '}') },
  { weight: 2, arbitrary: fc.integer({ min: 1, max: 0x1f }).map((c) => String.fromCharCode(c)) },
  { weight: 1, arbitrary: fc.constant('\u007f') },
  { weight: 3, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }).filter((s) => !s.includes('\u0000')) },
);

export const textArb = (maxLength = 30): fc.Arbitrary<string> =>
  fc.oneof(
    // COPY's end-of-data marker and NULL marker alone in a field: the values that broke the text formats.
    { weight: 2, arbitrary: fc.constantFrom('\\.', '\\N', '\\', '') },
    { weight: 3, arbitrary: fc.constantFrom(...NASTY_STRINGS) },
    { weight: 4, arbitrary: fc.string({ unit: nastyChar, maxLength }) },
    { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength }) },
    // Very long values: past buffer and chunk sizes, with the delimiters inside.
    { weight: 1, arbitrary: fc.integer({ min: 10_000, max: 70_000 }).map((n) => 'long\\.\n"x",\t'.repeat(Math.ceil(n / 12)).slice(0, n)) },
  );

/** NULL in about one value in six, so NULL vs empty string is exercised. */
const nullable = <T>(arb: fc.Arbitrary<T>): fc.Arbitrary<T | null> => fc.option(arb, { nil: null, freq: 6 });

// ------------------------------------------------------------------ numbers

const int32 = fc.oneof(fc.integer({ min: -2147483648, max: 2147483647 }), fc.constantFrom(0, -1, 1, 2147483647, -2147483648));

const int64 = fc
  .oneof(
    fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }),
    fc.constantFrom(2n ** 53n + 1n, -(2n ** 53n) - 1n, 2n ** 63n - 1n, -(2n ** 63n), 9007199254740993n, 0n),
    fc.bigInt({ min: -(2n ** 60n), max: 2n ** 60n }),
  )
  .map((b) => b.toString());

/** A decimal string with at most `intDigits` integer digits and exactly `scale` fraction digits (when scale > 0). */
const decimalArb = (intDigits: number, scale: number): fc.Arbitrary<string> =>
  fc
    .tuple(fc.boolean(), fc.bigInt({ min: 0n, max: 10n ** BigInt(intDigits) - 1n }), fc.bigInt({ min: 0n, max: 10n ** BigInt(scale) - 1n }))
    .map(([neg, i, f]) => `${neg && (i > 0n || f > 0n) ? '-' : ''}${i}${scale > 0 ? `.${f.toString().padStart(scale, '0')}` : ''}`);

const smallMoney = fc.oneof(decimalArb(10, 2), fc.constantFrom('0.99', '0.01', '-0.01', '99999999.99', '1.00', '0.00'));

/** Any scale, trailing zeros kept (PostgreSQL's unconstrained numeric keeps the scale it was given). */
const anyScaleDecimal = fc.oneof(
  fc.integer({ min: 0, max: 30 }).chain((scale) => decimalArb(20, scale)),
  fc.constantFrom('1.500', '0.000000000000000000000000000001', '123456789012345678901234567890.5', '-0.5'),
);

const double = (options: { finite?: boolean; noNaN?: boolean }) =>
  fc.oneof(
    fc.double({ noNaN: options.finite || options.noNaN, noDefaultInfinity: options.finite }),
    fc.constantFrom(0.1, 1e300, -1e-300, 5e-324, 2 ** 53 + 2, 1.7976931348623157e308, 123.456),
  );

// ------------------------------------------------------------------ dates

const twoDigits = (n: number) => String(n).padStart(2, '0');
const ymd = (minYear: number, maxYear: number) =>
  fc
    .tuple(fc.integer({ min: minYear, max: maxYear }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 28 }))
    .map(([y, m, d]) => `${String(y).padStart(4, '0')}-${twoDigits(m)}-${twoDigits(d)}`);
const hms = (fractionDigits: number) =>
  fc
    .tuple(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 }), fc.integer({ min: 0, max: 59 }), fc.integer({ min: 0, max: 10 ** fractionDigits - 1 }))
    .map(([h, mi, s, f]) => `${twoDigits(h)}:${twoDigits(mi)}:${twoDigits(s)}${fractionDigits ? `.${String(f).padStart(fractionDigits, '0')}` : ''}`);

const pgDate = fc.oneof(
  { weight: 6, arbitrary: ymd(1, 9999) },
  { weight: 2, arbitrary: ymd(1, 4713).map((d) => `${d} BC`) },
  { weight: 1, arbitrary: fc.constantFrom('infinity', '-infinity', '1970-01-01', '2000-02-28') },
);
const pgTimestamp = fc.oneof(
  { weight: 6, arbitrary: fc.tuple(ymd(1, 9999), hms(6)).map(([d, t]) => `${d} ${t}`) },
  { weight: 2, arbitrary: fc.tuple(ymd(1, 4713), hms(6)).map(([d, t]) => `${d} ${t} BC`) },
  { weight: 1, arbitrary: fc.constantFrom('infinity', '-infinity') },
);
const offsets = fc.constantFrom('+00', '+05:30', '-08', '+14', '-03:30', 'Z');
const pgTimestamptz = fc.oneof(
  { weight: 6, arbitrary: fc.tuple(ymd(2, 9998), hms(6), offsets).map(([d, t, z]) => `${d} ${t}${z}`) },
  { weight: 1, arbitrary: fc.tuple(ymd(2, 4712), hms(3)).map(([d, t]) => `${d} ${t}+00 BC`) },
  { weight: 1, arbitrary: fc.constantFrom('infinity', '-infinity') },
);

// ------------------------------------------------------------------ JSON

/** JSON text of every shape: scalars at the top level, nesting, big integers, numbers beyond double, `null`. */
export const jsonTextArb = (): fc.Arbitrary<string> =>
  fc.oneof(
    { weight: 4, arbitrary: fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)) },
    {
      weight: 2,
      arbitrary: fc.constantFrom(
        'null',
        '12345678901234567890',
        '-9007199254740993',
        '{"id":9007199254740993,"n":null}',
        '1e400',
        '0.1',
        '1.5e-7',
        '"a string"',
        '""',
        'true',
        '[]',
        '{}',
        '[null,[null],{"a":{"b":[1,2.5,"x\\n\\\\."]}}]',
        '"\\\\."',
        '{"\\u00e9":"\\ud83d\\ude00"}',
      ),
    },
  );

// ------------------------------------------------------------------ per database

const bytes = fc.oneof(fc.uint8Array({ maxLength: 48 }).map((a) => Buffer.from(a)), fc.constantFrom(Buffer.alloc(0), Buffer.from('\\.\n', 'latin1'), Buffer.from([0, 255, 92, 46])));

export function columnsOf(dialect: Dialect): ColumnSpec[] {
  const c = (name: string, sql: string, kind: Kind, family: Family, arb: fc.Arbitrary<unknown>): ColumnSpec => ({ name, sql, kind, family, arb: nullable(arb) });
  switch (dialect) {
    case 'postgres':
      return [
        c('c_text', 'text', 'text', 'text', textArb()),
        c('c_varchar', 'varchar(300)', 'text', 'text', textArb(20)),
        c('c_char', 'char(3)', 'text', 'text', fc.constantFrom('abc', 'a b', '\\.x', 'é"\'')),
        c('c_int', 'integer', 'int', 'numeric', int32),
        c('c_smallint', 'smallint', 'int', 'numeric', fc.integer({ min: -32768, max: 32767 })),
        c('c_bigint', 'bigint', 'bigint', 'numeric', int64),
        c('c_money2', 'numeric(12,2)', 'decimal', 'numeric', smallMoney),
        c('c_dec38', 'numeric(38,10)', 'decimal', 'numeric', decimalArb(28, 10)),
        c('c_numeric', 'numeric', 'decimal', 'numeric', fc.oneof({ weight: 8, arbitrary: anyScaleDecimal }, { weight: 1, arbitrary: fc.constantFrom('NaN', 'Infinity', '-Infinity') })),
        c('c_double', 'double precision', 'float', 'float', double({})),
        c('c_real', 'real', 'float', 'float', fc.float({ noNaN: false })),
        c('c_bool', 'boolean', 'bool', 'numeric', fc.boolean()),
        c('c_date', 'date', 'date', 'temporal', pgDate),
        c('c_ts', 'timestamp', 'timestamp', 'temporal', pgTimestamp),
        c('c_tstz', 'timestamptz', 'timestamp', 'temporal', pgTimestamptz),
        c('c_json', 'json', 'json', 'json', jsonTextArb()),
        c('c_jsonb', 'jsonb', 'json', 'json', jsonTextArb()),
        c('c_bytea', 'bytea', 'binary', 'binary', bytes),
        c('c_int_arr', 'integer[]', 'array', 'array', fc.array(fc.option(int32, { nil: null }), { maxLength: 5 })),
        c('c_text_arr', 'text[]', 'array', 'array', fc.array(fc.option(textArb(8), { nil: null }), { maxLength: 4 })),
      ];
    case 'mysql':
      return [
        c('c_text', 'longtext', 'text', 'text', textArb()),
        c('c_varchar', 'varchar(300)', 'text', 'text', textArb(20).filter((s) => [...s].length <= 300)),
        c('c_int', 'int', 'int', 'numeric', int32),
        c('c_bigint', 'bigint', 'bigint', 'numeric', int64),
        c('c_money2', 'decimal(12,2)', 'decimal', 'numeric', smallMoney),
        c('c_dec38', 'decimal(38,10)', 'decimal', 'numeric', decimalArb(28, 10)),
        c('c_double', 'double', 'float', 'float', double({ finite: true })),
        c('c_bool', 'boolean', 'bool', 'numeric', fc.boolean()),
        c('c_date', 'date', 'date', 'temporal', ymd(1000, 9999)),
        c('c_datetime', 'datetime(6)', 'timestamp', 'temporal', fc.tuple(ymd(1000, 9999), hms(6)).map(([d, t]) => `${d} ${t}`)),
        c('c_timestamp', 'timestamp(6) null', 'timestamp', 'temporal', fc.tuple(ymd(1971, 2037), hms(6)).map(([d, t]) => `${d} ${t}`)),
        c('c_json', 'json', 'json', 'json', jsonTextArb()),
        c('c_blob', 'longblob', 'binary', 'binary', bytes),
      ];
    case 'sqlite':
      return [
        c('c_text', 'TEXT', 'text', 'text', textArb()),
        c('c_int', 'INTEGER', 'int', 'numeric', int32),
        c('c_bigint', 'BIGINT', 'bigint', 'numeric', int64),
        c('c_money2', 'DECIMAL(12,2)', 'decimal', 'numeric', fc.constantFrom('0.99', '12.30', '-0.01', '100.00', '99999.99')),
        c('c_real', 'REAL', 'float', 'float', double({ noNaN: true })),
        c('c_bool', 'BOOLEAN', 'bool', 'numeric', fc.boolean()),
        c('c_date', 'DATE', 'date', 'temporal', ymd(1, 9999)),
        c('c_ts', 'TIMESTAMP', 'timestamp', 'temporal', fc.tuple(ymd(1, 9999), hms(3)).map(([d, t]) => `${d} ${t}`)),
        c('c_json', 'JSON', 'json', 'json', jsonTextArb()),
        c('c_blob', 'BLOB', 'binary', 'binary', bytes),
      ];
  }
}

/** The columns of one family (all of them for `mixed`). */
export function familyColumns(dialect: Dialect, family: Family | 'mixed'): ColumnSpec[] {
  const all = columnsOf(dialect);
  return family === 'mixed' ? all : all.filter((col) => col.family === family);
}

/** The families a database has columns of. */
export function familiesOf(dialect: Dialect): Family[] {
  return [...new Set(columnsOf(dialect).map((col) => col.family))];
}

/** A generated table: rows of bind values, one per column of `columns`. */
export const tableArb = (columns: readonly ColumnSpec[], maxRows = 6): fc.Arbitrary<unknown[][]> =>
  fc.array(fc.tuple(...columns.map((col) => col.arb)), { minLength: 1, maxLength: maxRows });
