/**
 * `SQLWrite`'s and `db.write()`'s table loading: infer the columns, create
 * the table when missing, and load the rows (PostgreSQL COPY, batched
 * INSERTs elsewhere), never leaving a half-written table.
 *
 * @module
 */
import { randomBytes } from 'node:crypto';
import { columnsOf, Dataset, describeValue, tableInputKind, type ColumnType, type Row } from '@bigrays/core';
import { qualifiedName, within, type Engine, type ProgressSink, type TableName, type WriteSource } from './engine.js';
import { sqlTaskError } from './errors.js';
import type { Dialect } from './sql-text.js';
import { inferColumnType, valueWriter, type ColumnInfo } from './values.js';

/** What `SQLWrite` does when the table exists already. */
export type IfExists = 'fail' | 'append' | 'replace';

/** Options of `db.write()`. */
export interface WriteOptions {
  /**
   * When the table exists: `'fail'` (default) is an error and leaves it
   * untouched, `'append'` adds the rows, `'replace'` replaces the table
   * (dropped and recreated from the input's columns) atomically.
   */
  ifExists?: IfExists;
}

const IF_EXISTS: readonly IfExists[] = ['fail', 'append', 'replace'];

/** Rows inferred from (or taken before deciding the columns of) an iterable input. */
const SAMPLE_ROWS = 1000;
/** Rows per batch handed to the engine. */
const BATCH_ROWS = 1000;

/** What the session lends to a write. */
export interface WriteContext {
  engine: Engine;
  /** Runs `fn` in a transaction (a savepoint when one is open). */
  transaction<T>(fn: () => Promise<T>): Promise<T>;
  /** Runs one statement without parameters. */
  run(sql: string): Promise<void>;
  progress: ProgressSink;
  signal: AbortSignal;
}

/**
 * Splits `schema.table` into its parts. Parts may be quoted (`"My Table"`,
 * or with backticks on MariaDB/MySQL) to hold dots or other characters.
 */
export function parseTableName(table: unknown, dialect: Dialect): TableName {
  if (typeof table !== 'string' || table.trim() === '') {
    throw sqlTaskError(`the table name must be a non-empty string such as 'sales' or 'analytics.sales'; got ${describeValue(table)}`);
  }
  const parts: string[] = [];
  let i = 0;
  const s = table.trim();
  while (i <= s.length) {
    const c = s[i];
    let part: string;
    if (c === '"' || (c === '`' && dialect !== 'postgres')) {
      let j = i + 1;
      part = '';
      for (;;) {
        if (j >= s.length) throw sqlTaskError(`the table name ${JSON.stringify(table)} has an unclosed ${c}`);
        if (s[j] === c) {
          if (s[j + 1] === c) {
            part += c;
            j += 2;
            continue;
          }
          break;
        }
        part += s[j];
        j++;
      }
      i = j + 1;
    } else {
      let j = s.indexOf('.', i);
      if (j < 0) j = s.length;
      part = s.slice(i, j).trim();
      i = j;
    }
    if (part === '') throw sqlTaskError(`the table name ${JSON.stringify(table)} has an empty part; expected 'table' or 'schema.table'`);
    parts.push(part);
    if (i >= s.length) break;
    if (s[i] !== '.') throw sqlTaskError(`the table name ${JSON.stringify(table)} is malformed; expected 'table' or 'schema.table' (quote parts with "...")`);
    i++;
  }
  if (parts.length === 1) return { name: parts[0]! };
  if (parts.length === 2) return { schema: parts[0]!, name: parts[1]! };
  throw sqlTaskError(`the table name ${JSON.stringify(table)} has ${parts.length} parts; expected 'table' or 'schema.table'`);
}

function stagingName(table: TableName, what: string): TableName {
  const name = `${table.name.slice(0, 40)}_bigrays_${what}_${randomBytes(3).toString('hex')}`;
  return table.schema === undefined ? { name } : { schema: table.schema, name };
}

/** The rows of an input, prepared for loading. */
interface Source {
  /** `undefined` when the input has no rows and no column list (nothing to infer from). */
  columns: ColumnInfo[] | undefined;
  /** Values seen per column (to size MySQL DECIMALs). */
  sample: unknown[][] | undefined;
  writeSource(dialect: Dialect): WriteSource;
}

async function* rechunk(batches: AsyncIterable<unknown[][]>, size: number): AsyncGenerator<unknown[][]> {
  let pending: unknown[][] = [];
  for await (const batch of batches) {
    if (pending.length === 0 && batch.length === size) {
      yield batch;
      continue;
    }
    for (const row of batch) {
      pending.push(row);
      if (pending.length >= size) {
        yield pending;
        pending = [];
      }
    }
  }
  if (pending.length > 0) yield pending;
}

async function datasetSource(ds: Dataset): Promise<Source> {
  const columns: ColumnInfo[] = ds.columns.map((name, i) => {
    const t = ds.columnTypes[i] ?? 'text';
    return { name, type: t === 'unknown' ? 'text' : t };
  });
  // Decimal columns are sized from the first chunk of rows (MariaDB/MySQL need a scale).
  let sample: unknown[][] | undefined;
  if (columns.some((c) => c.type === 'decimal') && ds.rowCount > 0) {
    for await (const batch of ds.batches({ arrays: true })) {
      sample = columns.map((_, i) => batch.map((r) => r[i]));
      break;
    }
  }
  return {
    columns: columns.length === 0 ? undefined : columns,
    sample,
    writeSource(dialect) {
      if (dialect === 'postgres') {
        // The spool file is CSV in the format COPY reads: stream its bytes in, no decoding.
        return { kind: 'csv', stream: () => ds.csvStream({ header: false }), rowCount: ds.rowCount, byteLength: ds.byteLength };
      }
      const writers = columns.map((c) => valueWriter(dialect, c.type));
      const n = writers.length;
      async function* converted(): AsyncGenerator<unknown[][]> {
        for await (const batch of ds.batches({ arrays: true })) {
          for (const values of batch) for (let i = 0; i < n; i++) values[i] = writers[i]!(values[i]);
          yield batch;
        }
      }
      return { kind: 'batches', batches: rechunk(converted(), BATCH_ROWS) };
    },
  };
}

function columnTypes(names: readonly string[], rows: readonly Row[]): { columns: ColumnInfo[]; sample: unknown[][] } {
  const sample = names.map((name) => rows.map((r) => (r === null || typeof r !== 'object' ? undefined : r[name])));
  return { columns: names.map((name, i) => ({ name, type: inferColumnType(sample[i]!) as ColumnType })), sample };
}

function notARow(index: number, row: unknown): Error {
  return sqlTaskError(`row ${index + 1} of the input is not a row object: ${describeValue(row)}`);
}

async function rowsSource(input: Iterable<Row> | AsyncIterable<Row>): Promise<Source> {
  let head: Row[];
  let rest: AsyncIterator<Row> | Iterator<Row> | undefined;
  if (Array.isArray(input)) {
    head = input as Row[];
  } else {
    // Take a sample to infer the columns from, then continue with the rest of the iterator.
    const it: AsyncIterator<Row> | Iterator<Row> =
      Symbol.asyncIterator in (input as object) ? (input as AsyncIterable<Row>)[Symbol.asyncIterator]() : (input as Iterable<Row>)[Symbol.iterator]();
    head = [];
    let done = false;
    while (head.length < SAMPLE_ROWS) {
      const r = await it.next();
      if (r.done) {
        done = true;
        break;
      }
      head.push(r.value);
    }
    rest = done ? undefined : it;
  }
  head.forEach((row, i) => {
    if (row === null || typeof row !== 'object' || Array.isArray(row)) throw notARow(i, row);
  });
  if (head.length === 0) return { columns: undefined, sample: undefined, writeSource: () => ({ kind: 'batches', batches: (async function* () {})() }) };
  const names = columnsOf(head);
  const { columns, sample } = columnTypes(names, head);
  const known = new Set(names);
  return {
    columns,
    sample,
    writeSource(dialect) {
      const writers = columns.map((c) => valueWriter(dialect, c.type));
      const n = names.length;
      const toArray = (row: Row): unknown[] => {
        const out = new Array<unknown>(n);
        for (let i = 0; i < n; i++) out[i] = writers[i]!(row[names[i]!]);
        return out;
      };
      async function* batches(): AsyncGenerator<unknown[][]> {
        for (let i = 0; i < head.length; i += BATCH_ROWS) yield head.slice(i, i + BATCH_ROWS).map(toArray);
        if (rest === undefined) return;
        let index = head.length;
        let batch: unknown[][] = [];
        for (;;) {
          const r = await rest.next();
          if (r.done) break;
          const row = r.value;
          if (row === null || typeof row !== 'object' || Array.isArray(row)) throw notARow(index, row);
          for (const key in row) {
            if (!known.has(key)) {
              throw sqlTaskError(
                `row ${index + 1} of the input has the column '${key}', which is not among the columns taken from the first ${SAMPLE_ROWS} rows ` +
                  `(${names.join(', ')}); give every row the same keys (null for no value), or pass an array or a Dataset`,
              );
            }
          }
          batch.push(toArray(row));
          index++;
          if (batch.length >= BATCH_ROWS) {
            yield batch;
            batch = [];
          }
        }
        if (batch.length > 0) yield batch;
      }
      return { kind: 'batches', batches: batches() };
    },
  };
}

async function openSource(input: unknown, label: string): Promise<Source> {
  const kind = tableInputKind(input);
  if (kind === 'dataset') return datasetSource(input as Dataset);
  if (kind === 'rows') return rowsSource(input as Iterable<Row> | AsyncIterable<Row>);
  throw sqlTaskError(
    `${label} must be rows (an array, iterable or async iterable of row objects) or a Dataset; got ${describeValue(input)}`,
  );
}

/**
 * Writes `input` into `table`; resolves to the number of rows written.
 *
 * - The table is created from the input's columns when missing (types
 *   inferred from the values, or a Dataset's column types).
 * - `fail` (default): an existing table is an error and is left untouched.
 * - `append`: rows are added in one transaction (all or nothing).
 * - `replace`: the rows go into a staging table that is then swapped in
 *   (PostgreSQL, SQLite: in one transaction with the drop; MariaDB/MySQL:
 *   with one atomic `RENAME TABLE`), so readers see the old table or the new
 *   one, never a half-written one.
 */
export async function writeTable(ctx: WriteContext, table: unknown, input: unknown, ifExists: unknown = 'fail', label = 'input'): Promise<number> {
  const { engine } = ctx;
  const dialect = engine.dialect;
  if (!IF_EXISTS.includes(ifExists as IfExists)) {
    throw sqlTaskError(`ifExists must be 'fail', 'append' or 'replace'; got ${typeof ifExists === 'string' ? `'${ifExists}'` : describeValue(ifExists)}`);
  }
  const name = parseTableName(table, dialect);
  const shown = String(table);
  const source = await openSource(input, label);
  ctx.signal.throwIfAborted();
  const exists = await engine.tableExists(name);
  if (exists && ifExists === 'fail') {
    throw sqlTaskError(
      `table ${shown} already exists and was left untouched; set ifExists = 'append' to add the rows, or 'replace' to replace the table`,
    );
  }
  const q = (t: TableName) => qualifiedName(engine, t);

  const columns = source.columns;
  if (columns === undefined) {
    if (!exists) {
      throw sqlTaskError(
        `the input has no rows, so the columns of the new table ${shown} cannot be inferred and nothing was created; ` +
          'pass at least one row, or a Dataset (which knows its columns)',
      );
    }
    if (ifExists === 'append') return 0;
    // Replacing with nothing: the table stays, empty.
    await ctx.transaction(() => ctx.run(`DELETE FROM ${q(name)}`));
    return 0;
  }

  const create = (t: TableName) =>
    ctx.run(
      `CREATE TABLE ${q(t)} (${columns
        .map((c, i) => `${engine.quoteIdent(c.name)} ${engine.sqlType(c.type, source.sample?.[i])}`)
        .join(', ')})`,
    );
  const load = (t: TableName) => engine.load(t, columns, source.writeSource(dialect), ctx.progress, ctx.signal);

  if (engine.transactionalDdl) {
    return ctx.transaction(async () => {
      if (!exists) {
        await create(name);
        return load(name);
      }
      if (ifExists === 'append') return load(name);
      const staging = stagingName(name, 'new');
      await create(staging);
      const written = await load(staging);
      await ctx.run(`DROP TABLE ${q(name)}`);
      await engine.renameTable(staging, name.name);
      return written;
    });
  }

  // MariaDB/MySQL: DDL commits implicitly, so the rows are loaded in a transaction into a fresh table, then swapped in.
  if (exists && ifExists === 'append') return ctx.transaction(() => load(name));
  const target = exists ? stagingName(name, 'new') : name;
  await create(target);
  let written: number;
  try {
    written = await ctx.transaction(() => load(target));
    if (exists) {
      const old = stagingName(name, 'old');
      // One RENAME TABLE statement swaps both names atomically.
      await ctx.run(`RENAME TABLE ${q(name)} TO ${q(old)}, ${q(target)} TO ${q(name)}`);
      await ctx.run(`DROP TABLE ${q(old)}`);
    }
  } catch (error) {
    // Undo the CREATE (committed at once by MariaDB/MySQL). When the session's connection is what failed
    // (killed, network), the DROP goes through a short-lived connection of its own.
    const drop = `DROP TABLE IF EXISTS ${q(target)}`;
    const aside = () => within(engine.runAside?.(drop) ?? Promise.resolve(), 5000).catch(() => undefined);
    if (engine.healthy()) await ctx.run(drop).catch(aside);
    else await aside();
    throw error;
  }
  return written;
}
