/**
 * Redshift over the PostgreSQL protocol (`redshift://` DSNs, the pg driver).
 * Redshift has no `COPY … TO STDOUT` and no `COPY … FROM STDIN`: spooling
 * streams through a server-side cursor (`DECLARE … CURSOR`, `FETCH FORWARD
 * n`, one batch in memory at a time), and writes are multi-row `INSERT`s
 * with bound values. Catalog lookups use what Redshift has (no `to_regclass`).
 *
 * @internal
 * @module
 */
import { rowsToCsvStream } from '@bigrays/core/plugin';
import type { ColumnType, Dataset } from '@bigrays/core';
import type { Client } from 'pg';
import type { QueryRunner } from 'typeorm';
import { qualifiedName, type ProgressSink, type TableName, type WriteSource } from '../../engine.js';
import type { CompiledSql } from '../../sql-text.js';
import type { ColumnInfo, DecimalSize } from '../../values.js';
import { PostgresEngine, type CopyStreams } from '../postgres/engine.js';
import { csvRecords } from './csv-records.js';
import { redshiftError } from './errors.js';

/** Most rows one INSERT carries (also bounded by `maxParams`). */
const ROWS_PER_INSERT = 1000;
/** Redshift's NUMERIC holds at most 38 digits. */
const NUMERIC_MAX_DIGITS = 38;
/** Redshift's longest VARCHAR, in bytes (its TEXT is VARCHAR(256)). */
const TEXT = 'VARCHAR(65535)';

const SQL_TYPES: Readonly<Record<ColumnType, string>> = {
  integer: 'INTEGER',
  bigint: 'BIGINT',
  float: 'DOUBLE PRECISION',
  decimal: `NUMERIC(${NUMERIC_MAX_DIGITS}, 10)`,
  boolean: 'BOOLEAN',
  date: 'DATE',
  timestamp: 'TIMESTAMPTZ',
  json: TEXT,
  binary: 'VARBYTE(1024000)',
  text: TEXT,
  unknown: TEXT,
};

/** Session settings the value mapping relies on, as far as Redshift has them (it takes no startup `options`). */
const SESSION_SETTINGS = ["SET datestyle TO 'ISO, MDY'", "SET timezone TO 'UTC'", 'SET extra_float_digits TO 3'];

export class RedshiftEngine extends PostgresEngine {
  override readonly maxParams: number = 32767;
  /** Redshift names are up to 127 bytes. */
  override readonly maxIdentifierBytes: number = 127;
  /** NUMERIC without a precision is NUMERIC(18,0) on Redshift: size decimal columns from the values. */
  readonly sizedDecimals = true;
  protected override readonly cursorKind: string = 'CURSOR';

  /** A Redshift engine on an open connection, its session settings pinned. */
  static async open(client: Client, copyStreams: CopyStreams, runner: QueryRunner): Promise<RedshiftEngine> {
    const engine = new RedshiftEngine(client, copyStreams, runner);
    for (const statement of SESSION_SETTINGS) await client.query(statement);
    return engine;
  }

  protected override translateError(error: unknown, sql: CompiledSql | undefined, textOffset = 0): Error {
    return redshiftError(error, sql, textOffset);
  }

  override sqlType(type: ColumnType, size?: DecimalSize): string {
    if (type === 'decimal' && size !== undefined) {
      const digits = size.integerDigits + size.scale;
      if (digits > NUMERIC_MAX_DIGITS) {
        throw new RangeError(
          `has values with up to ${size.integerDigits} digits before the decimal point and ${size.scale} after, more than a Redshift NUMERIC holds (${NUMERIC_MAX_DIGITS} digits)`,
        );
      }
      return `NUMERIC(${Math.max(1, digits)}, ${size.scale})`;
    }
    return SQL_TYPES[type] ?? TEXT;
  }

  /** Never `COPY … TO STDOUT` (Redshift has none): the session spools through the cursor path instead. */
  override async spool(): Promise<Dataset | undefined> {
    return undefined;
  }

  async #schemaOf(table: TableName): Promise<string | undefined> {
    const sql =
      'SELECT n.nspname FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace ' +
      'WHERE c.relname = $1 AND (CASE WHEN $2::text IS NULL THEN pg_catalog.pg_table_is_visible(c.oid) ELSE n.nspname = $2::text END)';
    try {
      const res = await this.connection.query({ text: sql, values: [table.name, table.schema ?? null], rowMode: 'array' });
      return (res.rows[0] as [string] | undefined)?.[0];
    } catch (error) {
      throw this.translateError(error, undefined);
    }
  }

  override async tableExists(table: TableName): Promise<boolean> {
    return (await this.#schemaOf(table)) !== undefined;
  }

  /** The schema the search path resolves the table to; a temporary table's (`pg_temp_N`) as `pg_temp`. */
  override async resolveTable(table: TableName): Promise<TableName | undefined> {
    const schema = await this.#schemaOf(table);
    if (schema === undefined) return undefined;
    return { schema: /^pg_temp_\d+$/.test(schema) ? 'pg_temp' : schema, name: table.name };
  }

  /**
   * Multi-row `INSERT … VALUES ($1, $2), ($3, $4) …` with every value bound
   * as text, read by the column type's input function as COPY would read it
   * (the rows go through the same CSV encoding as PostgreSQL's COPY path).
   */
  override async load(table: TableName, columns: readonly ColumnInfo[], source: WriteSource, progress: ProgressSink, signal: AbortSignal): Promise<number> {
    const names = columns.map((c) => c.name);
    const n = names.length;
    if (n === 0) return 0;
    const perInsert = Math.max(1, Math.min(ROWS_PER_INSERT, Math.floor(this.maxParams / n)));
    const head = `INSERT INTO ${qualifiedName(this, table)} (${names.map((name) => this.quoteIdent(name)).join(', ')}) VALUES `;
    const stream =
      source.kind === 'csv'
        ? source.stream()
        : rowsToCsvStream(
            (async function* () {
              for await (const batch of source.batches) yield* batch;
            })(),
            { columns: names, header: false },
          );
    let pending: (string | null)[] = [];
    let sent = 0;
    let stored = 0;
    let last = 0;
    const flush = async () => {
      const rows = pending.length / n;
      const tuples: string[] = [];
      for (let r = 0; r < rows; r++) {
        const at = r * n;
        tuples.push(`(${names.map((_, i) => `$${at + i + 1}`).join(', ')})`);
      }
      let res;
      try {
        res = await this.connection.query({ text: head + tuples.join(', '), values: pending });
      } catch (error) {
        throw this.translateError(error, undefined);
      }
      stored += res.rowCount ?? 0;
      sent += rows;
      pending = [];
      const now = Date.now();
      if (now - last >= 100) {
        last = now;
        progress({ rows: sent });
      }
      if (signal.aborted) throw signal.reason;
    };
    for await (const record of csvRecords(stream)) {
      if (record.length !== n) throw new Error(`a row of the input has ${record.length} fields for ${n} columns`);
      for (const value of record) pending.push(value);
      if (pending.length >= perInsert * n) await flush();
    }
    if (pending.length > 0) await flush();
    if (stored !== sent) {
      throw new Error(`INSERT into ${qualifiedName(this, table)} stored ${stored} rows but ${sent} were sent; nothing was written (the transaction is rolled back)`);
    }
    progress({ rows: sent });
    return sent;
  }
}
