import { Task } from '@bigrays/core';

@Task()
class MakePredictions {
  run() {
    const rows = [{ id: 1 }];
    if (rows.length > 0) throw new Error('model is not fitted');
    return rows;
  }
}

void MakePredictions;
