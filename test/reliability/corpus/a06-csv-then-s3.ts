import { Task, ToCSV } from '@bigrays/core';
import { ToS3 } from '@bigrays/aws';

// A task that needs no AWS runs first: bad AWS configuration must stop the job before it (exit 2, nothing written).
@Task()
class Export extends ToCSV {
  input = [{ id: 1 }];
  filename = 'out/first.csv';
}

@Task()
class Upload extends ToS3 {
  bucket = 'reli-never';
  key = 'never.csv';
  input = [{ id: 1 }];
}
void [Export, Upload];
