import { Task, ToCSV } from '@bigrays/core';

@Task()
class Export extends ToCSV {
  input = 42 as unknown;
  filename = 'out/never.csv';
}
void Export;
