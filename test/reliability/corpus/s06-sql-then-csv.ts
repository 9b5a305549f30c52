import { Task, ToCSV } from '@bigrays/core';
import { SQLQuery } from '@bigrays/sql';

// A task that needs no database runs first: a bad DB_DSN must stop the job before it (exit 2, nothing written).
@Task()
class Export extends ToCSV {
  input = [{ id: 1 }];
  filename = 'out/first.csv';
}

@Task()
class Pull extends SQLQuery {
  query = 'select 1 as one';
}
void [Export, Pull];
