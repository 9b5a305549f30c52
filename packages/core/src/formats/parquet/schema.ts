/**
 * How a table's columns become Parquet columns: the Parquet type of each
 * bigrays {@link ColumnType}, inference from values for columns without a
 * declared type, and the conversion of each value to what the writer stores.
 *
 * @module
 */
import type { ColumnType } from '../../data/column-types.js';
import { parseTimestamp } from '../../data/column-types.js';

/**
 * A Parquet column type a user may declare (`ToParquet.types`), or that is
 * chosen from the column's {@link ColumnType} or its values:
 *
 * | type | Parquet |
 * |---|---|
 * | `int32` | INT32 |
 * | `int64` | INT64 |
 * | `double` | DOUBLE |
 * | `boolean` | BOOLEAN |
 * | `string` | BYTE_ARRAY, logical STRING (UTF-8) |
 * | `binary` | BYTE_ARRAY |
 * | `json` | BYTE_ARRAY, logical JSON |
 * | `date` | INT32, logical DATE (days since 1970-01-01) |
 * | `timestamp` | INT64, logical TIMESTAMP(MICROS, isAdjustedToUTC = true) |
 * | `decimal(p,s)` | DECIMAL(p,s): INT32 for p ≤ 9, INT64 for p ≤ 18, else FIXED_LEN_BYTE_ARRAY |
 */
export type ParquetColumnType =
  | 'int32'
  | 'int64'
  | 'double'
  | 'boolean'
  | 'string'
  | 'binary'
  | 'json'
  | 'date'
  | 'timestamp'
  | `decimal(${number},${number})`;

/** A Parquet schema element, as hyparquet-writer takes it. @internal */
export interface SchemaElement {
  name: string;
  type?: string;
  type_length?: number;
  repetition_type?: string;
  converted_type?: string;
  logical_type?: Record<string, unknown>;
  precision?: number;
  scale?: number;
  num_children?: number;
}

/** One column's plan: its schema element and how to convert a non-null value. @internal */
export interface ParquetColumnPlan {
  name: string;
  type: ParquetColumnType;
  element: SchemaElement;
  /** Converts a non-null value; throws a TypeError saying why it does not fit. */
  convert: (value: unknown) => unknown;
}

const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;
const DAY_MS = 86_400_000;
const utf8 = new TextEncoder();

/** Parses `decimal(p,s)`; `undefined` when `type` is not one. */
export function parseDecimalType(type: string): { precision: number; scale: number } | undefined {
  const m = /^decimal\(\s*(\d+)\s*,\s*(\d+)\s*\)$/i.exec(type);
  if (!m) return undefined;
  return { precision: Number(m[1]), scale: Number(m[2]) };
}

/** Whether `type` is a {@link ParquetColumnType}. */
export function isParquetColumnType(type: unknown): type is ParquetColumnType {
  if (typeof type !== 'string') return false;
  if (SIMPLE_TYPES.has(type)) return true;
  const d = parseDecimalType(type);
  return d !== undefined && d.precision >= 1 && d.precision <= 38 && d.scale <= d.precision;
}

const SIMPLE_TYPES = new Set(['int32', 'int64', 'double', 'boolean', 'string', 'binary', 'json', 'date', 'timestamp']);

/**
 * The Parquet type of a column: the declared one, else from its bigrays
 * column type, else inferred from `sample` (the values of the first row
 * group). See the README ("Parquet") for the rules.
 */
export function chooseParquetType(columnType: ColumnType | undefined, sample: readonly unknown[]): ParquetColumnType {
  switch (columnType) {
    case 'integer':
      return allFit(sample, isInt32) ? 'int32' : 'int64';
    case 'bigint':
      return 'int64';
    case 'float':
      return 'double';
    case 'decimal': {
      // Precision 18 fits INT64 (fast to write and read) and leaves 6 digits of headroom over the sample;
      // wider samples get 38, the most common readers support.
      const scale = maxScale(sample);
      return `decimal(${maxIntegerDigits(sample) + scale <= 12 ? 18 : 38},${scale})`;
    }
    case 'boolean':
      return 'boolean';
    case 'date':
      return 'date';
    case 'timestamp':
      return 'timestamp';
    case 'json':
      return 'json';
    case 'binary':
      return 'binary';
    case 'text':
      return 'string';
    default:
      return inferFromValues(sample);
  }
}

/** The type of a column known only by its values (rows, or a Dataset's `unknown` column). */
function inferFromValues(sample: readonly unknown[]): ParquetColumnType {
  let kind: string | undefined;
  let allInt32 = true;
  let allInteger = true;
  for (const v of sample) {
    if (v === null || v === undefined) continue;
    const k = valueKind(v);
    if (kind === undefined) kind = k;
    else if (kind !== k) {
      // Integers and fractions mix into numbers; any other mix is kept as text.
      return 'string';
    }
    if (k === 'number') {
      if (!Number.isInteger(v)) allInteger = allInt32 = false;
      else if (!isInt32(v)) allInt32 = false;
    }
  }
  switch (kind) {
    case 'number':
      return allInt32 ? 'int32' : allInteger && allFit(sample, isSafeIntegerOrNull) ? 'int64' : 'double';
    case 'bigint':
      return 'int64';
    case 'boolean':
      return 'boolean';
    case 'date':
      return 'timestamp';
    case 'bytes':
      return 'binary';
    case 'object':
      return 'json';
    default:
      return 'string';
  }
}

function valueKind(v: unknown): string {
  switch (typeof v) {
    case 'number':
    case 'bigint':
    case 'boolean':
    case 'string':
      return typeof v;
    case 'object':
      if (v instanceof Date) return 'date';
      if (v instanceof Uint8Array) return 'bytes';
      return 'object';
    default:
      return 'string';
  }
}

function isInt32(v: unknown): boolean {
  if (v === null || v === undefined) return true;
  const n = typeof v === 'string' ? Number(v) : v;
  return typeof n === 'number' && Number.isInteger(n) && n >= INT32_MIN && n <= INT32_MAX;
}

function isSafeIntegerOrNull(v: unknown): boolean {
  return v === null || v === undefined || typeof v !== 'number' || Number.isSafeInteger(v);
}

function allFit(sample: readonly unknown[], fits: (v: unknown) => boolean): boolean {
  for (const v of sample) if (!fits(v)) return false;
  return true;
}

/** The largest number of digits before the point among decimal values. */
function maxIntegerDigits(sample: readonly unknown[]): number {
  let digits = 0;
  for (const v of sample) {
    if (v === null || v === undefined) continue;
    const m = /^\s*[-+]?0*(\d*)/.exec(String(v));
    const n = m ? m[1]!.length : 0;
    if (n > digits) digits = n;
    if (/[eE]/.test(String(v))) return 38;
  }
  return digits;
}

/** The largest number of fraction digits among decimal values (strings or numbers). */
function maxScale(sample: readonly unknown[]): number {
  let scale = 0;
  for (const v of sample) {
    if (v === null || v === undefined) continue;
    const text = String(v);
    const dot = text.indexOf('.');
    if (dot < 0) continue;
    let end = text.length;
    const e = text.search(/[eE]/);
    if (e >= 0) end = e;
    scale = Math.max(scale, end - dot - 1);
  }
  return Math.min(scale, 38);
}

/** The schema element and value converter of a column of Parquet type `type`. */
export function planColumn(name: string, type: ParquetColumnType): ParquetColumnPlan {
  const optional = { name, repetition_type: 'OPTIONAL' };
  switch (type) {
    case 'int32':
      return { name, type, element: { ...optional, type: 'INT32' }, convert: toInt32 };
    case 'int64':
      return { name, type, element: { ...optional, type: 'INT64' }, convert: toInt64 };
    case 'double':
      return { name, type, element: { ...optional, type: 'DOUBLE' }, convert: toDouble };
    case 'boolean':
      return { name, type, element: { ...optional, type: 'BOOLEAN' }, convert: toBoolean };
    case 'string':
      return { name, type, element: { ...optional, type: 'BYTE_ARRAY', converted_type: 'UTF8' }, convert: toText };
    case 'binary':
      return { name, type, element: { ...optional, type: 'BYTE_ARRAY' }, convert: toBytes };
    case 'json':
      return { name, type, element: { ...optional, type: 'BYTE_ARRAY', converted_type: 'JSON' }, convert: toJsonValue };
    case 'date':
      return { name, type, element: { ...optional, type: 'INT32', converted_type: 'DATE' }, convert: toDays };
    case 'timestamp':
      return {
        name,
        type,
        element: { ...optional, type: 'INT64', logical_type: { type: 'TIMESTAMP', isAdjustedToUTC: true, unit: 'MICROS' } },
        convert: toMicros,
      };
  }
  const d = parseDecimalType(type);
  if (d === undefined || !isParquetColumnType(type)) {
    throw new TypeError(`unknown Parquet column type ${JSON.stringify(type)}`);
  }
  const { precision, scale } = d;
  const physical =
    precision <= 9
      ? { type: 'INT32' }
      : precision <= 18
        ? { type: 'INT64' }
        : { type: 'FIXED_LEN_BYTE_ARRAY', type_length: bytesForPrecision(precision) };
  const limit = 10n ** BigInt(precision);
  return {
    name,
    type,
    element: { ...optional, ...physical, converted_type: 'DECIMAL', precision, scale },
    convert: (v) => {
      const unscaled = toUnscaled(v, scale);
      if (unscaled >= limit || unscaled <= -limit) throw new TypeError(`${String(v)} has more than ${precision} digits`);
      return unscaled;
    },
  };
}

/** The fewest bytes whose two's complement holds every number of `precision` digits. */
function bytesForPrecision(precision: number): number {
  const max = 10n ** BigInt(precision) - 1n;
  let bytes = 1;
  while (max >= 1n << BigInt(bytes * 8 - 1)) bytes++;
  return bytes;
}

function toInt32(v: unknown): number {
  const n = typeof v === 'number' ? v : typeof v === 'bigint' ? Number(v) : typeof v === 'string' ? Number(v) : NaN;
  if (!Number.isInteger(n) || n < INT32_MIN || n > INT32_MAX) throw new TypeError(`${describe(v)} is not a 32-bit integer`);
  return n;
}

function toInt64(v: unknown): bigint {
  if (typeof v === 'bigint') return v;
  if (typeof v === 'number') {
    if (!Number.isInteger(v)) throw new TypeError(`${describe(v)} is not an integer`);
    return BigInt(v);
  }
  if (typeof v === 'string' && /^\s*[-+]?\d+\s*$/.test(v)) return BigInt(v);
  throw new TypeError(`${describe(v)} is not an integer`);
}

function toDouble(v: unknown): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint' || typeof v === 'string') {
    const n = Number(v);
    if (n === n || v === 'NaN') return n;
  }
  throw new TypeError(`${describe(v)} is not a number`);
}

function toBoolean(v: unknown): boolean {
  if (typeof v === 'boolean') return v;
  throw new TypeError(`${describe(v)} is not a boolean`);
}

function toText(v: unknown): unknown {
  if (typeof v === 'string') return v;
  if (v instanceof Date) return v.toISOString();
  if (v instanceof Uint8Array) throw new TypeError('bytes are not text');
  if (typeof v === 'object') return JSON.stringify(v, bigintReplacer);
  return String(v);
}

function toBytes(v: unknown): Uint8Array {
  if (v instanceof Uint8Array) return v;
  if (typeof v === 'string') return utf8.encode(v);
  throw new TypeError(`${describe(v)} is not bytes`);
}

/** The value with bigints as strings: the writer serialises JSON itself, but would turn bigints into lossy numbers. */
function toJsonValue(v: unknown): unknown {
  return hasBigint(v) ? (JSON.parse(JSON.stringify(v, bigintReplacer)) as unknown) : v;
}

function hasBigint(v: unknown): boolean {
  if (typeof v === 'bigint') return true;
  if (typeof v !== 'object' || v === null || v instanceof Date || v instanceof Uint8Array) return false;
  for (const x of Object.values(v)) if (hasBigint(x)) return true;
  return false;
}

function bigintReplacer(_key: string, value: unknown): unknown {
  return typeof value === 'bigint' ? value.toString() : value;
}

/** Days since 1970-01-01 of a `'YYYY-MM-DD'` string or a Date (its UTC day). */
function toDays(v: unknown): number {
  if (v instanceof Date) {
    const t = v.getTime();
    if (t === t) return Math.floor(t / DAY_MS);
  } else if (typeof v === 'string') {
    const m = /^(-?\d{4,})-(\d{2})-(\d{2})$/.exec(v);
    if (m) {
      const d = new Date(0);
      d.setUTCFullYear(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
      const t = d.getTime();
      if (t === t && d.getUTCDate() === Number(m[3])) return Math.floor(t / DAY_MS);
    }
  }
  throw new TypeError(`${describe(v)} is not a date ('YYYY-MM-DD' or a Date)`);
}

/** Microseconds since the epoch (UTC) of a Date, or of timestamp text (no zone means UTC). */
function toMicros(v: unknown): bigint {
  let t = NaN;
  if (v instanceof Date) t = v.getTime();
  else if (typeof v === 'string') {
    try {
      t = parseTimestamp(v).getTime();
    } catch {
      // reported below
    }
  } else if (typeof v === 'number') t = v;
  if (t !== t) throw new TypeError(`${describe(v)} is not a timestamp`);
  return BigInt(t) * 1000n;
}

/** The unscaled integer of a decimal value at `scale`, exactly (no float arithmetic). */
function toUnscaled(v: unknown, scale: number): bigint {
  if (typeof v === 'bigint') return v * 10n ** BigInt(scale);
  const text = typeof v === 'number' ? (Number.isFinite(v) ? numberText(v) : '') : typeof v === 'string' ? v.trim() : '';
  const m = /^([-+]?)(\d*)(?:\.(\d*))?$/.exec(text);
  if (!m || (m[2] === '' && (m[3] ?? '') === '')) throw new TypeError(`${describe(v)} is not a decimal number`);
  let fraction = m[3] ?? '';
  if (fraction.length > scale) {
    // Digits beyond the scale may be dropped only when they are zeros: anything else would round silently.
    if (!/^0*$/.test(fraction.slice(scale))) {
      throw new TypeError(`${describe(v)} has more than ${scale} digits after the point`);
    }
    fraction = fraction.slice(0, scale);
  }
  const unscaled = BigInt((m[2] || '0') + fraction.padEnd(scale, '0'));
  return m[1] === '-' ? -unscaled : unscaled;
}

/** A number's plain decimal text (no exponent). */
function numberText(n: number): string {
  const s = String(n);
  if (!/e/i.test(s)) return s;
  return n.toFixed(20).replace(/\.?0+$/, '');
}

function describe(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? v.slice(0, 40) + '…' : v);
  if (typeof v === 'bigint') return `${v}n`;
  if (v instanceof Date) return `Date(${v.getTime() === v.getTime() ? v.toISOString() : 'invalid'})`;
  if (typeof v === 'object' && v !== null) return v.constructor?.name ?? 'object';
  return String(v);
}
