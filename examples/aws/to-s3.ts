/**
 * ToS3: upload rows as a CSV file (with a header) to S3.
 *
 * Against moto (`moto_server -p 5000`) or LocalStack:
 *
 *   BIGRAYS_AWS_ENDPOINT_URL=http://127.0.0.1:5000 BIGRAYS_AWS_REGION=us-east-1 \
 *   BIGRAYS_S3_ACCESS_KEY_ID=testing BIGRAYS_S3_SECRET_ACCESS_KEY=testing \
 *   pnpm bigrays examples/aws/to-s3.ts --param run_date=2026-03-01
 *
 * Against AWS, leave out the endpoint and the keys (the SDK's credential
 * chain is used) and pass `--param bucket=<your bucket>`.
 */
import { Input, Task, updateFormatKws } from '@bigrays/core';
import { ToS3 } from '@bigrays/aws';
import { EnsureBucket } from './setup.js';

updateFormatKws({ bucket: 'bigrays-examples', run_date: '2026-01-01' });

@Task()
class CreateBucket extends EnsureBucket {}

@Task()
class MakePredictions {
  run() {
    return [
      { customer: 'ACME, Inc.', churn_risk: 0.82, note: 'called "twice"' },
      { customer: 'Zürich GmbH', churn_risk: 0.11, note: null },
    ];
  }
}

@Task()
class UploadPredictions extends ToS3 {
  @Input(MakePredictions) input!: Record<string, unknown>[];
  bucket = '{bucket}';
  key = 'predictions/{run_date}/predictions.csv';
  // Re-runs replace the file; the default (false) refuses to overwrite an existing object.
  overwrite = true;
}

@Task()
class Announce {
  @Input(UploadPredictions) uri!: string;
  run() {
    console.log(`Uploaded ${this.uri}`);
  }
}

void [CreateBucket, Announce];
