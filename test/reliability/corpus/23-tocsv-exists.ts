import { Task, ToCSV } from '@bigrays/core';

// out/existing.csv is created by the test before the run; overwrite defaults to false.
@Task()
class Export extends ToCSV {
  input = [{ id: 1 }];
  filename = 'out/existing.csv';
}
void Export;
