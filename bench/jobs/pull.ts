// The source task of the export jobs (db-to-csv.ts, pg-to-s3.ts): a whole table, spooled to a Dataset.
// The database comes from BIGRAYS_DB_DSN; the table from `--param table=…`.
import { Task } from '@bigrays/core';
import { SQLQuery } from '@bigrays/sql';

@Task()
export class Pull extends SQLQuery {
  query = 'select * from {table}';
  spool = true;
}
