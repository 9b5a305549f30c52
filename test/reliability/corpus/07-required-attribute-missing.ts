import { Task, ToCSV } from '@bigrays/core';

@Task()
class Export extends ToCSV {
  input = [{ id: 1 }];
  // filename forgotten
}
void Export;
