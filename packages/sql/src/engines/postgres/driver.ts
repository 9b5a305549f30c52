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
import { load, loadDriver } from '../../load-module.js';
import type { Connector, OpenFailure, SqlDriver } from '../driver.js';
import { PostgresEngine, type CopyStreams } from './engine.js';
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
 * Session settings the value decoders rely on, pinned at connection start
 * (startup `options`, so they win over server, database and role defaults
 * and survive `RESET ALL`/`DISCARD ALL`):
 *
 * - `DateStyle=ISO, MDY`: dates and timestamps in ISO form (`SQL, DMY` would
 *   turn 3 April into 4 March).
 * - `IntervalStyle=postgres`: intervals as `1 day 02:00:00`.
 * - `TimeZone=UTC`: a timestamp without zone written or compared is UTC, as
 *   everywhere in bigrays (a job can still `SET TimeZone` for its own SQL:
 *   `timestamptz` values carry their offset).
 * - `extra_float_digits=3`: floats with every digit (shortest exact form).
 * - `bytea_output=hex`: bytes in the `\x` form the decoders read.
 * - `client_encoding=UTF8`, `standard_conforming_strings=on`.
 *
 * `search_path` is the user's choice and is not pinned; bigrays' own
 * statements qualify catalog objects instead.
 */
export const PG_SESSION_SETTINGS: Readonly<Record<string, string>> = {
  DateStyle: 'ISO, MDY',
  IntervalStyle: 'postgres',
  TimeZone: 'UTC',
  extra_float_digits: '3',
  bytea_output: 'hex',
  client_encoding: 'UTF8',
  standard_conforming_strings: 'on',
};

/**
 * The `options` startup parameter: the user's own (from the DSN's
 * `options=`) first, then the pinned settings, which win where both set one.
 */
export function pgStartupOptions(userOptions: string | undefined): string {
  const pins = Object.entries(PG_SESSION_SETTINGS).map(([k, v]) => `-c ${k}=${v.replace(/[\\ ]/g, (c) => `\\${c}`)}`);
  return [userOptions?.trim(), ...pins].filter((x) => x !== undefined && x !== '').join(' ');
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
