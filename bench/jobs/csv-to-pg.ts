// Scenario 4: a CSV file (the psql export of the bench table) → a new PostgreSQL table.
//   bigrays bench/jobs/csv-to-pg.ts --param in=bench/data/rows-1000000.csv --param table=bench_load_bigrays
//
// ReadCsv turns the file into a Dataset without parsing it (the bytes are
// already the Dataset's CSV format: RFC 4180 with a header); SQLWrite then
// creates the table from the column types and loads it (COPY FROM on PostgreSQL).
import { Input, Task, type Dataset } from '@bigrays/core';
import { SQLWrite } from '@bigrays/sql';
import { ReadCsv } from './read-csv.js';

@Task()
class Load extends SQLWrite {
  @Input(ReadCsv) input!: Dataset;
  table = '{table}';
  ifExists = 'replace' as const;
}

void Load;
