// A JavaScript job without decorators (runs on any Node): Task() and Input() called as functions.
import { Input, Task } from '@bigrays/core';

class Extract {
  run() {
    return [1, 2, 3];
  }
}
Task()(Extract);

class Sum {
  run() {
    return this.rows.reduce((a, b) => a + b, 0);
  }
}
Input(Extract)(Sum.prototype, 'rows');
Task()(Sum);

class Show {
  run() {
    console.log(`sum=${this.total}`);
  }
}
Input(Sum)(Show.prototype, 'total');
Task()(Show);
