/**
 * Rows of a table input (row objects or a Dataset) as batches of value
 * arrays with known columns: what the JSON Lines and Parquet encoders read.
 *
 * @module
 */
import type { ColumnType } from '../data/column-types.js';
import { COLUMN_SAMPLE_ROWS, columnsOf, type Row } from '../data/csv-writer.js';
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
 * row objects) in batches. As for CSV, an array's columns are the union of
 * its rows' keys; another iterable's are the union of its first 1,000 rows'
 * keys, and a later row with another key is an error (not silently dropped).
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
  // As for CSV: an array's columns are known; another iterable's are the union of its first
  // COLUMN_SAMPLE_ROWS rows' keys, and a later row with another key fails rather than lose it.
  let known: Set<string> | undefined = Array.isArray(rows) ? new Set(source.columns) : undefined;
  const checkLater = !Array.isArray(rows);
  let sample: Row[] | undefined = known === undefined ? [] : undefined;
  let batch: unknown[][] = [];
  let n = 0;
  const toValues = (row: Row): unknown[] => {
    const columns = source.columns;
    const values = new Array<unknown>(columns.length);
    for (let i = 0; i < columns.length; i++) values[i] = row[columns[i]!];
    return values;
  };
  const decide = () => {
    source.columns = columnsOf(sample!);
    known = new Set(source.columns);
    for (const row of sample!) batch.push(toValues(row));
    sample = undefined;
  };
  for await (const row of rows as AsyncIterable<Row>) {
    n++;
    if (typeof row !== 'object' || row === null || Array.isArray(row)) {
      throw new TypeError(`row ${n} is ${row === null ? 'null' : Array.isArray(row) ? 'an array' : typeof row}; expected an object`);
    }
    if (sample !== undefined) {
      sample.push(row);
      if (sample.length >= COLUMN_SAMPLE_ROWS) decide();
    } else {
      if (checkLater) {
        for (const key in row) {
          if (!known!.has(key) && Object.prototype.hasOwnProperty.call(row, key)) {
            throw new TypeError(
              `row ${n} of the input has the column '${key}', which is not among the columns taken from the first ` +
                `${COLUMN_SAMPLE_ROWS} rows (${source.columns.join(', ')}); give every row the same keys (null for no value), ` +
                'or pass an array or a Dataset',
            );
          }
        }
      }
      batch.push(toValues(row));
    }
    if (batch.length >= ROW_BATCH) {
      yield batch;
      batch = [];
    }
  }
  if (sample !== undefined) decide();
  if (batch.length > 0) yield batch;
}
