/**
 * What each database driver does for a session: the small internal
 * interface `SQLSession` is written against. One implementation per driver
 * (`engines/<dialect>/engine.ts`).
 *
 * @internal
 * @module
 */
import type { ColumnType, Dataset, Progress } from '@bigrays/core';
import type { CompiledSql, Dialect } from './sql-text.js';
import type { ColumnInfo, DecimalSize } from './values.js';

/** A result held in memory: columns, and rows as arrays of normalised values. */
export interface ResultSet {
  columns: ColumnInfo[];
  rows: unknown[][];
}

/** One batch of a streamed result. The first batch (possibly empty) carries the final column list. */
export interface RowBatch {
  columns: ColumnInfo[];
  rows: unknown[][];
}

/** A table name, split into its parts (without quotes). */
export interface TableName {
  schema?: string;
  name: string;
}

/** Where the rows of a write come from. */
export type WriteSource =
  | { kind: 'csv'; /** RFC 4180 CSV body without header, columns in order. */ stream: () => NodeJS.ReadableStream; rowCount?: number; byteLength?: number }
  | { kind: 'batches'; batches: AsyncIterable<unknown[][]> };

/** Reports progress of the current task (captured scope: safe in stream callbacks). */
export type ProgressSink = (progress: Progress) => void;

export interface Engine {
  readonly dialect: Dialect;
  /** Most bound parameters one statement may have. */
  readonly maxParams: number;
  /** The longest identifier the database keeps, in UTF-8 bytes (PostgreSQL cuts longer ones silently). */
  readonly maxIdentifierBytes?: number;
  /** True when `sqlType` needs the size of decimal values (a DECIMAL without precision would round them). */
  readonly sizedDecimals?: boolean;
  /** Quotes one identifier. */
  quoteIdent(name: string): string;
  /**
   * The SQL type of a column created for values of `type`; `size` is what
   * a `decimal` column's values need (over the whole input).
   * @throws RangeError when no type of this database holds them exactly.
   */
  sqlType(type: ColumnType, size?: DecimalSize): string;

  /** Runs one statement and returns its rows (none for DML). */
  query(sql: CompiledSql, values: unknown[]): Promise<ResultSet>;
  /** Runs a script (one or more statements, no parameters) the driver's native way; resolves to the rows affected by DML. */
  executeScript(sql: CompiledSql): Promise<number>;
  /** Runs one statement with bound values; resolves to the rows it affected. */
  executeStatement(sql: CompiledSql, values: unknown[]): Promise<number>;
  /** Streams a query's rows in batches of about `batchSize`, never holding the whole result. */
  batches(sql: CompiledSql, values: unknown[], batchSize: number): AsyncGenerator<RowBatch, void, undefined>;
  /** Engine-specific fast spool (PostgreSQL COPY); `undefined` to use the generic batch path. */
  spool?(sql: CompiledSql, values: unknown[], progress: ProgressSink, signal: AbortSignal): Promise<Dataset | undefined>;

  tableExists(table: TableName): Promise<boolean>;
  /**
   * The schema-qualified name of an existing table (how the session's
   * search path resolves an unqualified name), so a `replace` stages and
   * swaps beside it; `undefined` where names have no schema to resolve.
   */
  resolveTable?(table: TableName): Promise<TableName | undefined>;
  /** Loads rows into an existing table; resolves to the number of rows written. */
  load(table: TableName, columns: readonly ColumnInfo[], source: WriteSource, progress: ProgressSink, signal: AbortSignal): Promise<number>;
  /** Renames `from` to `toName` (same schema). */
  renameTable(from: TableName, toName: string): Promise<void>;
  /** Whether DDL takes part in transactions (PostgreSQL, SQLite: yes; MariaDB/MySQL: no, it commits). */
  readonly transactionalDdl: boolean;
  /**
   * Engines without transactional DDL: staging tables are tagged, and a run
   * holds a claim on its tag (server side, released when its connection
   * ends) for as long as its staging tables may exist.
   */
  staging?: StagingClaims;

  /** Runs one statement on a separate, short-lived connection (cleanup when the session's own connection died). */
  runAside?(sql: string): Promise<void>;
  /** Sends a cancel request for the statement running now (best effort, bounded). */
  cancel(): Promise<void>;
  /** Destroys the connection's socket at once (no goodbye to the server). */
  destroy(): void;
  /** False once the connection is broken or closed. */
  healthy(): boolean;
  /** The driver's connection object (pg `Client`, mysql2 `PoolConnection`, better-sqlite3 `Database`). */
  readonly connection: unknown;
}

/** Claims on staging tables (see `Engine.staging`). */
export interface StagingClaims {
  /** Takes the claim on `tag`; false when another connection holds it. */
  claim(tag: string): Promise<boolean>;
  /** Gives the claim back (best effort: it also ends with the connection). */
  release(tag: string): Promise<void>;
  /**
   * Drops the staging tables next to `table` whose claim nobody holds (left
   * by a run that died); `tagOf` gives a staging table's tag, or undefined
   * for a table that is not one. Resolves to the tables dropped.
   */
  sweep(table: TableName, likePrefix: string, tagOf: (name: string) => string | undefined): Promise<string[]>;
}

/** Quotes a table name's parts. */
export function qualifiedName(engine: Pick<Engine, 'quoteIdent'>, table: TableName): string {
  return table.schema === undefined ? engine.quoteIdent(table.name) : `${engine.quoteIdent(table.schema)}.${engine.quoteIdent(table.name)}`;
}

/** Waits for `promise` at most `ms`; resolves to `timedOut: true` when it did not settle in time. */
export async function within<T>(promise: Promise<T>, ms: number): Promise<{ timedOut: false; value: T } | { timedOut: true }> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<{ timedOut: true }>((resolve) => {
    timer = setTimeout(() => resolve({ timedOut: true }), ms);
    timer.unref?.();
  });
  try {
    return await Promise.race([promise.then((value) => ({ timedOut: false as const, value })), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
