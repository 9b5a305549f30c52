/**
 * ListS3Objects: the keys under a prefix that end with a suffix, across
 * every page of results. The job first uploads a few files to list.
 *
 *   BIGRAYS_AWS_ENDPOINT_URL=http://127.0.0.1:5000 BIGRAYS_AWS_REGION=us-east-1 \
 *   BIGRAYS_S3_ACCESS_KEY_ID=testing BIGRAYS_S3_SECRET_ACCESS_KEY=testing \
 *   pnpm bigrays examples/aws/list-s3-objects.ts --param month=2026-03
 */
import { Input, Task, updateFormatKws } from '@bigrays/core';
import { ListS3Objects, S3Task, type S3Client } from '@bigrays/aws';
import { EnsureBucket } from './setup.js';

updateFormatKws({ bucket: 'bigrays-examples', month: '2026-01' });

@Task()
class CreateBucket extends EnsureBucket {}

/** A custom S3 task: writes a few report files with the resource's upload helper. */
@Task()
class WriteReports extends S3Task {
  static templateAttributes = ['bucket', 'month'];
  bucket = '{bucket}';
  month = '{month}';
  async run(s3: S3Client) {
    for (const name of ['sales.csv', 'returns.csv', 'notes.txt']) {
      await s3.upload(this.bucket, `reports/${this.month}/${name}`, `${name} for ${this.month}\n`, { overwrite: true });
    }
  }
}

@Task()
class MonthlyCsvReports extends ListS3Objects {
  bucket = '{bucket}';
  prefix = 'reports/{month}/';
  suffix = '.csv';
}

@Task()
class Show {
  @Input(MonthlyCsvReports) keys!: string[];
  run() {
    console.log(this.keys.join('\n'));
  }
}

void [CreateBucket, WriteReports, Show];
