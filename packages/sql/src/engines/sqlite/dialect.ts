/**
 * SQLite, without connecting: names, DSN, SQL syntax, values, errors.
 *
 * @module
 */
import type { DialectSpec } from '../dialect.js';
import { sqliteUpsert } from './upsert.js';
import { sqliteErrors } from './errors.js';
import { sqliteBindValue, sqliteValueWriter } from './values.js';

export const sqliteDialect: DialectSpec = {
  name: 'SQLite',
  driverPackage: 'better-sqlite3',
  // A file DSN (no default port): sqlite:<path>, sqlite::memory:.
  dsn: { schemes: ['sqlite', 'sqlite3'], typeormType: () => 'better-sqlite3' },
  syntax: {
    backslashEscapes: false,
    escapeStringPrefix: false,
    backtickIdentifiers: true,
    bracketIdentifiers: true,
    hashComments: false,
    nestedBlockComments: false,
    dollarQuotes: false,
    numberedPlaceholders: false,
  },
  errors: sqliteErrors,
  bindValue: sqliteBindValue,
  valueWriter: sqliteValueWriter,
  loadsCsv: false,
  sizesDecimals: true,
  exclusiveStreams: true,
  missingParamHint: '',
  upsert: sqliteUpsert,
};
