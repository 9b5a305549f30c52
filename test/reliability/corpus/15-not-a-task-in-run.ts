import { Task, ToCSV, bigraysRun } from '@bigrays/core';

@Task()
class Export extends ToCSV {
  input = [{ id: 1 }];
  filename = 'out/never.csv';
}

class Helper {
  run() {}
}

await bigraysRun(Export, Helper as never);
