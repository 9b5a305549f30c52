import { Task } from '@bigrays/core';
import { ToS3 } from '@bigrays/aws';

@Task()
class Upload extends ToS3 {
  key = 'reports/x.csv';
  input = [{ id: 1 }];
}
void Upload;
