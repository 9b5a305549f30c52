/**
 * PostgreSQL through node-postgres: normal queries with `rowMode: 'array'`,
 * server-side cursors for streaming, and `COPY` through pg-copy-streams for
 * spooling and bulk loading.
 *
 * @internal
 * @module
 */
import { connect as netConnect } from 'node:net';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { DatasetWriter, type ColumnType, type Dataset } from '@bigrays/core';
import { rowsToCsvStream } from '@bigrays/core/plugin';
import type { Client, FieldDef, QueryArrayResult } from 'pg';
import type { CopyStreamQuery, CopyToStreamQuery } from 'pg-copy-streams';
import type { QueryRunner } from 'typeorm';
import { qualifiedName, within, type Engine, type ProgressSink, type ResultSet, type RowBatch, type TableName, type WriteSource } from '../../engine.js';
import { sqlError } from '../../errors.js';
import { splitStatements, type CompiledSql } from '../../sql-text.js';
import { uniqueNames, type ColumnInfo } from '../../values.js';
import { pgColumnType } from './values.js';
import { copyMarkerGuard } from './copy-guard.js';

/** Commands whose row count is "rows affected". */
const DML = new Set(['INSERT', 'UPDATE', 'DELETE', 'MERGE', 'COPY']);

const SQL_TYPES: Readonly<Record<ColumnType, string>> = {
  integer: 'integer',
  bigint: 'bigint',
  float: 'double precision',
  decimal: 'numeric',
  boolean: 'boolean',
  date: 'date',
  timestamp: 'timestamptz',
  json: 'jsonb',
  binary: 'bytea',
  text: 'text',
  unknown: 'text',
};

/** pg's Client with the internals bigrays reads to judge its health and cancel its query. */
type PgClient = Client & {
  processID?: number;
  secretKey?: number | Buffer;
  host?: string;
  port?: number;
  _queryable?: boolean;
  _ending?: boolean;
  connection?: { stream?: { destroy(): void } };
};

/** What bigrays uses of pg-copy-streams. */
export interface CopyStreams {
  to(text: string): CopyToStreamQuery;
  from(text: string): CopyStreamQuery;
}

let cursorCounter = 0;

function columnsOf(fields: readonly FieldDef[] | undefined): ColumnInfo[] {
  if (!fields) return [];
  const names = uniqueNames(fields.map((f) => f.name));
  return fields.map((f, i) => ({ name: names[i]!, type: pgColumnType(f.dataTypeID) }));
}

function affectedOf(results: readonly { command?: string; rowCount?: number | null }[]): number {
  let n = 0;
  for (const r of results) if (r.command !== undefined && DML.has(r.command) && typeof r.rowCount === 'number') n += r.rowCount;
  return n;
}

/** Counts bytes (and newlines, an estimate of rows) flowing through. */
function counter(onChunk: (bytes: number, newlines: number) => void): Transform {
  return new Transform({
    transform(chunk: Buffer, _encoding, cb) {
      let lines = 0;
      let at = chunk.indexOf(10);
      while (at >= 0) {
        lines++;
        at = chunk.indexOf(10, at + 1);
      }
      onChunk(chunk.length, lines);
      cb(null, chunk);
    },
  });
}

export class PostgresEngine implements Engine {
  readonly dialect = 'postgres' as const;
  readonly maxParams: number = 65535;
  /** NAMEDATALEN - 1: longer names are cut to 63 bytes, with only a NOTICE. */
  readonly maxIdentifierBytes: number = 63;
  /** What `DECLARE name … FOR` says (Redshift has no `NO SCROLL`). */
  protected readonly cursorKind: string = 'NO SCROLL CURSOR';
  readonly transactionalDdl = true;
  readonly connection: PgClient;
  #broken = false;

  constructor(
    client: Client,
    private readonly copyStreams: CopyStreams,
    protected readonly runner: QueryRunner,
  ) {
    this.connection = client as PgClient;
    const broken = () => {
      this.#broken = true;
    };
    client.on('error', broken);
    client.on('end', broken);
  }

  /** The task error for a driver error (the Redshift engine names its database and adds its hints). */
  protected translateError(error: unknown, sql: CompiledSql | undefined, textOffset = 0): Error {
    return sqlError(error, 'postgres', sql, textOffset);
  }

  quoteIdent(name: string): string {
    return `"${name.replace(/"/g, '""')}"`;
  }

  sqlType(type: ColumnType): string {
    return SQL_TYPES[type] ?? 'text';
  }

  async #run<R>(sql: CompiledSql, config: { text: string; values?: unknown[]; rowMode?: 'array' }, prefixLength = 0): Promise<R> {
    try {
      return (await this.connection.query(config as never)) as R;
    } catch (error) {
      throw this.translateError(error, sql, prefixLength);
    }
  }

  async query(sql: CompiledSql, values: unknown[]): Promise<ResultSet> {
    const res = await this.#run<QueryArrayResult | QueryArrayResult[]>(sql, { text: sql.text, values, rowMode: 'array' });
    const results = Array.isArray(res) ? res : [res];
    // A script (simple protocol, no parameters) gives one result per statement: the last with columns is the answer.
    const last = [...results].reverse().find((r) => r.fields !== undefined && r.fields.length > 0) ?? results[results.length - 1]!;
    return { columns: columnsOf(last.fields), rows: last.rows ?? [] };
  }

  async executeScript(sql: CompiledSql): Promise<number> {
    const res = await this.#run<QueryArrayResult | QueryArrayResult[]>(sql, { text: sql.text });
    return affectedOf(Array.isArray(res) ? res : [res]);
  }

  async executeStatement(sql: CompiledSql, values: unknown[]): Promise<number> {
    const res = await this.#run<QueryArrayResult>(sql, { text: sql.text, values });
    return affectedOf([res]);
  }

  /**
   * Streams through a server-side cursor (`DECLARE ... NO SCROLL CURSOR`,
   * `FETCH n`): works with bound parameters, holds one batch at a time, and
   * leaves the connection free between batches. Runs inside the open
   * transaction, or in its own one (committed at the end).
   */
  async *batches(sql: CompiledSql, values: unknown[], batchSize: number): AsyncGenerator<RowBatch, void, undefined> {
    const statements = splitStatements(sql.text, 'postgres');
    const body = statements.length === 1 ? statements[0]!.text.trimEnd() : sql.text;
    const bodyOffset = statements.length === 1 ? statements[0]!.offset : 0;
    const own = !this.runner.isTransactionActive;
    const name = `bigrays_cursor_${++cursorCounter}`;
    const prefix = `DECLARE ${name} ${this.cursorKind} FOR\n`;
    if (own) await this.runner.startTransaction();
    let failed = false;
    let declared = false;
    try {
      await this.#run(sql, { text: prefix + body, values }, prefix.length - bodyOffset);
      declared = true;
      let first = true;
      for (;;) {
        const res = await this.#run<QueryArrayResult>(sql, { text: `FETCH FORWARD ${batchSize} FROM ${name}`, rowMode: 'array' });
        if (res.rows.length > 0 || first) yield { columns: columnsOf(res.fields), rows: res.rows };
        first = false;
        if (res.rows.length < batchSize) break;
      }
    } catch (error) {
      failed = true;
      throw error;
    } finally {
      if (declared && !failed && this.healthy()) {
        await this.connection.query(`CLOSE ${name}`).catch(() => undefined);
      }
      if (own && this.runner.isTransactionActive) {
        if (failed || !this.healthy()) await this.runner.rollbackTransaction().catch(() => undefined);
        else await this.runner.commitTransaction();
      }
    }
  }

  /**
   * Spools with `COPY (query) TO STDOUT WITH (FORMAT csv)`, piping the bytes
   * the server sends straight into the spool file: no row objects at all.
   * The columns and their types come first from the query wrapped in
   * `LIMIT 0`. Resolves to `undefined` (use the cursor path) when there are
   * bound values (COPY cannot take parameters) or the query cannot be
   * wrapped (not a single SELECT/VALUES/TABLE/WITH query).
   */
  async spool(sql: CompiledSql, values: unknown[], progress: ProgressSink): Promise<Dataset | undefined> {
    if (values.length > 0) return undefined;
    const statements = splitStatements(sql.text, 'postgres');
    if (statements.length !== 1) return undefined;
    const body = statements[0]!.text.trimEnd();
    const bodyOffset = statements[0]!.offset;
    const fields = await this.#describe(body);
    if (fields === undefined) return undefined;
    const columns = columnsOf(fields);
    const writer = await DatasetWriter.create(columns);
    const prefix = 'COPY (\n';
    const copy = this.copyStreams.to(`${prefix}${body}\n) TO STDOUT WITH (FORMAT csv)`);
    let ready!: () => void;
    const readyForQuery = new Promise<void>((resolve) => (ready = resolve));
    // pg calls handleReadyForQuery once the COPY is over, after CommandComplete has set rowCount.
    const hooks = copy as unknown as { handleReadyForQuery?: () => void };
    const original = hooks.handleReadyForQuery?.bind(copy);
    hooks.handleReadyForQuery = () => {
      original?.();
      ready();
    };
    let bytes = 0;
    let lines = 0;
    let last = 0;
    try {
      this.connection.query(copy);
      await pipeline(
        copy,
        counter((b, l) => {
          bytes += b;
          lines += l;
          const now = Date.now();
          if (now - last >= 100) {
            last = now;
            progress({ rows: lines, bytes });
          }
        }),
        writer.rawSink(),
      );
      // The row count arrives with CommandComplete, just after the last byte.
      await within(readyForQuery, 30_000);
    } catch (error) {
      await writer.abort();
      throw this.translateError(error, sql, prefix.length - bodyOffset);
    }
    const dataset = await writer.finish(copy.rowCount);
    progress({ rows: copy.rowCount, bytes });
    return dataset;
  }

  /** The result columns of a query, without running it (`LIMIT 0`); `undefined` when it cannot be wrapped. */
  async #describe(body: string): Promise<FieldDef[] | undefined> {
    const inTransaction = this.runner.isTransactionActive;
    // In a transaction a failed statement would abort it: fence the probe with a savepoint.
    if (inTransaction) await this.connection.query('SAVEPOINT bigrays_describe');
    try {
      const res = await this.connection.query({ text: `SELECT * FROM (\n${body}\n) AS bigrays_spool LIMIT 0`, rowMode: 'array' });
      if (inTransaction) await this.connection.query('RELEASE SAVEPOINT bigrays_describe');
      return res.fields;
    } catch {
      if (inTransaction) await this.connection.query('ROLLBACK TO SAVEPOINT bigrays_describe').catch(() => undefined);
      return undefined;
    }
  }

  async tableExists(table: TableName): Promise<boolean> {
    const sql = `SELECT pg_catalog.to_regclass($1) IS NOT NULL`;
    const res = await this.connection.query({ text: sql, values: [qualifiedName(this, table)], rowMode: 'array' });
    return res.rows[0]?.[0] === true;
  }

  /**
   * The schema the search path resolves the table to. A temporary table's
   * schema (`pg_temp_N`) is given as `pg_temp`, which names this session's
   * own temporary schema (and makes a staging table temporary too).
   */
  async resolveTable(table: TableName): Promise<TableName | undefined> {
    const sql =
      'SELECT n.nspname, c.relpersistence FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace ' +
      'WHERE c.oid = pg_catalog.to_regclass($1)';
    const res = await this.connection.query({ text: sql, values: [qualifiedName(this, table)], rowMode: 'array' });
    const row = res.rows[0] as [string, string] | undefined;
    if (row === undefined) return undefined;
    return { schema: row[1] === 't' ? 'pg_temp' : row[0], name: table.name };
  }

  /** `COPY table (columns) FROM STDIN WITH (FORMAT csv)`, fed by the core CSV encoder or a Dataset's file. */
  async load(table: TableName, columns: readonly ColumnInfo[], source: WriteSource, progress: ProgressSink, signal: AbortSignal): Promise<number> {
    const names = columns.map((c) => c.name);
    const text = `COPY ${qualifiedName(this, table)} (${names.map((n) => this.quoteIdent(n)).join(', ')}) FROM STDIN WITH (FORMAT csv)`;
    const copy = this.copyStreams.from(text);
    let input: NodeJS.ReadableStream;
    // A line `\.` would end COPY early, silently dropping every later row: quote it.
    const stages: NodeJS.ReadWriteStream[] = [copyMarkerGuard()];
    /** Rows sent, to check against what COPY says it stored. */
    let sent: number | undefined;
    if (source.kind === 'csv') {
      sent = source.rowCount;
      input = source.stream();
      let bytes = 0;
      let last = 0;
      const total = source.byteLength;
      const rows = source.rowCount;
      stages.push(
        counter((b) => {
          bytes += b;
          const now = Date.now();
          if (now - last >= 100) {
            last = now;
            progress(rows !== undefined && total ? { rows: Math.floor((rows * bytes) / total), bytes } : { bytes });
          }
        }),
      );
    } else {
      const batches = source.batches;
      sent = 0;
      input = rowsToCsvStream(
        (async function* () {
          for await (const batch of batches) {
            sent! += batch.length;
            yield* batch;
          }
        })(),
        { columns: names, header: false, onProgress: (p) => progress(p) },
      );
    }
    try {
      this.connection.query(copy);
      await pipeline([input, ...stages, copy] as never, { signal });
    } catch (error) {
      if (signal.aborted) throw signal.reason;
      throw this.translateError(error, undefined);
    }
    if (sent !== undefined && copy.rowCount !== sent) {
      // Never report success for a load that lost rows (the caller's transaction rolls it back).
      throw new Error(
        `COPY into ${qualifiedName(this, table)} stored ${copy.rowCount} rows but ${sent} were sent; nothing was written (the transaction is rolled back)`,
      );
    }
    progress({ rows: copy.rowCount });
    return copy.rowCount;
  }

  async renameTable(from: TableName, toName: string): Promise<void> {
    await this.connection.query(`ALTER TABLE ${qualifiedName(this, from)} RENAME TO ${this.quoteIdent(toName)}`);
  }

  /** Sends PostgreSQL's CancelRequest for this connection's backend, as psql does on Ctrl-C. */
  cancel(): Promise<void> {
    const c = this.connection;
    const pid = c.processID;
    const key = c.secretKey;
    if (pid === undefined || key === undefined || !this.healthy()) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const host = c.host ?? 'localhost';
      const port = c.port ?? 5432;
      const socket = host.startsWith('/') ? netConnect(`${host}/.s.PGSQL.${port}`) : netConnect(port, host);
      const keyBytes = Buffer.isBuffer(key) ? key : Buffer.alloc(4);
      if (!Buffer.isBuffer(key)) keyBytes.writeInt32BE(key, 0);
      const message = Buffer.alloc(12 + keyBytes.length);
      message.writeInt32BE(message.length, 0);
      message.writeInt32BE(80877102, 4);
      message.writeInt32BE(pid, 8);
      keyBytes.copy(message, 12);
      const timer = setTimeout(() => socket.destroy(), 3000);
      timer.unref();
      socket.once('connect', () => socket.end(message));
      socket.once('error', () => undefined);
      socket.once('close', () => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  destroy(): void {
    this.#broken = true;
    try {
      this.connection.connection?.stream?.destroy();
    } catch {
      // already gone
    }
  }

  healthy(): boolean {
    const c = this.connection;
    return !this.#broken && c._queryable !== false && c._ending !== true && !this.runner.isReleased;
  }
}
