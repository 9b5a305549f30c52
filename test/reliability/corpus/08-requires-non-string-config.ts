import { Task, Requires, Resource } from '@bigrays/core';

class Warehouse extends Resource {
  open() {}
  close() {}
}

@Task()
// A number where configuration values are strings.
@Requires(Warehouse, { WAREHOUSE_PORT: 5439 as unknown as string })
class Load {
  run() {}
}
void Load;
