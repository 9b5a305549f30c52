import { Task, Input, ToCSV, bigraysRun } from '@bigrays/core';

@Task()
class Extract {
  run() {
    return [{ id: 1 }];
  }
}

@Task()
class Export extends ToCSV {
  @Input(Extract) input!: unknown;
  filename = 'out/never.csv';
}

// Wrong order: Export needs Extract's output.
await bigraysRun(Export, Extract);
