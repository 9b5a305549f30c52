/**
 * The dialects bigrays speaks: one line each. A new dialect is a folder
 * `engines/<dialect>/` with its `dialect.ts` (listed here) and its
 * `driver.ts` (listed in `engines/drivers.ts`).
 *
 * @internal
 * @module
 */
import type { ColumnType } from '@bigrays/core';
import type { DialectSpec } from './dialect.js';
import { mysqlDialect } from './mysql/dialect.js';
import { postgresDialect } from './postgres/dialect.js';
import { sqliteDialect } from './sqlite/dialect.js';

const DIALECTS = {
  postgres: postgresDialect,
  mysql: mysqlDialect,
  sqlite: sqliteDialect,
} as const satisfies Record<string, DialectSpec>;

/** The SQL dialects bigrays speaks. */
export type Dialect = keyof typeof DIALECTS;

/** What bigrays knows about `dialect`. */
export const dialectOf = (dialect: Dialect): DialectSpec => DIALECTS[dialect];

/** Human name of a dialect's database, for messages. */
export const databaseName = (dialect: Dialect): string => DIALECTS[dialect].name;

/** The dialect a DSN scheme (lower case, without `:`) selects. */
export function dialectOfScheme(scheme: string): Dialect | undefined {
  return (Object.keys(DIALECTS) as Dialect[]).find((d) => DIALECTS[d].dsn.schemes.includes(scheme) || DIALECTS[d].dsn.engines?.[scheme] !== undefined);
}

/** A bound parameter value as the driver of `dialect` takes it. `undefined` is NULL. */
export const bindValue = (dialect: Dialect, v: unknown): unknown => DIALECTS[dialect].bindValue(v);

/** A function turning a value of a column of `type` into what the bulk load of `dialect` takes. */
export const valueWriter = (dialect: Dialect, type: ColumnType): ((v: unknown) => unknown) => DIALECTS[dialect].valueWriter(type);
