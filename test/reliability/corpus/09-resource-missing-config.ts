import { Task, Requires, Resource, ToCSV } from '@bigrays/core';

class Warehouse extends Resource {
  static requiredConfig = ['WAREHOUSE_URL', 'WAREHOUSE_USER'];
  open() {}
  close() {}
}

@Task()
class Export extends ToCSV {
  input = [{ id: 1 }];
  filename = 'out/never.csv';
}

@Task()
@Requires(Warehouse)
class Load {
  run() {}
}
void [Export, Load];
