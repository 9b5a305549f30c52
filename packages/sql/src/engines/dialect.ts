/**
 * What bigrays knows about one SQL dialect without connecting: its name,
 * its driver package and DSN schemes, how its SQL text is lexed, how values
 * are bound and written, and how its errors are read. One object per dialect
 * (`engines/<dialect>/dialect.ts`), listed in `engines/dialects.ts`.
 *
 * The connecting side (TypeORM options, the `Engine`) is the dialect's
 * `SqlDriver` (`engines/driver.ts`).
 *
 * @internal
 * @module
 */
import type { ColumnType } from '@bigrays/core';

/** How the SQL text of a dialect is lexed (`sql-text.ts`). */
export interface SqlSyntax {
  /** Backslash escapes inside every quoted string (MariaDB/MySQL). */
  readonly backslashEscapes: boolean;
  /** `E'…'` strings take backslash escapes (PostgreSQL). */
  readonly escapeStringPrefix: boolean;
  /** `` `name` `` quotes an identifier. */
  readonly backtickIdentifiers: boolean;
  /** `[name]` quotes an identifier (SQLite). */
  readonly bracketIdentifiers: boolean;
  /** `# …` is a comment (MariaDB/MySQL). */
  readonly hashComments: boolean;
  /** Block comments nest (PostgreSQL). */
  readonly nestedBlockComments: boolean;
  /** `$$…$$` and `$tag$…$tag$` strings (PostgreSQL). */
  readonly dollarQuotes: boolean;
  /** Placeholders are numbered (`$1`, a name used twice reuses its number); otherwise `?` each. */
  readonly numberedPlaceholders: boolean;
}

/** The fields of a driver error that messages use. */
export interface DriverError {
  message?: string;
  code?: string | number;
  errno?: number;
  sqlState?: string;
  sqlMessage?: string;
  position?: string;
  detail?: string;
  hint?: string;
}

/** How a dialect's driver errors are read (`errors.ts` words them). */
export interface ErrorReader {
  /** The database's own message. */
  message(e: DriverError): string | undefined;
  /** The error code shown in the message. */
  code(e: DriverError): string | number | undefined;
  /** Lines added under the message (PostgreSQL's detail and hint). */
  details?(e: DriverError): string;
  /**
   * The 0-based offset in `text` (the SQL sent, after `textOffset`
   * characters of prefix) where the database says the error is.
   */
  offset(e: DriverError, text: string, textOffset: number): number | undefined;
}

/** How a dialect's DSN is read (`dsn.ts`). */
export interface DsnRules {
  /** URL schemes (lower case, without `:`). */
  readonly schemes: readonly string[];
  /** TypeORM's `type` option for a scheme. */
  typeormType(scheme: string): string;
  /** The port when the DSN has none; `undefined` for a file DSN (`sqlite:<path>`). */
  readonly defaultPort?: number;
  /** The driver takes the whole DSN as a connection string (PostgreSQL). */
  readonly connectionString?: boolean;
  /**
   * Schemes of engines within the dialect (same protocol and SQL, limits of
   * their own: `redshift://`), with their default port; the connection
   * string handed to the driver gets the dialect's first scheme.
   */
  readonly engines?: Readonly<Record<string, { engine: 'redshift'; defaultPort: number }>>;
}

export interface DialectSpec {
  /** Human name of the database, for messages. */
  readonly name: string;
  /** The npm package of the driver. */
  readonly driverPackage: string;
  readonly dsn: DsnRules;
  readonly syntax: SqlSyntax;
  readonly errors: ErrorReader;
  /** A bound parameter value as the driver takes it (`undefined` is NULL). */
  bindValue(v: unknown): unknown;
  /** A function turning a value of a column of `type` into what the bulk load takes. */
  valueWriter(type: ColumnType): (v: unknown) => unknown;
  /** Bulk loads read CSV (PostgreSQL COPY): a spooled Dataset's file is streamed in as it is. */
  readonly loadsCsv: boolean;
  /** Column types of decimals depend on the digits of the values (sized over the whole input). */
  readonly sizesDecimals: boolean;
  /** A running `db.stream()` holds the connection: nothing else may run until it ends. */
  readonly exclusiveStreams: boolean;
  /** Added to the message when a `:name` has no value (e.g. how to write a cast). */
  readonly missingParamHint: string;
  /** Upserts: `SQLWrite` merges and the SQL run ledger. */
  readonly upsert: UpsertSql;
}

/**
 * How a dialect writes "insert, or update the row whose key exists"
 * (`ON CONFLICT` or `ON DUPLICATE KEY`), and what a unique key may be.
 * Quoted names in, statement text out; no connection needed.
 */
export interface UpsertSql {
  /** The column type of long text that a unique key can still include elsewhere (MariaDB keys `varchar(191)`; a body is `longtext`). */
  readonly longText: string;
  /** A key column in a `UNIQUE (…)` clause of a created table (MariaDB keys a text column by a prefix). */
  keyColumn(quoted: string, type: string): string;
  /**
   * `insert` (an `INSERT INTO t (cols) VALUES … | SELECT …` text) made an
   * upsert on `key`: the `update` columns take the new values, or the row is
   * left as it is when there are none. `fromSelect`: the insert reads a SELECT.
   */
  upsert(insert: string, key: readonly string[], update: readonly string[], fromSelect: boolean): string;
  /** The SQL (with `:schema`, `:name`, `:qualified`) listing `(index, column)` of the table's unique keys, or the steps for SQLite. */
  readonly uniqueKeys: UniqueKeysQuery;
}

/** How to read a table's unique keys: one query of `(index, column)` pairs, or SQLite's pragmas. */
export type UniqueKeysQuery = { kind: 'pairs'; sql: string } | { kind: 'sqlite-pragmas' };
