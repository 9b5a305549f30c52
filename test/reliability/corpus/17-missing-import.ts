import { Task } from '@bigrays/core';
import { helper } from './does-not-exist.js';

@Task()
class Extract {
  run() {
    return helper();
  }
}
void Extract;
