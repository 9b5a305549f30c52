import { Task, Requires } from '@bigrays/core';

class NotAResource {
  connect() {}
}

@Task()
@Requires(NotAResource as never)
class Load {
  run() {}
}
void Load;
