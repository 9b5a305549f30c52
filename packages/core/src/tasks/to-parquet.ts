/**
 * `ToParquet`: the built-in task that writes a table to a local Parquet file.
 *
 * @module
 */
import type { ParquetColumnType } from '../formats/parquet/schema.js';
import type { ParquetStreamOptions } from '../formats/parquet/write.js';
import { ToCSV } from './to-csv.js';

/**
 * Writes rows or a `Dataset` to the local Parquet file `filename` and
 * outputs its absolute path. Column types are kept: a Dataset's column types
 * (from the SQL result) decide the Parquet types, rows' types are inferred
 * from their values, and `types` overrides either (see the README,
 * "Parquet"). Nulls stay null. Row groups are written as they fill
 * (`rowGroupSize` rows each), so memory does not grow with the table.
 *
 * Like `ToCSV`, the file appears complete or not at all, and an existing
 * file is an error unless `overwrite` is true. The Parquet library is loaded
 * only when this task runs.
 *
 * A base class: extend it and decorate the subclass with `@Task()`.
 *
 * @example
 * \@Task()
 * class ExportOrders extends ToParquet {
 *   \@Input(LoadOrders) input!: Dataset;
 *   filename = 'out/{run_date}/orders.parquet';
 *   types = { amount: 'decimal(12,2)' } as const;
 * }
 */
export class ToParquet extends ToCSV {
  override format = 'parquet';
  /** Parquet types by column name, overriding the chosen ones, e.g. `{ amount: 'decimal(12,2)' }`. */
  types?: Readonly<Record<string, ParquetColumnType | (string & Record<never, never>)>>;
  /** Rows per row group. Default 16,384. */
  rowGroupSize?: number;

  protected override parquetOptions(): Omit<ParquetStreamOptions, 'onProgress'> {
    return {
      ...(this.types !== undefined ? { types: this.types } : {}),
      ...(this.rowGroupSize !== undefined ? { rowGroupSize: this.rowGroupSize } : {}),
    };
  }
}
