/**
 * The driver of each dialect, one line each (what TypeORM's `DriverFactory`
 * does with a switch). See `engines/dialects.ts` for the other list a new
 * dialect joins.
 *
 * @internal
 * @module
 */
import type { ConnectionSpec } from '../dsn.js';
import type { Dialect } from './dialects.js';
import type { SqlDriver } from './driver.js';
import { mysqlDriver } from './mysql/driver.js';
import { postgresDriver } from './postgres/driver.js';
import { redshiftDriver } from './redshift/driver.js';
import { sqliteDriver } from './sqlite/driver.js';

const DRIVERS: { readonly [D in Dialect | NonNullable<ConnectionSpec['engine']>]: SqlDriver } = {
  postgres: postgresDriver,
  mysql: mysqlDriver,
  sqlite: sqliteDriver,
  redshift: redshiftDriver,
};

/** The driver that connects to what `spec` names: its engine within the dialect, or the dialect's own. */
export const driverFor = (spec: Pick<ConnectionSpec, 'dialect' | 'engine'>): SqlDriver => DRIVERS[spec.engine ?? spec.dialect];
