import type { ParquetColumnType } from '../formats/parquet/schema.js';
import { ToParquet } from '../tasks/to-parquet.js';
import { runTask } from './run-task.js';

/** Writes rows or a Dataset to a Parquet file (see `ToParquet`); resolves to the absolute path. */
export function toParquet(attributes: {
  filename: string;
  input: unknown;
  overwrite?: boolean;
  types?: Record<string, ParquetColumnType | (string & Record<never, never>)>;
  rowGroupSize?: number;
}): Promise<string> {
  return runTask(ToParquet, attributes);
}
