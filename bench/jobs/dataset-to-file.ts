// Scenario 7: a 1M-row Dataset → a local file, as Parquet or as CSV.
//   BENCH_WRITE_AS=parquet bigrays bench/jobs/dataset-to-file.ts --param in=bench/data/rows-1000000.csv --param out=/tmp/x.parquet
//
// ReadCsv makes the Dataset from the reference CSV (as in scenario 4, no parsing); Write is then one of:
//   parquet        ToParquet(Dataset)                 decode the spool file, encode Parquet row groups
//   csv            ToCSV(Dataset)                     the spool file copied as is (what ToCSV does with a Dataset)
//   csv-rows       ToCSV(Dataset rows, decoded)       decode and re-encode CSV: the same per-row work as Parquet
import { Input, Task, ToCSV, ToParquet, type Dataset } from '@bigrays/core';
import { ReadCsv } from './read-csv.js';

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
