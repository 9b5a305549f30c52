/**
 * MariaDB/MySQL through mysql2: text protocol for scripts and queries
 * without parameters, server-side prepared statements (`execute`) for bound
 * values, row streaming with `rowsAsArray` and flow control, batched
 * multi-row INSERTs for writes.
 *
 * @internal
 * @module
 */
import type { ColumnType } from '@bigrays/core';
import { qualifiedName, within, type Engine, type ProgressSink, type ResultSet, type RowBatch, type StagingClaims, type TableName, type WriteSource } from '../../engine.js';
import { sqlError } from '../../errors.js';
import type { CompiledSql } from '../../sql-text.js';
import { convertRows, uniqueNames, type ColumnInfo, type Converter, type DecimalSize } from '../../values.js';
import type { MysqlConnection, MysqlDriver } from './mysql2.js';
import { pinnedSqlMode } from './sql-mode.js';
import { mysqlColumn, type MysqlField } from './values.js';

interface ResultHeader {
  affectedRows?: number;
  fieldCount?: number;
}

const SQL_TYPES: Readonly<Record<ColumnType, string>> = {
  integer: 'INT',
  bigint: 'BIGINT',
  float: 'DOUBLE',
  decimal: 'DECIMAL(65,30)',
  boolean: 'BOOLEAN',
  date: 'DATE',
  timestamp: 'DATETIME(3)',
  json: 'JSON',
  binary: 'LONGBLOB',
  text: 'LONGTEXT',
  unknown: 'LONGTEXT',
};

const ER_NO_SUCH_TABLE = 1146;

/** DECIMAL(M,D): at most 65 digits in all, 30 after the point. */
const DECIMAL_MAX_DIGITS = 65;
const DECIMAL_MAX_SCALE = 30;

/** The server-side lock a run holds while its staging tables `*_bigrays_(new|old)_<tag>` may exist. */
const stagingLock = (tag: string) => `bigrays_staging_${tag}`;

function columnsAndConverters(fields: readonly MysqlField[] | undefined): { columns: ColumnInfo[]; converters: (Converter | undefined)[] } {
  if (!fields) return { columns: [], converters: [] };
  const names = uniqueNames(fields.map((f) => f.name));
  const columns: ColumnInfo[] = [];
  const converters: (Converter | undefined)[] = [];
  fields.forEach((f, i) => {
    const { type, convert } = mysqlColumn(f);
    columns.push({ name: names[i]!, type });
    converters.push(convert);
  });
  return { columns, converters };
}

function affectedOf(result: unknown): number {
  const results = Array.isArray(result) ? result : [result];
  let n = 0;
  for (const r of results) {
    if (r && typeof r === 'object' && !Array.isArray(r) && typeof (r as ResultHeader).affectedRows === 'number') n += (r as ResultHeader).affectedRows!;
  }
  return n;
}

export class MysqlEngine implements Engine {
  readonly dialect = 'mysql' as const;
  readonly maxParams = 65535;
  readonly transactionalDdl = false;
  readonly connection: MysqlConnection;
  #broken = false;
  /** Streams in progress: cancel() makes them drop what still arrives, so the connection drains. */
  readonly #streams = new Set<() => void>();

  constructor(
    connection: MysqlConnection,
    private readonly driver: MysqlDriver,
    /** Options to open a side connection for KILL QUERY (kept in memory only). */
    private readonly sideOptions: object,
  ) {
    this.connection = connection;
    connection.on('error', (err) => {
      if ((err as { fatal?: boolean })?.fatal !== false) this.#broken = true;
    });
    connection.on('end', () => {
      this.#broken = true;
    });
  }

  quoteIdent(name: string): string {
    return `\`${name.replace(/`/g, '``')}\``;
  }

  sqlType(type: ColumnType, size?: DecimalSize): string {
    // DECIMAL without precision is DECIMAL(10,0): keep as many fraction digits as the values have (65 digits in all).
    if (type === 'decimal' && size !== undefined) {
      if (size.scale > DECIMAL_MAX_SCALE || size.integerDigits + size.scale > DECIMAL_MAX_DIGITS) {
        throw new RangeError(
          `has values with up to ${size.integerDigits} digits before the decimal point and ${size.scale} after, ` +
            `more than a MariaDB/MySQL DECIMAL holds (at most ${DECIMAL_MAX_DIGITS} digits, ${DECIMAL_MAX_SCALE} after the point)`,
        );
      }
      return `DECIMAL(${DECIMAL_MAX_DIGITS},${size.scale})`;
    }
    return SQL_TYPES[type] ?? 'LONGTEXT';
  }

  /**
   * Session settings the value mapping relies on, whatever the server's
   * defaults: UTC (DATETIME is read and written as UTC, timezone 'Z'; TIMESTAMP
   * columns must agree) and a strict sql_mode (see `STRICT_SQL_MODES` in sql-mode.ts).
   */
  async pinSession(): Promise<void> {
    const text = 'SELECT @@SESSION.sql_mode';
    const { rows } = await this.#call({ text, source: text, names: [], sourceOffset: (o) => o }, text, [], true);
    const current = String((rows as unknown[][])[0]?.[0] ?? '');
    const set = `SET SESSION time_zone = '+00:00', sql_mode = '${pinnedSqlMode(current)}'`;
    await this.#call({ text: set, source: set, names: [], sourceOffset: (o) => o }, set, [], false);
  }

  /** Staging claims: a named lock (`GET_LOCK`) per tag, which the server releases when the connection ends, however it ends. */
  readonly staging: StagingClaims = {
    claim: async (tag) => {
      const { rows } = await this.#internal('SELECT GET_LOCK(?, 0)', [stagingLock(tag)], true);
      return Number((rows as unknown[][])[0]?.[0]) === 1;
    },
    release: async (tag) => {
      if (!this.healthy()) return;
      await this.#internal('SELECT RELEASE_LOCK(?)', [stagingLock(tag)], true).catch(() => undefined);
    },
    sweep: async (table, likePrefix, tagOf) => {
      const schema = table.schema === undefined ? 'DATABASE()' : '?';
      const { rows } = await this.#internal(
        `SELECT table_name FROM information_schema.tables WHERE table_schema = ${schema} AND table_name LIKE ?`,
        table.schema === undefined ? [likePrefix] : [table.schema, likePrefix],
        true,
      );
      const dropped: string[] = [];
      for (const [name] of rows as [string][]) {
        const tag = tagOf(String(name));
        if (tag === undefined) continue;
        const free = await this.#internal('SELECT IS_FREE_LOCK(?)', [stagingLock(tag)], true);
        if (Number((free.rows as unknown[][])[0]?.[0]) !== 1) continue;
        const stale: TableName = table.schema === undefined ? { name: String(name) } : { schema: table.schema, name: String(name) };
        await this.#internal(`DROP TABLE IF EXISTS ${qualifiedName(this, stale)}`, [], false);
        dropped.push(String(name));
      }
      return dropped;
    },
  };

  #internal(text: string, values: unknown[], rowsAsArray: boolean): Promise<{ rows: unknown; fields: unknown }> {
    return this.#call({ text, source: text, names: [], sourceOffset: (o) => o }, text, values, rowsAsArray);
  }

  /**
   * Runs one command. Driver errors are turned into TaskErrors after the
   * await, back in the task's async context (mysql2 calls back from the
   * socket's), so that they name the task.
   */
  async #call(sql: CompiledSql, text: string, values: unknown[], rowsAsArray: boolean): Promise<{ rows: unknown; fields: unknown }> {
    try {
      return await new Promise((resolve, reject) => {
        const cb = (err: unknown, rows: unknown, fields: unknown) => {
          if (err) reject(err);
          else resolve({ rows, fields });
        };
        if (values.length > 0) this.connection.execute({ sql: text, values, rowsAsArray }, cb);
        else this.connection.query({ sql: text, rowsAsArray }, cb);
      });
    } catch (error) {
      if ((error as { fatal?: boolean }).fatal) this.#broken = true;
      throw sqlError(error, 'mysql', sql);
    }
  }

  async query(sql: CompiledSql, values: unknown[]): Promise<ResultSet> {
    const { rows, fields } = await this.#call(sql, sql.text, values, true);
    let resultRows = rows;
    let resultFields = fields as MysqlField[] | MysqlField[][] | undefined;
    // A script gives one result per statement: the last with columns is the answer.
    if (Array.isArray(resultFields) && Array.isArray(resultFields[0])) {
      const all = resultFields as MysqlField[][];
      const allRows = rows as unknown[];
      let k = all.length - 1;
      while (k > 0 && !Array.isArray(all[k])) k--;
      resultFields = all[k];
      resultRows = allRows[k];
    } else if (Array.isArray(resultFields) && resultFields.length > 0 && resultFields[0] === undefined) {
      resultFields = undefined;
    }
    if (!Array.isArray(resultRows) || !Array.isArray(resultFields)) return { columns: [], rows: [] };
    const { columns, converters } = columnsAndConverters(resultFields as MysqlField[]);
    const out = resultRows as unknown[][];
    convertRows(out, converters);
    return { columns, rows: out };
  }

  async executeScript(sql: CompiledSql): Promise<number> {
    const { rows } = await this.#call(sql, sql.text, [], false);
    return affectedOf(rows);
  }

  async executeStatement(sql: CompiledSql, values: unknown[]): Promise<number> {
    const { rows } = await this.#call(sql, sql.text, values, false);
    return affectedOf(rows);
  }

  /**
   * Streams rows as the server sends them (`rowsAsArray`), pausing the
   * connection while batches wait to be consumed. Stopping early kills the
   * query (`KILL QUERY`) rather than reading the rest.
   */
  async *batches(sql: CompiledSql, values: unknown[], batchSize: number): AsyncGenerator<RowBatch, void, undefined> {
    const conn = this.connection;
    const queue: unknown[][][] = [];
    let current: unknown[][] = [];
    let meta: { columns: ColumnInfo[]; converters: (Converter | undefined)[] } | undefined;
    let done = false;
    let failure: unknown;
    let paused = false;
    let wake: (() => void) | undefined;
    let resultSets = 0;
    let discard = false;
    const abandon = () => {
      discard = true;
      queue.length = 0;
      current = [];
      if (paused) {
        paused = false;
        conn.resume();
      }
    };
    this.#streams.add(abandon);
    const notify = () => {
      const w = wake;
      wake = undefined;
      w?.();
    };
    const options = { sql: sql.text, values, rowsAsArray: true };
    const command = values.length > 0 ? conn.execute(options) : conn.query(options);
    const ended = new Promise<void>((resolve) => {
      command
        .on('fields', (fields: MysqlField[]) => {
          resultSets++;
          if (resultSets === 1) meta = columnsAndConverters(fields);
        })
        .on('result', (row: unknown) => {
          // Rows of later result sets (a script) are not part of the answer.
          if (discard || resultSets !== 1 || !Array.isArray(row)) return;
          current.push(row as unknown[]);
          if (current.length >= batchSize) {
            queue.push(current);
            current = [];
            if (queue.length >= 2 && !paused) {
              paused = true;
              conn.pause();
            }
            notify();
          }
        })
        .on('error', (err: unknown) => {
          failure ??= err;
          done = true;
          notify();
          resolve();
        })
        .on('end', () => {
          if (current.length > 0) queue.push(current);
          current = [];
          done = true;
          notify();
          resolve();
        });
    });
    let yielded = false;
    let finished = false;
    try {
      for (;;) {
        if (queue.length > 0) {
          const rows = queue.shift()!;
          if (paused && queue.length < 2) {
            paused = false;
            conn.resume();
          }
          convertRows(rows, meta?.converters ?? []);
          yielded = true;
          yield { columns: meta?.columns ?? [], rows };
          continue;
        }
        if (failure !== undefined) throw sqlError(failure, 'mysql', sql);
        if (done) break;
        await new Promise<void>((resolve) => {
          wake = resolve;
        });
      }
      if (!yielded) yield { columns: meta?.columns ?? [], rows: [] };
      finished = true;
    } finally {
      if (!finished && !done) {
        // Stopped early: the rest of the result would still be on its way. Kill it, then let the connection drain.
        await this.cancel();
        await within(ended, 5000);
      }
      this.#streams.delete(abandon);
    }
  }

  async tableExists(table: TableName): Promise<boolean> {
    const text = `SELECT 1 FROM ${qualifiedName(this, table)} LIMIT 0`;
    try {
      await new Promise<void>((resolve, reject) => {
        this.connection.query({ sql: text }, (err) => (err ? reject(err) : resolve()));
      });
      return true;
    } catch (error) {
      if ((error as { errno?: number }).errno === ER_NO_SUCH_TABLE) return false;
      throw sqlError(error, 'mysql', undefined);
    }
  }

  /** Batched multi-row INSERTs (prepared, at most 1,000 rows and 65,535 values each). */
  async load(table: TableName, columns: readonly ColumnInfo[], source: WriteSource, progress: ProgressSink, signal: AbortSignal): Promise<number> {
    if (source.kind !== 'batches') throw new TypeError('MysqlEngine.load takes row batches');
    const perStatement = Math.max(1, Math.min(1000, Math.floor(this.maxParams / Math.max(1, columns.length))));
    const head = `INSERT INTO ${qualifiedName(this, table)} (${columns.map((c) => this.quoteIdent(c.name)).join(', ')}) VALUES `;
    const tuple = `(${columns.map(() => '?').join(', ')})`;
    const statements = new Map<number, string>();
    const textFor = (n: number): string => {
      let text = statements.get(n);
      if (text === undefined) {
        text = head + new Array<string>(n).fill(tuple).join(', ');
        statements.set(n, text);
      }
      return text;
    };
    let written = 0;
    let pending: unknown[][] = [];
    const flush = async (rows: unknown[][]) => {
      signal.throwIfAborted();
      const text = textFor(rows.length);
      const values = rows.flat();
      const compiled: CompiledSql = { text, source: text, names: [], sourceOffset: (o) => o };
      await this.#call(compiled, text, values, false);
      written += rows.length;
      progress({ rows: written });
    };
    for await (const batch of source.batches) {
      for (const row of batch) {
        pending.push(row);
        if (pending.length >= perStatement) {
          const rows = pending;
          pending = [];
          await flush(rows);
        }
      }
    }
    if (pending.length > 0) await flush(pending);
    return written;
  }

  async renameTable(from: TableName, toName: string): Promise<void> {
    const to: TableName = from.schema === undefined ? { name: toName } : { schema: from.schema, name: toName };
    const text = `RENAME TABLE ${qualifiedName(this, from)} TO ${qualifiedName(this, to)}`;
    await this.#call({ text, source: text, names: [], sourceOffset: (o) => o }, text, [], false);
  }

  /** Runs `sql` on a new connection with the session's settings, then closes it (bounded: 5 s). */
  async runAside(sql: string): Promise<void> {
    const work = new Promise<void>((resolve, reject) => {
      let side: ReturnType<MysqlDriver['createConnection']>;
      try {
        side = this.driver.createConnection({ ...this.sideOptions, multipleStatements: false });
      } catch (error) {
        reject(error);
        return;
      }
      side.on('error', (err) => reject(err));
      side.query({ sql }, (err) => {
        side.end(() => undefined);
        if (err) reject(err);
        else resolve();
      });
    });
    const done = await within(work, 5000);
    if (done.timedOut) throw new Error(`no answer within 5 s to: ${sql}`);
  }

  /** `KILL QUERY <thread>` from a side connection (bounded: 5 s). */
  async cancel(): Promise<void> {
    for (const abandon of this.#streams) abandon();
    const threadId = this.connection.threadId;
    if (threadId === null || threadId === undefined || !this.healthy()) return;
    await this.runAside(`KILL QUERY ${Number(threadId)}`).catch(() => undefined);
  }

  destroy(): void {
    this.#broken = true;
    try {
      this.connection.destroy();
    } catch {
      // already gone
    }
  }

  healthy(): boolean {
    const c = this.connection;
    return !this.#broken && !c._fatalError && c._closing !== true && c.stream?.destroyed !== true;
  }
}
