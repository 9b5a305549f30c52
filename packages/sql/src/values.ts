/**
 * Values in and out of the drivers, normalised to one convention (the
 * same the core `Dataset` decoders produce). This file holds the rules every
 * dialect shares; each dialect's own type mapping and binding rules are in
 * `engines/<dialect>/values.ts`.
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

export function ymdUtc(d: Date): string {
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

/** The JSON text of a value (a `JsonText` as it is; bigints as numbers). */
export function jsonText(v: unknown): string {
  if (v instanceof JsonText) return v.text;
  return JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? x.toString() : finiteJsonNumber(x))) ?? 'null';
}

/** JSON has no Infinity or NaN: `JSON.stringify` would write `null`, a silent change. Refused instead (issue 10 new-4). */
function finiteJsonNumber(x: unknown): unknown {
  if (typeof x === 'number' && !Number.isFinite(x)) {
    throw new TypeError(`a JSON value holds ${x}, which JSON cannot represent (a number beyond a double, such as 1e400 stored in a SQLite JSON column, reads as Infinity); nothing was written. Cast the column to text in the query`);
  }
  return x;
}


/** A timestamp parser that leaves what is not a plain timestamp (`infinity`, BC dates) as text. */
export function timestampOrText(text: string): unknown {
  try {
    return parseTimestamp(text);
  } catch {
    return text;
  }
}

/** JSON text parsed exactly (big numbers and a JSON `null` kept as `JsonText`). */
export const jsonFromText: Converter = (v) => (typeof v === 'string' ? parseJsonExact(v) : v);

/** How one dialect binds the values whose binding differs between drivers. */
export interface BindRules {
  bigint(v: bigint): unknown;
  boolean(v: boolean): unknown;
  /** A valid `Date` (an invalid one binds NULL). */
  date(v: Date): unknown;
  /** An object or array that is not a Date, Buffer or JsonText. */
  object(v: object): unknown;
}

/**
 * A bound parameter value as the driver takes it, by one dialect's `rules`.
 * `undefined` is NULL; bytes are a Buffer; a `JsonText` is its text.
 */
export function bindWith(rules: BindRules, v: unknown): unknown {
  if (v === undefined || v === null) return null;
  switch (typeof v) {
    case 'bigint':
      return rules.bigint(v);
    case 'boolean':
      return rules.boolean(v);
    case 'object':
      if (v instanceof Date) {
        if (Number.isNaN(v.getTime())) return null;
        return rules.date(v);
      }
      if (v instanceof Uint8Array) return Buffer.isBuffer(v) ? v : Buffer.from(v.buffer, v.byteOffset, v.byteLength);
      if (v instanceof JsonText) return v.text;
      return rules.object(v);
    case 'function':
    case 'symbol':
      return String(v);
    default:
      return v;
  }
}

/**
 * A function turning a value of a column of `type` into what an INSERT
 * binds, for dialects that bind each value (`bind`): a `json` column stores
 * `JSON.stringify(value)` (a string becomes a JSON string); a `Date` in a
 * `date` column is its calendar day.
 */
export function bindingWriter(bind: (v: unknown) => unknown, type: ColumnType): (v: unknown) => unknown {
  switch (type) {
    case 'json':
      return (v) => (v === null || v === undefined ? null : jsonText(v));
    case 'date':
      return (v) => (v instanceof Date ? calendarDay(v) : bind(v));
    default:
      return bind;
  }
}
