import { Task, Input, ToCSV } from '@bigrays/core';
import { FromS3 } from '@bigrays/aws';

@Task()
class Download extends FromS3 {
  bucket = process.env.RELI_BUCKET!;
  key = process.env.RELI_KEY!;
  as = (process.env.RELI_AS ?? 'csv') as 'csv';
}

@Task()
class Export extends ToCSV {
  @Input(Download) input!: unknown;
  filename = 'out/downloaded.csv';
}
void Export;
