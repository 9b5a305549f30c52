/**
 * MariaDB/MySQL, without connecting: names, DSN, SQL syntax, values, errors.
 *
 * @module
 */
import type { DialectSpec } from '../dialect.js';
import { mysqlUpsert } from './upsert.js';
import { mysqlErrors } from './errors.js';
import { mysqlBindValue, mysqlValueWriter } from './values.js';

export const mysqlDialect: DialectSpec = {
  name: 'MariaDB/MySQL',
  driverPackage: 'mysql2',
  dsn: { schemes: ['mysql', 'mariadb'], typeormType: (scheme) => scheme, defaultPort: 3306 },
  syntax: {
    backslashEscapes: true,
    escapeStringPrefix: false,
    backtickIdentifiers: true,
    bracketIdentifiers: false,
    hashComments: true,
    nestedBlockComments: false,
    dollarQuotes: false,
    numberedPlaceholders: false,
  },
  errors: mysqlErrors,
  bindValue: mysqlBindValue,
  valueWriter: mysqlValueWriter,
  loadsCsv: false,
  sizesDecimals: true,
  exclusiveStreams: true,
  missingParamHint: '',
  upsert: mysqlUpsert,
};
