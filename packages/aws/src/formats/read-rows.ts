/**
 * `FromS3`'s JSON Lines and Parquet readers.
 *
 * @module
 */
import { parseJsonLines, parquetRows } from '@bigrays/core/plugin';
import { type Row } from '@bigrays/core';
import { taskError } from '../errors.js';

/** What the readers report progress to. */
interface RowProgress {
  add(bytes: number, rows: number): void;
}

/** Parses a JSON Lines body into rows. */
export async function jsonlRows(source: AsyncIterable<Buffer>, progress: RowProgress): Promise<Row[]> {
  const rows: Row[] = [];
  try {
    for await (const batch of parseJsonLines(source)) {
      for (const row of batch) rows.push(row);
      progress.add(0, batch.length);
    }
  } catch (error) {
    if (error instanceof SyntaxError || (error instanceof TypeError && /^JSON Lines line/.test(error.message))) {
      throw taskError('FromS3', `${error.message}; is the object JSON Lines (as = 'jsonl')?`, { cause: error });
    }
    throw error;
  }
  return rows;
}

/** Reads a whole Parquet object into rows. */
export async function parquetObjectRows(bytes: Buffer, uri: string, progress: RowProgress): Promise<Row[]> {
  let rows: Row[];
  try {
    rows = await parquetRows(bytes);
  } catch (error) {
    throw taskError('FromS3', `${uri} is not a readable Parquet file: ${(error as Error)?.message ?? error}; check the key and \`as\``, {
      cause: error,
    });
  }
  progress.add(0, rows.length);
  return rows;
}
