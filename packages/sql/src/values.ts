/**
 * Values in and out of the three drivers, normalised to one convention (the
 * same the core `Dataset` decoders produce):
 *
 * | database type | JavaScript value |
 * |---|---|
 * | integer, smallint, float, double | number |
 * | bigint / int8 / BIGINT | string (exact) |
 * | decimal / numeric | string (exact) |
 * | boolean (MySQL TINYINT(1)) | boolean |
 * | date | `'YYYY-MM-DD'` string |
 * | timestamp / datetime (without zone: UTC) | `Date` |
 * | json / jsonb | parsed value; a `JsonText` of the exact text when no JS value holds it (big numbers, a JSON `null`) |
 * | bytea / blob | Buffer |
 * | NULL | null |
 *
 * @module
 */
import { JsonText, type ColumnType } from '@bigrays/core';
import { parseJsonExact, parseTimestamp } from '@bigrays/core/plugin';
import type { Dialect } from './sql-text.js';

/** A column of a result: its name and type. */
export interface ColumnInfo {
  name: string;
  type: ColumnType;
}

/** Converts one driver value (never called for null). */
export type Converter = (value: unknown) => unknown;

// ---------------------------------------------------------------------------
// Column names
// ---------------------------------------------------------------------------

/**
 * Makes column names unique, as a row object needs: the second `id` becomes
 * `id_2`, the third `id_3`, and so on.
 */
export function uniqueNames(names: readonly string[]): string[] {
  const seen = new Set<string>();
  return names.map((raw) => {
    let name = raw === '' ? '?column?' : raw;
    if (seen.has(name)) {
      let k = 2;
      while (seen.has(`${name}_${k}`)) k++;
      name = `${name}_${k}`;
    }
    seen.add(name);
    return name;
  });
}

/** Builds row objects from arrays of values. */
export function rowMaker(names: readonly string[]): (values: readonly unknown[]) => Record<string, unknown> {
  const n = names.length;
  const define = names.includes('__proto__');
  return (values) => {
    const row: Record<string, unknown> = {};
    for (let i = 0; i < n; i++) {
      if (define) Object.defineProperty(row, names[i]!, { value: values[i], enumerable: true, writable: true, configurable: true });
      else row[names[i]!] = values[i];
    }
    return row;
  };
}

/** Applies per-column converters to arrays of values, in place. */
export function convertRows(rows: unknown[][], converters: readonly (Converter | undefined)[]): void {
  const active: [number, Converter][] = [];
  converters.forEach((c, i) => {
    if (c !== undefined) active.push([i, c]);
  });
  if (active.length === 0) return;
  for (const row of rows) {
    for (const [i, convert] of active) {
      const v = row[i];
      if (v !== null && v !== undefined) row[i] = convert(v);
    }
  }
}

// ---------------------------------------------------------------------------
// PostgreSQL
// ---------------------------------------------------------------------------

const PG_TYPES: Readonly<Record<number, ColumnType>> = {
  16: 'boolean',
  20: 'bigint',
  21: 'integer',
  23: 'integer',
  26: 'integer',
  700: 'float',
  701: 'float',
  1700: 'decimal',
  1082: 'date',
  1114: 'timestamp',
  1184: 'timestamp',
  114: 'json',
  3802: 'json',
  17: 'binary',
  25: 'text',
  1043: 'text',
  1042: 'text',
  19: 'text',
  18: 'text',
  2950: 'text',
};

/** The column type of a PostgreSQL type OID (anything else, e.g. arrays, intervals: `text`). */
export function pgColumnType(oid: number): ColumnType {
  return PG_TYPES[oid] ?? 'text';
}

/** A timestamp parser that leaves what is not a plain timestamp (`infinity`, BC dates) as text. */
function timestampOrText(text: string): unknown {
  try {
    return parseTimestamp(text);
  } catch {
    return text;
  }
}

const identity = (text: string): string => text;

/** What pg's `types` option needs. */
export interface PgTypeOverrides {
  getTypeParser(oid: number, format?: string): (value: string) => unknown;
}

/**
 * pg's type parsers with bigrays' conventions: `date` stays `'YYYY-MM-DD'`
 * (pg would make a local-midnight Date), `timestamp` without zone is UTC
 * (pg would read it as local time). int8 and numeric are strings already.
 */
export function pgTypeOverrides(pgTypes: { getTypeParser(oid: number, format?: string): unknown }): PgTypeOverrides {
  const overrides: Record<number, (value: string) => unknown> = {
    1082: identity,
    // json, jsonb: exact (pg would JSON.parse: big numbers rounded, a JSON null read as SQL NULL).
    114: parseJsonExact,
    3802: parseJsonExact,
    // interval: its text, as a spooled Dataset has it (pg would make a PostgresInterval object).
    1186: identity,
    1114: timestampOrText,
    1184: timestampOrText,
  };
  return {
    getTypeParser(oid: number, format?: string) {
      if (format !== 'binary') {
        const own = overrides[oid];
        if (own !== undefined) return own;
      }
      return pgTypes.getTypeParser(oid, format) as (value: string) => unknown;
    },
  };
}

// ---------------------------------------------------------------------------
// MariaDB / MySQL
// ---------------------------------------------------------------------------

/** The parts of a mysql2 field definition that decide its type. */
export interface MysqlField {
  name: string;
  columnType: number;
  columnLength?: number;
  characterSet?: number;
  extendedFormat?: string;
}

const BINARY_CHARSET = 63;

const toBoolean: Converter = (v) => (typeof v === 'number' ? v !== 0 : typeof v === 'string' ? v !== '0' && v !== '' : Boolean(v));
const toStringValue: Converter = (v) => (typeof v === 'string' ? v : String(v));
const jsonFromText: Converter = (v) => (typeof v === 'string' ? parseJsonExact(v) : v);
const dateText: Converter = (v) => (v instanceof Date ? ymdUtc(v) : v);

/** The column type of a mysql2 field, and the converter its values need (if any). */
export function mysqlColumn(field: MysqlField): { type: ColumnType; convert?: Converter } {
  const binary = field.characterSet === BINARY_CHARSET;
  switch (field.columnType) {
    case 1: // TINY
      return field.columnLength === 1 ? { type: 'boolean', convert: toBoolean } : { type: 'integer' };
    case 2: // SHORT
    case 3: // LONG
    case 9: // INT24
    case 13: // YEAR
      return { type: 'integer' };
    case 8: // LONGLONG
      return { type: 'bigint', convert: toStringValue };
    case 0: // DECIMAL
    case 246: // NEWDECIMAL
      return { type: 'decimal', convert: toStringValue };
    case 4: // FLOAT
    case 5: // DOUBLE
      return { type: 'float' };
    case 10: // DATE
    case 14: // NEWDATE
      return { type: 'date', convert: dateText };
    case 7: // TIMESTAMP
    case 12: // DATETIME
      return { type: 'timestamp' };
    case 245: // JSON (MySQL)
      return { type: 'json', convert: jsonFromText };
    case 16: // BIT
      return { type: 'binary' };
    case 255: // GEOMETRY (parsed into objects by mysql2)
      return { type: 'json' };
    case 249: // TINY_BLOB
    case 250: // MEDIUM_BLOB
    case 251: // LONG_BLOB
    case 252: // BLOB
    case 253: // VAR_STRING
    case 254: // STRING
    case 15: // VARCHAR
      // MariaDB sends JSON columns as LONGTEXT with the extended format 'json'.
      if (field.extendedFormat === 'json') return { type: 'json', convert: jsonFromText };
      return { type: binary ? 'binary' : 'text' };
    default:
      return { type: 'text' };
  }
}

// ---------------------------------------------------------------------------
// SQLite
// ---------------------------------------------------------------------------

/**
 * The column type of a SQLite declared type (SQLite stores values
 * dynamically; the declared type of a table column is what tells a
 * timestamp from text). `undefined` for expressions, which have none.
 */
export function sqliteDeclaredType(declared: string | null | undefined): ColumnType | undefined {
  if (!declared) return undefined;
  const t = declared.toUpperCase();
  if (t.includes('BOOL')) return 'boolean';
  if (t.includes('BIGINT') || t.includes('INT8')) return 'bigint';
  if (t.includes('INT')) return 'integer';
  if (t.includes('JSON')) return 'json'; // before TEXT: bigrays creates JSON columns as JSON_TEXT (TEXT affinity)
  if (t.includes('CHAR') || t.includes('CLOB') || t.includes('TEXT')) return 'text';
  if (t.includes('BLOB')) return 'binary';
  if (t.includes('REAL') || t.includes('FLOA') || t.includes('DOUB')) return 'float';
  if (t.includes('DEC') || t.includes('NUMERIC') || t.includes('MONEY')) return 'decimal';
  if (t.includes('TIME')) return 'timestamp';
  if (t.includes('DATE')) return 'date';
  if (t.includes('JSON')) return 'json';
  return 'unknown';
}

/** The scale of a declared `DECIMAL(p,s)`/`NUMERIC(p,s)`, if any. */
export function sqliteDecimalScale(declared: string | null | undefined): number | undefined {
  const m = /(?:DEC|NUM)[A-Z]*\s*\(\s*\d+\s*,\s*(\d+)\s*\)/i.exec(declared ?? '');
  return m ? Number(m[1]) : undefined;
}

/**
 * The converter of a SQLite column of this type (values as better-sqlite3
 * returns them, BigInt for integers in safe mode). SQLite keeps decimals as
 * REAL or INTEGER: a declared `DECIMAL(p,s)` is formatted with `s` digits,
 * as the other databases return it.
 */
export function sqliteConverter(type: ColumnType | undefined, declared?: string | null): Converter | undefined {
  if (type === 'decimal') {
    const scale = sqliteDecimalScale(declared);
    return (v) => {
      if (typeof v === 'bigint') return scale ? `${v}.${'0'.repeat(scale)}` : String(v);
      if (typeof v === 'number') return scale !== undefined && Math.abs(v) < 1e21 ? v.toFixed(scale) : String(v);
      return v;
    };
  }
  switch (type) {
    case 'boolean':
      return (v) => (typeof v === 'number' || typeof v === 'bigint' ? v != 0 : typeof v === 'string' ? parseBooleanText(v) : v);
    case 'bigint':
      return (v) => (typeof v === 'number' || typeof v === 'bigint' ? String(v) : v);
    case 'integer':
    case 'float':
      return (v) => (typeof v === 'bigint' ? Number(v) : v);
    case 'timestamp':
      return (v) => (typeof v === 'string' ? timestampOrText(v) : typeof v === 'bigint' ? Number(v) : v);
    case 'json':
      // A number stored in a NUMERIC-affinity JSON column: exact, or the JsonText of its digits (64-bit integers).
      return (v) => (typeof v === 'string' ? jsonFromText(v) : typeof v === 'bigint' ? (Number.isSafeInteger(Number(v)) ? Number(v) : new JsonText(String(v))) : v);
    case 'date':
    case 'text':
    case 'unknown':
    case undefined:
      return (v) => (typeof v === 'bigint' ? Number(v) : v);
    default:
      return undefined;
  }
}

function parseBooleanText(v: string): unknown {
  const t = v.toLowerCase();
  if (t === 'true' || t === 't' || t === '1') return true;
  if (t === 'false' || t === 'f' || t === '0') return false;
  return v;
}

// ---------------------------------------------------------------------------
// Inference from values (SQLWrite, SQLite expressions)
// ---------------------------------------------------------------------------

const INT32_MAX = 2147483647;
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * The column type that holds every value of a sample (nulls ignored):
 *
 * - only integers within 32 bits → `integer`; larger safe integers or `bigint`s → `bigint`
 * - numbers with a fraction, or integral numbers beyond ±(2^53 − 1) (`1e300`) → `float`
 * - booleans → `boolean`; `Date`s → `timestamp`
 * - strings that are all `YYYY-MM-DD` → `date`; other strings → `text`
 * - objects or arrays (with or without scalars mixed in) → `json`
 * - Buffers → `binary`
 * - mixed scalars, or only nulls → `text`
 */
export function inferColumnType(values: Iterable<unknown>): ColumnType {
  let ints = 0;
  let bigInts = 0;
  let floats = 0;
  let bools = 0;
  let dates = 0;
  let dateStrings = 0;
  let strings = 0;
  let objects = 0;
  let buffers = 0;
  let total = 0;
  for (const v of values) {
    if (v === null || v === undefined) continue;
    total++;
    switch (typeof v) {
      case 'number':
        // An integral JS number that is not a safe integer (1e300, 2^60) is a double: a BIGINT would reject or clip it (issue 10 new-1).
        if (Number.isSafeInteger(v)) {
          if (Math.abs(v) > INT32_MAX) bigInts++;
          else ints++;
        } else floats++;
        break;
      case 'bigint':
        bigInts++;
        break;
      case 'boolean':
        bools++;
        break;
      case 'string':
        strings++;
        if (DATE_ONLY.test(v)) dateStrings++;
        break;
      case 'object':
        if (v instanceof Date) dates++;
        else if (v instanceof Uint8Array) buffers++;
        else objects++;
        break;
      default:
        strings++;
    }
  }
  if (total === 0) return 'text';
  if (objects > 0) return 'json';
  if (ints + bigInts + floats === total) return floats > 0 ? 'float' : bigInts > 0 ? 'bigint' : 'integer';
  if (bools === total) return 'boolean';
  if (dates === total) return 'timestamp';
  if (buffers === total) return 'binary';
  if (strings === total) return dateStrings === total ? 'date' : 'text';
  return 'text';
}

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/**
 * Whether `v` fits a numeric column type that {@link inferColumnType} chose
 * from a sample (null always does; other types are left to the database).
 * Used for rows past the sample, so that a value the created column cannot
 * hold fails loudly instead of being rounded or clipped (issue 10 new-1).
 */
export function fitsInferredType(type: ColumnType, v: unknown): boolean {
  if (v === null || v === undefined) return true;
  switch (type) {
    case 'integer':
      return typeof v === 'number' ? Number.isInteger(v) && Math.abs(v) <= INT32_MAX : typeof v === 'bigint' && v >= -2147483648n && v <= 2147483647n;
    case 'bigint':
      return typeof v === 'number' ? Number.isSafeInteger(v) : typeof v === 'bigint' && v >= INT64_MIN && v <= INT64_MAX;
    case 'float':
      return typeof v === 'number' || (typeof v === 'bigint' && BigInt(Number(v)) === v);
    default:
      return true;
  }
}

/** The digits a decimal column needs: before the decimal point, and after it (over every value of the input). */
export interface DecimalSize {
  integerDigits: number;
  scale: number;
}

/**
 * Widens `size` to hold `v` (a decimal as text, or a number), exponent
 * notation included (`'1.5e-7'` needs 8 digits after the point). Values that
 * are not decimals are left to the database to reject.
 */
export function widenDecimalSize(size: DecimalSize, v: unknown): void {
  if (typeof v !== 'string' && typeof v !== 'number') return;
  const m = /^\s*[+-]?(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?\s*$/.exec(String(v));
  if (m === null) return;
  const whole = (m[1] ?? '').replace(/^0+/, '');
  // Trailing zeros stay: '12.30' keeps its scale of 2.
  const fraction = m[2] ?? '';
  const exponent = Number(m[3] ?? 0);
  // The digits without the point, and where the point goes once the exponent is applied.
  const digits = whole + fraction;
  const point = whole.length + exponent;
  const integerDigits = Math.max(0, point);
  const scale = Math.max(0, digits.length - point);
  if (integerDigits > size.integerDigits) size.integerDigits = integerDigits;
  if (scale > size.scale) size.scale = scale;
}

// ---------------------------------------------------------------------------
// Values to the database
// ---------------------------------------------------------------------------

function ymd(y: number, m: number, d: number): string {
  return `${String(y).padStart(4, '0')}-${m < 10 ? '0' : ''}${m}-${d < 10 ? '0' : ''}${d}`;
}

function ymdUtc(d: Date): string {
  return ymd(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate());
}

/**
 * The calendar day of a `Date` for a `date` column: a Date at local
 * midnight (what drivers return for DATE) is its local day, any other its
 * UTC day (what `new Date('2026-01-02')` means). Same rule as core's Dataset.
 */
export function calendarDay(d: Date): string | null {
  if (Number.isNaN(d.getTime())) return null;
  const localMidnight = d.getHours() === 0 && d.getMinutes() === 0 && d.getSeconds() === 0 && d.getMilliseconds() === 0;
  return localMidnight ? ymd(d.getFullYear(), d.getMonth() + 1, d.getDate()) : ymdUtc(d);
}

function jsonText(v: unknown): string {
  if (v instanceof JsonText) return v.text;
  return JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? x.toString() : x)) ?? 'null';
}

/**
 * A bound parameter value as the driver takes it. `undefined` is NULL.
 *
 * - PostgreSQL: `Date` → ISO 8601 (UTC) text, `bigint` → text; arrays stay
 *   arrays (use them as `= ANY(:ids)`), other objects become JSON (pg's rules).
 * - MariaDB/MySQL: `bigint` → text, objects and arrays → JSON text.
 * - SQLite: booleans → 1/0, `Date` → ISO 8601 text, objects and arrays → JSON text.
 */
export function bindValue(dialect: Dialect, v: unknown): unknown {
  if (v === undefined || v === null) return null;
  switch (typeof v) {
    case 'bigint':
      return dialect === 'sqlite' ? v : v.toString();
    case 'boolean':
      return dialect === 'sqlite' ? (v ? 1 : 0) : v;
    case 'object':
      if (v instanceof Date) {
        if (Number.isNaN(v.getTime())) return null;
        return dialect === 'mysql' ? v : v.toISOString();
      }
      if (v instanceof Uint8Array) return Buffer.isBuffer(v) ? v : Buffer.from(v.buffer, v.byteOffset, v.byteLength);
      if (v instanceof JsonText) return v.text;
      if (dialect === 'postgres') return v;
      return jsonText(v);
    case 'function':
    case 'symbol':
      return String(v);
    default:
      return v;
  }
}

/**
 * A function turning a value of a column of `type` into what is bound for
 * an INSERT (MariaDB/MySQL, SQLite) or written to COPY's CSV (PostgreSQL,
 * where the core CSV encoder does the rest: ISO timestamps, `\\x` hex bytes).
 * A `json` column stores `JSON.stringify(value)` (a string becomes a JSON
 * string); a `Date` in a `date` column is its calendar day.
 */
export function valueWriter(dialect: Dialect, type: ColumnType): (v: unknown) => unknown {
  switch (type) {
    case 'json':
      return (v) => (v === null || v === undefined ? null : jsonText(v));
    case 'date':
      return (v) => (v instanceof Date ? calendarDay(v) : dialect === 'postgres' ? v : bindValue(dialect, v));
    default:
      return dialect === 'postgres' ? (v) => (typeof v === 'bigint' ? v.toString() : v) : (v) => bindValue(dialect, v);
  }
}
