/**
 * Column types of a spooled table, and decoders from CSV field text back to
 * JavaScript values.
 *
 * @module
 */
import type { CsvRecord } from './csv-parser.js';
import type { Row } from './csv-writer.js';
import { parseJsonExact } from './json-exact.js';

/**
 * The type of a column of a {@link Dataset}, which decides how its CSV text
 * is decoded:
 *
 * | type | value |
 * |---|---|
 * | `text`, `unknown` | string |
 * | `integer`, `float` | number |
 * | `bigint`, `decimal` | string, exact (a JS number would silently round beyond 2^53 or 15 digits; convert with `BigInt(v)` or a decimal library when needed) |
 * | `boolean` | boolean (`t`/`true`/`1`, `f`/`false`/`0`, any case) |
 * | `date` | `'YYYY-MM-DD'` string (a `Date` would pick a time zone for a calendar day) |
 * | `timestamp` | `Date` (ISO 8601 or PostgreSQL text form; no zone means UTC; sub-millisecond digits are truncated); PostgreSQL's `infinity`, `-infinity` and BC timestamps (`0044-03-15 12:00:00 BC`) stay that text, which writes back unchanged |
 * | `json` | parsed JSON, or a `JsonText` of the exact text when a JS value cannot hold it (numbers a double cannot hold, a top-level JSON `null`); text that is not valid JSON stays a string |
 * | `binary` | `Buffer` (from PostgreSQL's `\x` hex form) |
 *
 * An unquoted empty field is `null` in every type; an empty string is `''`
 * for `text`/`unknown`/`date`/`bigint`/`decimal` and `null` for the others,
 * which have no empty value.
 */
export type ColumnType =
  | 'text'
  | 'integer'
  | 'float'
  | 'bigint'
  | 'decimal'
  | 'boolean'
  | 'date'
  | 'timestamp'
  | 'json'
  | 'binary'
  | 'unknown';

/** Every {@link ColumnType}, e.g. for validation. */
export const COLUMN_TYPES: readonly ColumnType[] = [
  'text',
  'integer',
  'float',
  'bigint',
  'decimal',
  'boolean',
  'date',
  'timestamp',
  'json',
  'binary',
  'unknown',
];

/** Turns the text of a non-null CSV field into a value. */
export type ValueDecoder = (text: string) => unknown;

function decodeInteger(text: string): unknown {
  if (text === '') return null;
  const n = Number(text);
  if (n !== n) throw new TypeError(`cannot decode ${JSON.stringify(text)} as integer`);
  return n;
}

function decodeFloat(text: string): unknown {
  if (text === '') return null;
  const n = Number(text);
  // Number() accepts 'NaN'-free garbage as NaN; only the literal NaN may decode to NaN.
  if (n !== n && text !== 'NaN') throw new TypeError(`cannot decode ${JSON.stringify(text)} as float`);
  return n;
}

function decodeBoolean(text: string): unknown {
  switch (text) {
    case 't':
    case 'true':
    case '1':
      return true;
    case 'f':
    case 'false':
    case '0':
      return false;
    case '':
      return null;
  }
  switch (text.toLowerCase()) {
    case 't':
    case 'true':
      return true;
    case 'f':
    case 'false':
      return false;
  }
  throw new TypeError(`cannot decode ${JSON.stringify(text)} as boolean`);
}

function decodeJson(text: string): unknown {
  if (text === '') return null;
  return parseJsonExact(text);
}

function decodeBinary(text: string): unknown {
  if (text === '') return null;
  if (text.charCodeAt(0) === 92 /* \ */ && text.charCodeAt(1) === 120 /* x */) {
    return Buffer.from(text.slice(2), 'hex');
  }
  // Not PostgreSQL's hex form: the bytes of the text itself are the best guess.
  return Buffer.from(text, 'utf8');
}

/**
 * Timestamps a `Date` cannot hold as PostgreSQL means them stay PostgreSQL's
 * text, which writes back unchanged: `infinity`, `-infinity`, and dates
 * before year 1 (`0044-03-15 12:00:00 BC`; a `Date` would need a negative
 * ISO year that PostgreSQL does not read).
 */
export function isPgSpecialTimestamp(text: string): boolean {
  return text === 'infinity' || text === '-infinity' || text.endsWith(' BC');
}

function decodeTimestamp(text: string): unknown {
  if (text === '') return null;
  if (isPgSpecialTimestamp(text)) return text;
  return parseTimestamp(text);
}

function identity(text: string): unknown {
  return text;
}

const decoders: Record<ColumnType, ValueDecoder> = {
  text: identity,
  unknown: identity,
  bigint: identity,
  decimal: identity,
  date: identity,
  integer: decodeInteger,
  float: decodeFloat,
  boolean: decodeBoolean,
  timestamp: decodeTimestamp,
  json: decodeJson,
  binary: decodeBinary,
};

/** The decoder of one column type. */
export function decoderFor(type: ColumnType): ValueDecoder {
  const decoder = decoders[type];
  if (decoder === undefined) throw new TypeError(`unknown column type ${JSON.stringify(type)}; expected one of ${COLUMN_TYPES.join(', ')}`);
  return decoder;
}

/** Decodes one CSV field (`null` for an unquoted empty field) as `type`. */
export function decodeValue(type: ColumnType, text: string | null): unknown {
  return text === null ? null : decoderFor(type)(text);
}

/**
 * Builds a function that decodes a record into an array of typed values.
 * Build it once per table: columns of text-like types are passed through
 * without a call.
 */
export function createArrayDecoder(types: readonly ColumnType[], columns?: readonly string[]): (record: CsvRecord) => unknown[] {
  const fns = types.map(decoderOrNull);
  const n = fns.length;
  let row = 0;
  return (record) => {
    const out = new Array<unknown>(n);
    row++;
    let i = 0;
    try {
      for (; i < n; i++) {
        const text = record[i];
        const fn = fns[i];
        out[i] = text == null ? null : fn === null ? text : fn(text);
      }
    } catch (error) {
      throw decodeError(error, columns?.[i] ?? `#${i + 1}`, types[i]!, row);
    }
    return out;
  };
}

/** A decoding failure naming the column, its type and the data row (1-based, header not counted). */
function decodeError(error: unknown, column: string, type: ColumnType, row: number): TypeError {
  const reason = error instanceof Error ? error.message : String(error);
  return new TypeError(`column ${JSON.stringify(column)} (${type}), row ${row}: ${reason}`, { cause: error });
}

/**
 * Builds a function that decodes a record into a row object keyed by
 * `columns`. Build it once per table.
 */
export function createRowDecoder(columns: readonly string[], types: readonly ColumnType[]): (record: CsvRecord) => Row {
  if (columns.length !== types.length) {
    throw new TypeError(`createRowDecoder: ${columns.length} columns but ${types.length} types`);
  }
  const fns = types.map(decoderOrNull);
  const n = fns.length;
  // A column named "__proto__" would set the prototype when assigned; define it instead.
  const define = columns.includes('__proto__');
  let index = 0;
  return (record) => {
    const row: Row = {};
    index++;
    let i = 0;
    try {
      for (; i < n; i++) {
        const text = record[i];
        const fn = fns[i];
        const value = text == null ? null : fn === null ? text : fn(text);
        if (define) Object.defineProperty(row, columns[i]!, { value, enumerable: true, writable: true, configurable: true });
        else row[columns[i]!] = value;
      }
    } catch (error) {
      throw decodeError(error, columns[i]!, types[i]!, index);
    }
    return row;
  };
}

function decoderOrNull(type: ColumnType): ValueDecoder | null {
  const fn = decoderFor(type);
  return fn === identity ? null : fn;
}

// ---------------------------------------------------------------------------
// Timestamps
// ---------------------------------------------------------------------------

/**
 * Parses a timestamp in ISO 8601 (`2026-01-02T03:04:05.123Z`) or PostgreSQL
 * text form (`2026-01-02 03:04:05.123456+05:30`, `+05`, no zone). A timestamp
 * without a zone is UTC, not local time (unlike `Date.parse`), so a spooled
 * `timestamp without time zone` reads back the same on every machine.
 * Digits beyond milliseconds are truncated. Other forms go to `Date.parse`.
 *
 * @throws TypeError when the text is not a timestamp.
 */
export function parseTimestamp(text: string): Date {
  const n = text.length;
  // Fixed positions of 'YYYY-MM-DD'; charCode arithmetic avoids a regex per value.
  if (n >= 10 && text.charCodeAt(4) === 45 && text.charCodeAt(7) === 45) {
    const year = digits(text, 0, 4);
    const month = digits(text, 5, 2);
    const day = digits(text, 8, 2);
    let hour = 0;
    let minute = 0;
    let second = 0;
    let ms = 0;
    let offsetMinutes = 0;
    let i = 10;
    let ok = year >= 0 && month >= 1 && month <= 12 && day >= 1 && day <= 31;
    if (ok && i < n) {
      const sep = text.charCodeAt(i);
      if ((sep === 32 || sep === 84 || sep === 116) && n >= 16 && text.charCodeAt(13) === 58) {
        hour = digits(text, 11, 2);
        minute = digits(text, 14, 2);
        i = 16;
        if (i < n && text.charCodeAt(i) === 58) {
          second = digits(text, 17, 2);
          i = 19;
          if (i < n && text.charCodeAt(i) === 46) {
            i++;
            let scale = 100;
            while (i < n) {
              const d = text.charCodeAt(i) - 48;
              if (d < 0 || d > 9) break;
              ms += d * scale;
              scale /= 10;
              i++;
            }
            ms = Math.floor(ms);
          }
        }
        ok = hour >= 0 && hour <= 24 && minute >= 0 && minute <= 59 && second >= 0 && second <= 60;
      }
      if (ok && i < n) {
        const z = text.charCodeAt(i);
        if ((z === 90 || z === 122) && i + 1 === n) {
          i = n;
        } else if (z === 43 || z === 45) {
          const off = parseOffset(text, i + 1);
          if (off < 0) ok = false;
          else {
            offsetMinutes = z === 43 ? off : -off;
            i = n;
          }
        } else {
          ok = false;
        }
      }
    }
    if (ok && i >= n) {
      const d = new Date(Date.UTC(year, month - 1, day, hour, minute, second, ms) - offsetMinutes * 60000);
      // Date.UTC maps years 0-99 to 1900-1999.
      if (year < 100) d.setUTCFullYear(d.getUTCFullYear() - 1900);
      if (!Number.isNaN(d.getTime())) return d;
    }
  }
  // A BC timestamp is not year +N: refuse it rather than let Date.parse guess.
  const t = text.endsWith(' BC') ? NaN : Date.parse(text);
  if (Number.isNaN(t)) throw new TypeError(`cannot decode ${JSON.stringify(text)} as timestamp`);
  return new Date(t);
}

/** Minutes of a zone offset `HH`, `HH:MM`, `HHMM` or `HH:MM:SS` at `i`, or -1. */
function parseOffset(text: string, i: number): number {
  const n = text.length;
  const hours = digits(text, i, 2);
  if (hours < 0) return -1;
  i += 2;
  let minutes = 0;
  if (i < n) {
    if (text.charCodeAt(i) === 58) i++;
    minutes = digits(text, i, 2);
    if (minutes < 0) return -1;
    i += 2;
    if (i < n) {
      if (text.charCodeAt(i) !== 58) return -1;
      // Seconds in an offset exist only for historical zones; they are below our precision.
      if (digits(text, i + 1, 2) < 0 || i + 3 !== n) return -1;
    }
  }
  return hours * 60 + minutes;
}

/** The value of `len` decimal digits at `start`, or -1 if any is not a digit. */
function digits(text: string, start: number, len: number): number {
  if (start + len > text.length) return -1;
  let v = 0;
  for (let i = start; i < start + len; i++) {
    const d = text.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    v = v * 10 + d;
  }
  return v;
}
