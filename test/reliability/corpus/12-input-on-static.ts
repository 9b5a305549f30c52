import { Task, Input } from '@bigrays/core';

@Task()
class Extract {
  run() {
    return 1;
  }
}

@Task()
class Report {
  @Input(Extract) static rows: unknown;
  run() {}
}
void Report;
