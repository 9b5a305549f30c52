// The source task of the CSV jobs (csv-to-pg.ts, dataset-to-file.ts): the reference CSV made a Dataset as it is
// (its bytes streamed into the spool file, no parsing), with the bench table's column types.
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { DatasetWriter, Task, type ColumnType, type Dataset } from '@bigrays/core';

/** The bench table's columns (bench/lib/data.mjs). */
const TYPES: Record<string, ColumnType> = {
  id: 'bigint',
  qty: 'integer',
  name: 'text',
  city: 'text',
  amount: 'decimal',
  score: 'float',
  created_at: 'timestamp',
  active: 'boolean',
  note: 'text',
  batch: 'integer',
};

@Task()
export class ReadCsv {
  static templateAttributes = ['filename'];
  filename = '{in}';

  async run(): Promise<Dataset> {
    const file = await open(this.filename);
    const { buffer, bytesRead } = await file.read(Buffer.alloc(64 * 1024), 0, 64 * 1024, 0);
    await file.close();
    const end = buffer.subarray(0, bytesRead).indexOf(10);
    if (end < 0) throw new Error(`${this.filename}: no header line`);
    const names = buffer.subarray(0, end).toString('utf8').split(',');
    const writer = await DatasetWriter.create(names.map((name) => ({ name, type: TYPES[name] ?? 'text' })));
    // The bench data has no newline inside a value: one line per row.
    let rows = 0;
    const countLines = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) rows++;
        callback(null, chunk);
      },
    });
    await pipeline(createReadStream(this.filename, { start: end + 1, highWaterMark: 256 * 1024 }), countLines, writer.rawSink());
    return writer.finish(rows);
  }
}
