import { Task, ToCSV, Input } from '@bigrays/core';

@Task()
class Extract {
  run(): unknown[] {
    throw new TypeError("Cannot read properties of undefined (reading 'rows')");
  }
}

@Task()
class Export extends ToCSV {
  @Input(Extract) input!: unknown;
  filename = 'out/never.csv';
}
void Export;
