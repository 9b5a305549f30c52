import { Task, Input, ToCSV } from '@bigrays/core';
import { ListS3Objects } from '@bigrays/aws';

@Task()
class List extends ListS3Objects {
  bucket = process.env.RELI_BUCKET!;
  prefix = 'reports/';
}

@Task()
class Export extends ToCSV {
  @Input(List) keys!: string[];
  input = [] as unknown;
  filename = 'out/keys.csv';
}
void Export;
