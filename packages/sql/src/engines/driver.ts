/**
 * The connecting side of a dialect: what `SQLSession.open` asks of it, as
 * TypeORM's `DriverFactory` asks a driver. One per dialect
 * (`engines/<dialect>/driver.ts`), listed in `engines/drivers.ts`.
 *
 * @internal
 * @module
 */
import type { DataSourceOptions, QueryRunner } from 'typeorm';
import type { ConnectionSpec } from '../dsn.js';
import type { Engine } from '../engine.js';

/** How to connect: TypeORM's options, and the engine made on the connection TypeORM opened. */
export interface Connector {
  options: DataSourceOptions;
  makeEngine(runner: QueryRunner, connection: unknown): Promise<Engine>;
}

/** Why a connection failed, as far as the database's error code says. */
export type OpenFailure = 'database-access' | 'login' | 'no-database';

export interface SqlDriver {
  /** The database's name in messages, when it is not the dialect's (an engine within it: Redshift). */
  readonly name?: string;
  /**
   * Loads the driver package (and what else it needs) and builds the
   * connection options of `spec`.
   * @throws ResourceError when a package is missing or the spec cannot work.
   */
  prepare(spec: ConnectionSpec, timeoutMs: number): Promise<Connector>;
  /** What an error code of a failed connection means. */
  openFailure(code: unknown): OpenFailure | undefined;
  /** A message of its own for a failed connection (SQLite: the file), instead of the generic ones. */
  openErrorMessage?(spec: ConnectionSpec, reason: string, codeText: string): string;
}
