/**
 * MariaDB/MySQL values: the column type of each mysql2 field and the
 * converters its values need, and how values are bound.
 *
 * @module
 */
import type { ColumnType } from '@bigrays/core';
import { bindingWriter, bindWith, jsonFromText, jsonText, ymdUtc, type BindRules, type Converter } from '../../values.js';

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

const MYSQL_BIND: BindRules = {
  bigint: (v) => v.toString(),
  boolean: (v) => v,
  date: (v) => v,
  object: (v) => jsonText(v),
};

/** A bound parameter value as mysql2 takes it: `bigint` → text, objects and arrays → JSON text. */
export const mysqlBindValue = (v: unknown): unknown => bindWith(MYSQL_BIND, v);

/** A value of a column of `type` as an INSERT binds it. */
export const mysqlValueWriter = (type: ColumnType): ((v: unknown) => unknown) => bindingWriter(mysqlBindValue, type);
