import { Task, Input, ToCSV } from '@bigrays/core';

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
void Export;
