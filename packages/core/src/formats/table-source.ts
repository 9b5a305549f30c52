/**
 * Rows of a table input (row objects or a Dataset) as batches of value
 * arrays with known columns: what the JSON Lines and Parquet encoders read.
 *
 * @module
 */
import type { ColumnType } from '../data/column-types.js';
import { columnsOf, type Row } from '../data/csv-writer.js';
import { Dataset } from '../data/dataset.js';

/** A table being read: its columns (known once the first batch is read), their types if declared, and its batches. */
export interface TableSource {
  /** Column names; for an iterable of rows, set from the first row once the first batch is yielded. */
  columns: readonly string[];
  /** Declared column types (a Dataset's), or `undefined` for plain rows. */
  types: readonly ColumnType[] | undefined;
  /** Batches of value arrays in column order. */
  batches: AsyncIterable<unknown[][]>;
}

const ROW_BATCH = 4096;

/**
 * The rows of `input` (a Dataset, or an array / iterable / async iterable of
 * row objects) in batches. An array's columns are the union of its rows'
 * keys; another iterable's are its first row's keys (as for CSV).
 *
 * @throws TypeError (while iterating) when a row is not an object.
 */
export function tableSource(input: unknown): TableSource {
  if (input instanceof Dataset) {
    return { columns: input.columns, types: input.columnTypes, batches: input.batches({ arrays: true }) };
  }
  const source: TableSource = { columns: [], types: undefined, batches: undefined as unknown as AsyncIterable<unknown[][]> };
  if (Array.isArray(input)) source.columns = columnsOf(input as Row[]);
  source.batches = rowBatches(input as Iterable<Row> | AsyncIterable<Row>, source);
  return source;
}

async function* rowBatches(rows: Iterable<Row> | AsyncIterable<Row>, source: TableSource): AsyncGenerator<unknown[][]> {
  let columns: readonly string[] | undefined = Array.isArray(rows) ? source.columns : undefined;
  let batch: unknown[][] = [];
  let n = 0;
  for await (const row of rows as AsyncIterable<Row>) {
    n++;
    if (typeof row !== 'object' || row === null || Array.isArray(row)) {
      throw new TypeError(`row ${n} is ${row === null ? 'null' : Array.isArray(row) ? 'an array' : typeof row}; expected an object`);
    }
    if (columns === undefined) columns = source.columns = Object.keys(row);
    const values = new Array<unknown>(columns.length);
    for (let i = 0; i < columns.length; i++) values[i] = row[columns[i]!];
    batch.push(values);
    if (batch.length >= ROW_BATCH) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}
