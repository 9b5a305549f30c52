import { Task, ToCSV } from '@bigrays/core';

// out/ is a directory (created by the test).
@Task()
class Export extends ToCSV {
  input = [{ id: 1 }];
  filename = 'out';
}
void Export;
