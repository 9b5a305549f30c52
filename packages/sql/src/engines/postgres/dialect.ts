/**
 * PostgreSQL, without connecting: names, DSN, SQL syntax, values, errors.
 *
 * @module
 */
import type { DialectSpec } from '../dialect.js';
import { postgresUpsert } from './upsert.js';
import { postgresErrors } from './errors.js';
import { pgBindValue, pgValueWriter } from './values.js';

export const postgresDialect: DialectSpec = {
  name: 'PostgreSQL',
  driverPackage: 'pg',
  dsn: { schemes: ['postgres', 'postgresql'], typeormType: () => 'postgres', defaultPort: 5432, connectionString: true, engines: { redshift: { engine: 'redshift', defaultPort: 5439 } } },
  syntax: {
    backslashEscapes: false,
    escapeStringPrefix: true,
    backtickIdentifiers: false,
    bracketIdentifiers: false,
    hashComments: false,
    nestedBlockComments: true,
    dollarQuotes: true,
    numberedPlaceholders: true,
  },
  errors: postgresErrors,
  bindValue: pgBindValue,
  valueWriter: pgValueWriter,
  loadsCsv: true,
  sizesDecimals: false,
  exclusiveStreams: false,
  missingParamHint: "; for a PostgreSQL cast write '::', as in 'x::int'",
  upsert: postgresUpsert,
};
