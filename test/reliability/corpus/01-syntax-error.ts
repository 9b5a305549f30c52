import { Task } from '@bigrays/core';

@Task()
class Broken {
  run() {
    return { a: 1, b: 2;
  }
}
