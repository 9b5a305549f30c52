/**
 * Connecting to PostgreSQL: pg and pg-copy-streams, the pinned startup
 * options and bigrays' type parsers.
 *
 * @module
 */
import { ResourceError } from '@bigrays/core';
import type { DataSourceOptions, QueryRunner } from 'typeorm';
import type { ConnectionSpec } from '../../dsn.js';
import type { Engine } from '../../engine.js';
import { load, loadDriver } from '../../drivers.js';
import type { Connector, OpenFailure, SqlDriver } from '../driver.js';
import { PostgresEngine, pgStartupOptions, type CopyStreams } from './engine.js';
import { pgTypeOverrides } from './values.js';

type PgModule = {
  types: { getTypeParser(oid: number, format?: string): unknown };
};

/** Imports `pg-copy-streams` (a dependency of @bigrays/sql, used for PostgreSQL COPY). */
export function loadPgCopyStreams(): Promise<CopyStreams> {
  return load<CopyStreams>(
    'pg-copy-streams',
    (cause) =>
      new ResourceError('SQLSession', "the package 'pg-copy-streams' is missing; reinstall @bigrays/sql (npm install @bigrays/sql).", { cause }),
  );
}

/**
 * pg's connection options for `spec`: `startupOptions` turns the DSN's own
 * `options=` into the startup `options` parameter; `makeEngine` makes the
 * engine on the connection (PostgreSQL, or an engine within the dialect).
 */
export async function pgConnector(
  spec: ConnectionSpec,
  timeoutMs: number,
  startupOptions: (userOptions: string | undefined) => string | undefined,
  makeEngine: (connection: never, copyStreams: CopyStreams, runner: QueryRunner) => Engine | Promise<Engine>,
): Promise<Connector> {
  const pg = await loadDriver<PgModule>('postgres', spec.scheme);
  const copyStreams = await loadPgCopyStreams();
  // The DSN's own options= would replace the pinned settings (pg lets the connection string win): merge them.
  const dsnUrl = new URL(spec.connectionString!);
  const userOptions = dsnUrl.searchParams.get('options') ?? undefined;
  dsnUrl.searchParams.delete('options');
  const options = {
    type: 'postgres',
    driver: pg,
    poolSize: 1,
    logging: false,
    connectTimeoutMS: timeoutMs,
    extra: {
      connectionString: dsnUrl.toString(),
      options: startupOptions(userOptions),
      max: 1,
      connectionTimeoutMillis: timeoutMs,
      application_name: 'bigrays',
      types: pgTypeOverrides(pg.types),
    },
  } as DataSourceOptions;
  return { options, makeEngine: async (runner, connection) => makeEngine(connection as never, copyStreams, runner) };
}

/** What PostgreSQL's error codes of a failed connection mean. */
export function pgOpenFailure(code: unknown): OpenFailure | undefined {
  if (code === '28P01' || code === '28000') return 'login';
  if (code === '3D000') return 'no-database';
  return undefined;
}

export const postgresDriver: SqlDriver = {
  prepare: (spec, timeoutMs) =>
    pgConnector(spec, timeoutMs, pgStartupOptions, (connection, copyStreams, runner) => new PostgresEngine(connection, copyStreams, runner)),
  openFailure: pgOpenFailure,
};
