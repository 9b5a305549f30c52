import { Task } from '@bigrays/core';

@Task({ retries: -1 })
class Flaky {
  run() {}
}
void Flaky;
