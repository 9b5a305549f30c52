import { Task, Input, ToCSV } from '@bigrays/core';

@Task()
class Clean {
  @Input(() => Score) scores!: unknown[];
  run() {
    return this.scores;
  }
}

@Task()
class Score {
  @Input(() => Publish) published!: unknown[];
  run() {
    return this.published;
  }
}

@Task()
class Publish extends ToCSV {
  @Input(() => Clean) input!: unknown;
  filename = 'out/never.csv';
}
void [Clean, Score, Publish];
