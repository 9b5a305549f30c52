import { Task, Input, ToCSV } from '@bigrays/core';

@Task()
class Extract {
  run() {
    return [{ id: 1 }, { id: 2 }];
  }
}

@Task()
class Transform {
  @Input(Extract) rows!: { id: number }[];
  run() {
    return this.rows.map((r) => ({ id: r.id * 10 }));
  }
}

@Task()
class Export extends ToCSV {
  @Input(Transform) input!: unknown;
  filename = 'out/{day}.csv';
}
void Export;
