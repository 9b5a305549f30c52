/**
 * FromS3: download an object as a Buffer, text, or the rows of a CSV file.
 * The job first uploads a small CSV so that there is something to read.
 *
 *   BIGRAYS_AWS_ENDPOINT_URL=http://127.0.0.1:5000 BIGRAYS_AWS_REGION=us-east-1 \
 *   BIGRAYS_S3_ACCESS_KEY_ID=testing BIGRAYS_S3_SECRET_ACCESS_KEY=testing \
 *   pnpm bigrays examples/aws/from-s3.ts
 */
import { Input, Task, updateFormatKws, type Row } from '@bigrays/core';
import { FromS3, ToS3 } from '@bigrays/aws';
import { EnsureBucket } from './setup.js';

updateFormatKws({ bucket: 'bigrays-examples' });

@Task()
class CreateBucket extends EnsureBucket {}

@Task()
class SeedCsv extends ToS3 {
  bucket = '{bucket}';
  key = 'inputs/customers.csv';
  input = 'id,name,country\n1,"Doe, Jane",FR\n2,Zoë,\n';
  contentType = 'text/csv';
  overwrite = true;
}

@Task()
class ReadCustomers extends FromS3 {
  bucket = '{bucket}';
  key = 'inputs/customers.csv';
  // 'buffer' (default), 'text' or 'csv' (rows; values are strings, an empty field is null).
  as = 'csv';
}

@Task()
class Show {
  @Input(ReadCustomers) rows!: Row[];
  run() {
    console.log(JSON.stringify(this.rows));
  }
}

void [CreateBucket, SeedCsv, Show];
