import { Task, ToCSV, updateFormatKws } from '@bigrays/core';

@Task()
class Export extends ToCSV {
  input = [{ id: 1 }];
  filename = 'out/{region}/{day}-{region}.csv';
}
void Export;
updateFormatKws({ unrelated: 'x' });
