/**
 * Connecting to Amazon Redshift (`redshift://`): pg, as for PostgreSQL, but
 * without PostgreSQL's pinned startup settings (Redshift rejects most of
 * them) and with the Redshift engine.
 *
 * @module
 */
import type { SqlDriver } from '../driver.js';
import { pgConnector, pgOpenFailure } from '../postgres/driver.js';
import { RedshiftEngine } from './engine.js';

export const redshiftDriver: SqlDriver = {
  name: 'Redshift',
  prepare: (spec, timeoutMs) =>
    pgConnector(spec, timeoutMs, (userOptions) => userOptions, (connection, copyStreams, runner) => RedshiftEngine.open(connection, copyStreams, runner)),
  openFailure: pgOpenFailure,
};
