import { Task } from '@bigrays/core';
import { ToS3 } from '@bigrays/aws';

@Task()
class Upload extends ToS3 {
  bucket = process.env.RELI_BUCKET!;
  key = process.env.RELI_KEY!;
  input = process.env.RELI_INPUT === 'number' ? (42 as unknown) : process.env.RELI_INPUT === 'object' ? ({ id: 1 } as unknown) : [{ id: 1, label: 'new' }];
  overwrite = process.env.RELI_OVERWRITE === 'true';
}
void Upload;
