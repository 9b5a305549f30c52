// Scenario 4: a CSV file (the psql export of the bench table) → a new PostgreSQL table.
//   bigrays bench/jobs/csv-to-pg.ts --param in=bench/data/rows-1000000.csv --param table=bench_load_bigrays
//
// ReadCsv turns the file into a Dataset without parsing it (the bytes are
// already the Dataset's CSV format: RFC 4180 with a header); SQLWrite then
// creates the table from the column types and loads it (COPY FROM on PostgreSQL).
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { DatasetWriter, Input, Task, type ColumnType, type Dataset } from '@bigrays/core';
import { SQLWrite } from '@bigrays/sql';

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
class ReadCsv {
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

@Task()
class Load extends SQLWrite {
  @Input(ReadCsv) input!: Dataset;
  table = '{table}';
  ifExists = 'replace' as const;
}

void Load;
