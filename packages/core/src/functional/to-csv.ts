import { ToCSV } from '../tasks/to-csv.js';
import { runTask } from './run-task.js';

/** Writes `input` (rows, Dataset, text, bytes, stream) to a CSV file; resolves to the absolute path. */
export function toCsv(attributes: {
  filename: string;
  input: unknown;
  overwrite?: boolean;
  format?: 'csv' | 'jsonl';
  compression?: 'none' | 'gzip';
}): Promise<string> {
  return runTask(ToCSV, attributes);
}
