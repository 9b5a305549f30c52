// A Python user's habit: subclassing a built-in task is enough in the original. Here it needs @Task().
import { Task, ToCSV } from '@bigrays/core';

@Task()
class Rows {
  run() {
    return [{ id: 1 }];
  }
}

// Forgot @Task(): must not be silently left out of the run.
class WriteRows extends ToCSV {
  filename = '/tmp/never-written.csv';
  input = [{ id: 1 }];
}

void Rows;
void WriteRows;
