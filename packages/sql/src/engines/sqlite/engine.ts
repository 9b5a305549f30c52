/**
 * SQLite through better-sqlite3 (synchronous): prepared statements in raw
 * (array) mode, `exec` for scripts, `iterate()` for streaming, batched
 * multi-row INSERTs for writes. Values are typed by the columns' declared
 * types (SQLite itself stores values dynamically).
 *
 * @internal
 * @module
 */
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { ColumnType } from '@bigrays/core';
import type { Database, Statement } from 'better-sqlite3';
import { qualifiedName, type Engine, type ProgressSink, type ResultSet, type RowBatch, type TableName, type WriteSource } from '../../engine.js';
import { sqlError, sqlTaskError } from '../../errors.js';
import type { CompiledSql } from '../../sql-text.js';
import { convertRows, inferColumnType, uniqueNames, type ColumnInfo, type Converter, type DecimalSize } from '../../values.js';
import { sqliteConverter, sqliteDeclaredType } from './values.js';

const SQL_TYPES: Readonly<Record<ColumnType, string>> = {
  integer: 'INTEGER',
  bigint: 'BIGINT',
  float: 'REAL',
  decimal: 'DECIMAL',
  boolean: 'BOOLEAN',
  date: 'DATE',
  timestamp: 'TIMESTAMP',
  // TEXT affinity (the name contains TEXT): a column declared JSON has NUMERIC affinity, which turns a top-level JSON
  // number into a REAL (1e400 → Infinity, 20 digits rounded). Read back as json (sqliteDeclaredType).
  json: 'JSON_TEXT',
  binary: 'BLOB',
  text: 'TEXT',
  unknown: 'TEXT',
};

/** SQLITE_MAX_VARIABLE_NUMBER of SQLite ≥ 3.32, which better-sqlite3 bundles. */
const MAX_PARAMS = 32766;

interface Shape {
  names: string[];
  declared: (ColumnType | undefined)[];
  converters: (Converter | undefined)[];
  safeIntegers: boolean;
}

function shapeOf(stmt: Statement): Shape {
  const cols = stmt.columns();
  const declared = cols.map((c) => sqliteDeclaredType(c.type));
  return {
    names: uniqueNames(cols.map((c) => c.name)),
    declared,
    converters: declared.map((t, i) => sqliteConverter(t, cols[i]!.type)),
    // BIGINT columns are read as BigInt so that no digit is lost, then turned into strings.
    // JSON too: a JSON-declared column (NUMERIC affinity) holds a top-level integer as INTEGER, 64 bits.
    safeIntegers: declared.includes('bigint') || declared.includes('json'),
  };
}

/** Column types: declared ones, and for expressions (no declared type) what the values are. */
function columnInfos(shape: Shape, rows: readonly unknown[][]): ColumnInfo[] {
  return shape.names.map((name, i) => {
    const declared = shape.declared[i];
    if (declared !== undefined) return { name, type: declared };
    const type = rows.length === 0 ? 'unknown' : inferColumnType(rows.map((r) => r[i]));
    // Expressions give numbers (not the exact strings of a BIGINT column): keep them numbers in the Dataset too.
    return { name, type: type === 'bigint' ? 'integer' : type };
  });
}

export class SqliteEngine implements Engine {
  readonly dialect = 'sqlite' as const;
  readonly maxParams = MAX_PARAMS;
  readonly transactionalDdl = true;
  readonly connection: Database;
  #broken = false;
  /** Iterations in progress (a stream stopped from outside is ended by cancel()). */
  readonly #iterators = new Set<IterableIterator<unknown>>();

  constructor(db: Database) {
    this.connection = db;
  }

  quoteIdent(name: string): string {
    return `"${name.replace(/"/g, '""')}"`;
  }

  sqlType(type: ColumnType, size?: DecimalSize): string {
    // SQLite keeps decimals as REAL; the declared scale (of the whole input) tells the reader how many digits to show.
    if (type === 'decimal' && size !== undefined) return `DECIMAL(38,${Math.min(size.scale, 30)})`;
    return SQL_TYPES[type] ?? 'TEXT';
  }

  #prepare(sql: CompiledSql, text = sql.text): Statement {
    try {
      return this.connection.prepare(text);
    } catch (error) {
      throw sqlError(error, 'sqlite', sql);
    }
  }

  async query(sql: CompiledSql, values: unknown[]): Promise<ResultSet> {
    const stmt = this.#prepare(sql);
    try {
      if (!stmt.reader) {
        stmt.run(values);
        return { columns: [], rows: [] };
      }
      const shape = shapeOf(stmt);
      if (shape.safeIntegers) stmt.safeIntegers(true);
      const rows = stmt.raw(true).all(values) as unknown[][];
      convertRows(rows, shape.converters);
      return { columns: columnInfos(shape, rows), rows };
    } catch (error) {
      throw sqlError(error, 'sqlite', sql);
    }
  }

  #totalChanges(): number {
    return Number(this.connection.prepare('SELECT total_changes()').pluck().get());
  }

  async executeScript(sql: CompiledSql): Promise<number> {
    const before = this.#totalChanges();
    try {
      this.connection.exec(sql.text);
    } catch (error) {
      throw sqlError(error, 'sqlite', sql);
    }
    return this.#totalChanges() - before;
  }

  async executeStatement(sql: CompiledSql, values: unknown[]): Promise<number> {
    const stmt = this.#prepare(sql);
    try {
      if (stmt.reader) {
        stmt.all(values);
        return 0;
      }
      return stmt.run(values).changes;
    } catch (error) {
      throw sqlError(error, 'sqlite', sql);
    }
  }

  /**
   * Streams with `stmt.raw().iterate()`, handing back control to the event
   * loop between batches. While the iteration is open the connection is busy.
   */
  async *batches(sql: CompiledSql, values: unknown[], batchSize: number): AsyncGenerator<RowBatch, void, undefined> {
    const stmt = this.#prepare(sql);
    if (!stmt.reader) {
      try {
        stmt.run(values);
      } catch (error) {
        throw sqlError(error, 'sqlite', sql);
      }
      yield { columns: [], rows: [] };
      return;
    }
    const shape = shapeOf(stmt);
    if (shape.safeIntegers) stmt.safeIntegers(true);
    let iterator: IterableIterator<unknown>;
    try {
      iterator = stmt.raw(true).iterate(values) as IterableIterator<unknown>;
    } catch (error) {
      throw sqlError(error, 'sqlite', sql);
    }
    let columns: ColumnInfo[] | undefined;
    this.#iterators.add(iterator);
    try {
      for (;;) {
        const rows: unknown[][] = [];
        let done = false;
        try {
          while (rows.length < batchSize) {
            const next = iterator.next();
            if (next.done) {
              done = true;
              break;
            }
            rows.push(next.value as unknown[]);
          }
        } catch (error) {
          throw sqlError(error, 'sqlite', sql);
        }
        convertRows(rows, shape.converters);
        columns ??= columnInfos(shape, rows);
        if (rows.length > 0 || done) yield { columns, rows };
        if (done) return;
        await nextTurn();
      }
    } finally {
      this.#iterators.delete(iterator);
      iterator.return?.();
    }
  }

  async tableExists(table: TableName): Promise<boolean> {
    try {
      this.connection.prepare(`SELECT 1 FROM ${qualifiedName(this, table)} LIMIT 0`);
      return true;
    } catch (error) {
      if (/no such table/i.test((error as Error).message)) return false;
      throw sqlError(error, 'sqlite', undefined);
    }
  }

  /** Batched multi-row INSERTs (at most 1,000 rows and 32,766 values each). */
  async load(table: TableName, columns: readonly ColumnInfo[], source: WriteSource, progress: ProgressSink, signal: AbortSignal): Promise<number> {
    if (source.kind !== 'batches') throw new TypeError('SqliteEngine.load takes row batches');
    const perStatement = Math.max(1, Math.min(1000, Math.floor(this.maxParams / Math.max(1, columns.length))));
    const head = `INSERT INTO ${qualifiedName(this, table)} (${columns.map((c) => this.quoteIdent(c.name)).join(', ')}) VALUES `;
    const tuple = `(${columns.map(() => '?').join(', ')})`;
    const statements = new Map<number, Statement>();
    const statementFor = (n: number): Statement => {
      let stmt = statements.get(n);
      if (stmt === undefined) {
        const text = head + new Array<string>(n).fill(tuple).join(', ');
        stmt = this.#prepare({ text, source: text, names: [], sourceOffset: (o) => o });
        statements.set(n, stmt);
      }
      return stmt;
    };
    let written = 0;
    let pending: unknown[][] = [];
    const decimals = columns.flatMap((c, i) => (c.type === 'decimal' ? [i] : []));
    let seen = 0;
    const flush = (rows: unknown[][]) => {
      const stmt = statementFor(rows.length);
      try {
        stmt.run(rows.flat());
      } catch (error) {
        throw sqlError(error, 'sqlite', undefined);
      }
      written += rows.length;
    };
    for await (const batch of source.batches) {
      signal.throwIfAborted();
      for (const row of batch) {
        seen++;
        for (const i of decimals) row[i] = exactDecimal(row[i], columns[i]!.name, seen);
        pending.push(row);
        if (pending.length >= perStatement) {
          flush(pending);
          pending = [];
        }
      }
      progress({ rows: written });
      await nextTurn();
    }
    if (pending.length > 0) flush(pending);
    progress({ rows: written });
    return written;
  }

  async renameTable(from: TableName, toName: string): Promise<void> {
    const text = `ALTER TABLE ${qualifiedName(this, from)} RENAME TO ${this.quoteIdent(toName)}`;
    this.#prepare({ text, source: text, names: [], sourceOffset: (o) => o }).run();
  }

  /**
   * SQLite runs synchronously, so no statement is ever running while this is
   * called; what can be open is an iteration (a stream): end it.
   */
  async cancel(): Promise<void> {
    for (const it of this.#iterators) {
      try {
        it.return?.();
      } catch {
        // already ended
      }
    }
    this.#iterators.clear();
  }

  destroy(): void {
    this.#broken = true;
    void this.cancel();
    try {
      if (this.connection.open) this.connection.close();
    } catch {
      // busy or already closed
    }
  }

  healthy(): boolean {
    return !this.#broken && this.connection.open;
  }
}
/** `[digits without leading/trailing zeros, exponent, negative]` of a decimal number's text; undefined if it is not one. */
function decimalParts(text: string): [string, number, boolean] | undefined {
  const m = /^\s*([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?\s*$/.exec(text);
  if (m === null || (m[2] === '' && (m[3] ?? '') === '')) return undefined;
  const all = `${m[2]}${m[3] ?? ''}`;
  let exp = Number(m[4] ?? 0) - (m[3] ?? '').length;
  const digits = all.replace(/^0+/, '');
  const trimmed = digits.replace(/0+$/, '');
  exp += digits.length - trimmed.length;
  return trimmed === '' ? ['', 0, false] : [trimmed, exp, m[1] === '-'];
}

/**
 * A decimal bound for SQLite, which keeps decimals as REAL (NUMERIC affinity
 * turns decimal text into a double, rounding digits a double does not hold,
 * without an error: issue 10 new-2). A decimal a double holds exactly is
 * bound as that double; one it does not hold fails, naming the column and
 * the row, before the transaction commits (nothing is written).
 */
function exactDecimal(v: unknown, column: string, row: number): unknown {
  if (typeof v !== 'string') return v;
  const parts = decimalParts(v);
  if (parts === undefined) return v; // not a number: stored as text by NUMERIC affinity, unchanged
  const n = Number(v);
  const back = Number.isFinite(n) ? decimalParts(String(n)) : undefined;
  if (back !== undefined && back[0] === parts[0] && back[1] === parts[1] && (parts[0] === '' || back[2] === parts[2])) return n;
  throw sqlTaskError(
    `the column '${column}' has the decimal ${v.trim()} (row ${row}), which SQLite would store as the REAL ${String(n)} (not exactly); nothing was written. ` +
      'SQLite keeps decimals as REAL (about 15 significant digits): cast the column to text in the query that makes the input, or write it to PostgreSQL or MariaDB',
  );
}
