// Scenarios 1 and 2: a table → a local CSV file, through a spooled Dataset.
// The database comes from BIGRAYS_DB_DSN (PostgreSQL or MariaDB).
//   bigrays bench/jobs/db-to-csv.ts --param table=bench_rows_1000000 --param out=/tmp/x.csv
import { Input, Task, ToCSV } from '@bigrays/core';
import { Pull } from './pull.js';

@Task()
class Write extends ToCSV {
  @Input(Pull) input!: unknown;
  filename = '{out}';
  overwrite = true;
}

void Write;
