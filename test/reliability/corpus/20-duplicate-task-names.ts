import { Task, ToCSV } from '@bigrays/core';

@Task({ name: 'Export' })
class ExportA extends ToCSV {
  input = [{ id: 1 }];
  filename = 'out/a.csv';
}

@Task({ name: 'Export' })
class ExportB extends ToCSV {
  input = [{ id: 2 }];
  filename = 'out/b.csv';
}
void [ExportA, ExportB];
