/**
 * PostgreSQL values: the column type of each type OID, pg's type parsers
 * with bigrays' conventions, and how values are bound and written to COPY.
 *
 * @module
 */
import type { ColumnType } from '@bigrays/core';
import { parseJsonExact } from '@bigrays/core/plugin';
import { bindWith, calendarDay, jsonText, timestampOrText, type BindRules } from '../../values.js';

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

const PG_BIND: BindRules = {
  bigint: (v) => v.toString(),
  boolean: (v) => v,
  date: (v) => v.toISOString(),
  // Arrays stay arrays (use them as `= ANY(:ids)`), other objects become JSON (pg's rules).
  object: (v) => v,
};

/** A bound parameter value as pg takes it: `Date` → ISO 8601 (UTC) text, `bigint` → text. */
export const pgBindValue = (v: unknown): unknown => bindWith(PG_BIND, v);

/**
 * A value of a column of `type` as written to COPY's CSV (the core CSV
 * encoder does the rest: ISO timestamps, `\\x` hex bytes).
 */
export function pgValueWriter(type: ColumnType): (v: unknown) => unknown {
  switch (type) {
    case 'json':
      return (v) => (v === null || v === undefined ? null : jsonText(v));
    case 'date':
      return (v) => (v instanceof Date ? calendarDay(v) : v);
    default:
      return (v) => (typeof v === 'bigint' ? v.toString() : v);
  }
}
