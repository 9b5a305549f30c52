/**
 * What `SQLWrite` writes from: an array, (async) iterable of row objects or
 * a `Dataset`, opened into columns (inferred from the first rows, or the
 * Dataset's own) and batches of values in the form the dialect's bulk load
 * takes.
 *
 * @module
 */
import { Dataset, type ColumnType, type Row } from '@bigrays/core';
import { checkTableInput, columnsOf, describeValue } from '@bigrays/core/plugin';
import type { WriteSource } from './engine.js';
import { dialectOf, valueWriter, type Dialect } from './engines/dialects.js';
import { sqlTaskError } from './errors.js';
import { fitsInferredType, inferColumnType, widenDecimalSize, type ColumnInfo, type DecimalSize } from './values.js';

/** Rows inferred from (or taken before deciding the columns of) an iterable input. */
const SAMPLE_ROWS = 1000;

/** Rows per batch handed to the engine. */
const BATCH_ROWS = 1000;

/** The rows of an input, prepared for loading. */
export interface Source {
  /** `undefined` when the input has no rows and no column list (nothing to infer from). */
  columns: ColumnInfo[] | undefined;
  /** What the values of each decimal column need, over the whole input (to size MariaDB/MySQL DECIMALs). */
  decimalSizes(): Promise<(DecimalSize | undefined)[]>;
  /** `created`: the table is being created from `columns` (values past a sample must fit the inferred types). */
  writeSource(dialect: Dialect, created: boolean): WriteSource;
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
  return {
    columns: columns.length === 0 ? undefined : columns,
    async decimalSizes() {
      // Every row, not a sample: a value further down with more digits would be rounded (or out of range) otherwise.
      const decimals = columns.flatMap((c, i) => (c.type === 'decimal' ? [i] : []));
      const sizes: (DecimalSize | undefined)[] = columns.map(() => undefined);
      if (decimals.length === 0 || ds.rowCount === 0) return sizes;
      for (const i of decimals) sizes[i] = { integerDigits: 0, scale: 0 };
      for await (const batch of ds.batches({ arrays: true })) {
        for (const row of batch) for (const i of decimals) widenDecimalSize(sizes[i]!, row[i]);
      }
      return sizes;
    },
    writeSource(dialect) {
      const spec = dialectOf(dialect);
      if (spec.loadsCsv) {
        // The spool file is CSV in the format COPY reads: stream its bytes in, no decoding.
        return { kind: 'csv', stream: () => ds.csvStream({ header: false }), rowCount: ds.rowCount, byteLength: ds.byteLength };
      }
      const writers = columns.map((c) => spec.valueWriter(c.type));
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

function columnTypes(names: readonly string[], rows: readonly Row[]): ColumnInfo[] {
  return names.map((name) => ({ name, type: inferColumnType(rows.map((r) => (r === null || typeof r !== 'object' ? undefined : r[name]))) as ColumnType }));
}

/** Rows never make a decimal column (numbers are integer, bigint or float). */
const noDecimals = async (): Promise<undefined[]> => [];

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
  if (head.length === 0) return { columns: undefined, decimalSizes: noDecimals, writeSource: () => ({ kind: 'batches', batches: (async function* () {})() }) };
  const names = columnsOf(head);
  const columns = columnTypes(names, head);
  const known = new Set(names);
  return {
    columns,
    decimalSizes: noDecimals,
    writeSource(dialect, created) {
      const writers = columns.map((c) => valueWriter(dialect, c.type));
      const n = names.length;
      // The types were inferred from the first rows: a later value they cannot hold (0.5 in an integer column) would
      // be rejected by PostgreSQL with no column named, and rounded or clipped by MariaDB; fail before the commit instead.
      const checkFits = (row: Row, index: number) => {
        for (let i = 0; i < n; i++) {
          const v = row[names[i]!];
          if (!fitsInferredType(columns[i]!.type, v)) {
            throw sqlTaskError(
              `row ${index + 1} of the input: the column '${names[i]}' was created as ${columns[i]!.type} from the first ${SAMPLE_ROWS} rows, ` +
                `and ${describeValue(v)} does not fit it; nothing was written. Pass an array or a Dataset (typed), or create the table first`,
            );
          }
        }
      };
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
          if (created) checkFits(row, index);
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

export async function openSource(input: unknown, label: string): Promise<Source> {
  const kind = checkTableInput(input, {
    label,
    accept: ['rows', 'dataset'],
    accepted: 'rows (an array, iterable or async iterable of row objects) or a Dataset',
    fail: (message) => sqlTaskError(message),
  });
  return kind === 'dataset' ? datasetSource(input as Dataset) : rowsSource(input as Iterable<Row> | AsyncIterable<Row>);
}
