/**
 * The generic spool: a query's rows streamed in batches into a local
 * Dataset file, for engines without a fast path of their own (PostgreSQL
 * without parameters uses COPY: `engines/postgres`).
 *
 * @module
 */
import { DatasetWriter, type Dataset } from '@bigrays/core';
import type { Engine, ProgressSink } from './engine.js';
import type { CompiledSql } from './sql-text.js';

/** Rows per batch when spooling. */
const STREAM_BATCH = 2000;

/** Spools the rows of `sql` into a Dataset, reporting progress at most every 100 ms. */
export async function spoolBatches(engine: Engine, compiled: CompiledSql, values: unknown[], progress: ProgressSink, signal: AbortSignal): Promise<Dataset> {
  let writer: DatasetWriter | undefined;
  let rows = 0;
  let last = 0;
  try {
    for await (const batch of engine.batches(compiled, values, STREAM_BATCH)) {
      writer ??= await DatasetWriter.create(batch.columns.map((c) => ({ name: c.name, type: c.type })));
      for (const row of batch.rows) {
        const wait = writer.writeRow(row);
        if (wait !== undefined) await wait;
      }
      rows += batch.rows.length;
      const now = Date.now();
      if (now - last >= 100) {
        last = now;
        progress({ rows });
      }
      if (signal.aborted) throw signal.reason;
    }
    writer ??= await DatasetWriter.create([]);
    const dataset = await writer.finish();
    progress({ rows, bytes: dataset.byteLength });
    return dataset;
  } catch (error) {
    await writer?.abort();
    throw error;
  }
}
