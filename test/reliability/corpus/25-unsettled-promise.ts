import { Task, ToCSV, Input } from '@bigrays/core';

// A task awaiting a promise nothing will ever settle (a forgotten resolve()).
@Task()
class Extract {
  run() {
    return new Promise<unknown[]>(() => undefined);
  }
}

@Task()
class Export extends ToCSV {
  @Input(Extract) input!: unknown;
  filename = 'out/never.csv';
}
void Export;
