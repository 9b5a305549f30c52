import { Task } from '@bigrays/core';

@Task()
class Extract {
  constructor(private readonly table: string) {
    if (table === undefined) throw new Error('table is required');
  }
  run() {
    return this.table;
  }
}
void Extract;
