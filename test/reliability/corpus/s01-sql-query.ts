import { Task, ToCSV, Input } from '@bigrays/core';
import { SQLQuery } from '@bigrays/sql';

// The query comes from the environment so that one file serves several corpus cases.
@Task()
class Pull extends SQLQuery {
  query = process.env.RELI_SQL ?? 'select 1 as one';
  params = process.env.RELI_PARAMS ? (JSON.parse(process.env.RELI_PARAMS) as Record<string, unknown>) : undefined;
}

@Task()
class Export extends ToCSV {
  @Input(Pull) input!: unknown;
  filename = 'out/pulled.csv';
}
void Export;
