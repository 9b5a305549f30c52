import { Taks } from '@bigrays/core';

@Taks()
class Extract {
  run() {
    return 1;
  }
}
void Extract;
