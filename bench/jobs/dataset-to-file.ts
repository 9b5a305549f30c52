// Scenario 7: a 1M-row Dataset → a local file, as Parquet or as CSV.
//   BENCH_WRITE_AS=parquet bigrays bench/jobs/dataset-to-file.ts --param in=bench/data/rows-1000000.csv --param out=/tmp/x.parquet
//
// ReadCsv makes the Dataset from the reference CSV (as in scenario 4, no parsing); Write is then one of:
//   parquet        ToParquet(Dataset)                 decode the spool file, encode Parquet row groups
//   csv            ToCSV(Dataset)                     the spool file copied as is (what ToCSV does with a Dataset)
//   csv-rows       ToCSV(Dataset rows, decoded)       decode and re-encode CSV: the same per-row work as Parquet
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { DatasetWriter, Input, Task, ToCSV, ToParquet, type ColumnType, type Dataset } from '@bigrays/core';

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

// From the environment: the tasks are declared when the module loads, before --param values apply.
const as = process.env.BENCH_WRITE_AS ?? 'parquet';

if (as === 'parquet') {
  @Task()
  class Write extends ToParquet {
    @Input(ReadCsv) input!: Dataset;
    filename = '{out}';
    overwrite = true;
  }
  void Write;
} else if (as === 'csv') {
  @Task()
  class Write extends ToCSV {
    @Input(ReadCsv) input!: Dataset;
    filename = '{out}';
    overwrite = true;
  }
  void Write;
} else {
  @Task()
  class Decode {
    @Input(ReadCsv) ds!: Dataset;
    run() {
      // An async iterable of decoded rows: ToCSV encodes them again.
      return { [Symbol.asyncIterator]: () => this.ds.rows() };
    }
  }
  @Task()
  class Write extends ToCSV {
    @Input(Decode) input!: unknown;
    filename = '{out}';
    overwrite = true;
  }
  void Write;
}
