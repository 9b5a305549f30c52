// Scenario 3: a PostgreSQL table → an S3 object (moto in the benchmark), through a spooled Dataset.
//   bigrays bench/jobs/pg-to-s3.ts --param table=bench_rows_1000000 --param bucket=b --param key=k.csv
// Configuration from the environment: BIGRAYS_DB_DSN, BIGRAYS_AWS_ENDPOINT_URL, BIGRAYS_AWS_REGION,
// BIGRAYS_S3_ACCESS_KEY_ID, BIGRAYS_S3_SECRET_ACCESS_KEY.
import { Input, Task } from '@bigrays/core';
import { ToS3 } from '@bigrays/aws';
import { Pull } from './pull.js';

@Task()
class Upload extends ToS3 {
  @Input(Pull) input!: unknown;
  bucket = '{bucket}';
  key = '{key}';
  overwrite = true;
}

void Upload;
