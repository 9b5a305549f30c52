/**
 * SQLite values: the column type of a declared type, the converters of
 * better-sqlite3's values, and how values are bound.
 *
 * @module
 */
import { JsonText, type ColumnType } from '@bigrays/core';
import { bindingWriter, bindWith, jsonFromText, jsonText, timestampOrText, type BindRules, type Converter } from '../../values.js';

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

const SQLITE_BIND: BindRules = {
  bigint: (v) => v,
  boolean: (v) => (v ? 1 : 0),
  date: (v) => v.toISOString(),
  object: (v) => jsonText(v),
};

/** A bound parameter value as better-sqlite3 takes it: booleans → 1/0, `Date` → ISO 8601 text, objects and arrays → JSON text. */
export const sqliteBindValue = (v: unknown): unknown => bindWith(SQLITE_BIND, v);

/** A value of a column of `type` as an INSERT binds it. */
export const sqliteValueWriter = (type: ColumnType): ((v: unknown) => unknown) => bindingWriter(sqliteBindValue, type);
