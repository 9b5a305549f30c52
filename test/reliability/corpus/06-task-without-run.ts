import { Task } from '@bigrays/core';

@Task()
class Extract {
  query = 'select 1';
  execute() {
    return 1;
  }
}
void Extract;
