// A .js job with decorators in a "type": "commonjs" project: Node 20 can parse neither; bigrays compiles it.
import { Input, Task } from '@bigrays/core';

@Task()
class Extract {
  run() {
    return [1, 2, 3];
  }
}

@Task()
class Show {
  @Input(Extract) rows;
  run() {
    console.log(`rows=${this.rows.join(',')}`);
  }
}
