/**
 * The functional interface: no job, no decorators, just `await` one task at
 * a time from any script (as `sql_query(...)`, `to_s3(...)` in the original).
 * Each call opens the resource it needs, runs one task, closes the resource
 * and resolves to the task's output (or rejects with the task's error).
 *
 *   node examples/functional/report.mjs
 *
 * Zero config: SQLite under the temp directory unless BIGRAYS_DB_DSN is set.
 * With the AWS variables set (see examples/predictions/README.md), it also
 * uploads the report to S3, reads it back and publishes to SNS:
 *
 *   BIGRAYS_AWS_ENDPOINT_URL=http://127.0.0.1:5000 BIGRAYS_AWS_REGION=us-east-1 \
 *   BIGRAYS_S3_ACCESS_KEY_ID=testing BIGRAYS_S3_SECRET_ACCESS_KEY=testing \
 *   node examples/functional/report.mjs
 *
 * Plain JavaScript, so that `node` runs it as is; the same calls work in
 * TypeScript (`const rows = await sqlQuery({ ... })`).
 */
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BigraysConfig, runTask, toCsv, updateFormatKws } from '@bigrays/core';
import { sqlExecute, sqlQuery, sqlWrite } from '@bigrays/sql';

const dir = join(tmpdir(), 'bigrays-examples');
mkdirSync(dir, { recursive: true });
BigraysConfig.DB_DSN ??= `sqlite:${join(dir, 'functional.sqlite')}`;
// Templates work as in jobs: {name} in a template attribute is a parameter.
updateFormatKws({ out: join(dir, 'top-pages.csv'), bucket: 'bigrays-examples', topic: 'bigrays-examples' });

// sqlExecute: a script in one transaction → rows affected.
await sqlExecute({ statement: 'drop table if exists visits; create table visits (page text, visitors integer, day text)' });

// sqlWrite: rows into a table → rows written.
const written = await sqlWrite({
  table: 'visits',
  input: [
    { page: '/pricing', visitors: 120, day: '2026-03-01' },
    { page: '/docs', visitors: 340, day: '2026-03-01' },
    { page: '/pricing', visitors: 95, day: '2026-03-02' },
    { page: '/docs', visitors: 310, day: '2026-03-02' },
    { page: '/blog', visitors: 40, day: '2026-02-27' },
  ],
  ifExists: 'append',
});
console.log(`sqlWrite: ${written} rows written`);

// sqlQuery: rows out, with bound parameters.
const rows = await sqlQuery({
  query: 'select page, sum(visitors) as visitors from visits where day >= :since group by page order by visitors desc',
  params: { since: '2026-03-01' },
});
console.log(`sqlQuery: ${JSON.stringify(rows)}`);

// toCsv: rows to a local file → its absolute path.
const path = await toCsv({ filename: '{out}', input: rows, overwrite: true });
console.log(`toCsv: wrote ${path}`);

if (!BigraysConfig.AWS_REGION) {
  console.log('S3 and SNS skipped: set BIGRAYS_AWS_REGION (and, for moto, BIGRAYS_AWS_ENDPOINT_URL and keys) to try them');
} else {
  // Imported only when needed: the SQL part above never loads the AWS SDK.
  const { toS3, fromS3, listS3Objects, snsPublish, snsPublishEmail, S3Task, SNSTask } = await import('@bigrays/aws');

  // runTask runs any task class the same way: here two small custom tasks that create the bucket and the topic.
  class CreateBucket extends S3Task {
    async run(s3) {
      const exists = await s3.client.send(new s3.sdk.HeadBucketCommand({ Bucket: this.bucket })).then(() => true, () => false);
      if (!exists) await s3.client.send(new s3.sdk.CreateBucketCommand({ Bucket: this.bucket }));
    }
  }
  class CreateTopic extends SNSTask {
    async run(sns) {
      await sns.client.send(new sns.sdk.CreateTopicCommand({ Name: this.topic }));
    }
  }
  await runTask(CreateBucket, { bucket: 'bigrays-examples' });
  await runTask(CreateTopic, { topic: 'bigrays-examples' });

  const uri = await toS3({ bucket: '{bucket}', key: 'functional/top-pages.csv', input: rows, overwrite: true });
  console.log(`toS3: uploaded ${uri}`);
  const keys = await listS3Objects({ bucket: '{bucket}', prefix: 'functional/', suffix: '.csv' });
  console.log(`listS3Objects: ${keys.join(', ')}`);
  const back = await fromS3({ bucket: '{bucket}', key: 'functional/top-pages.csv', as: 'csv' });
  console.log(`fromS3: ${JSON.stringify(back)}`);
  const id = await snsPublish({ topic: '{topic}', input: { event: 'report-ready', uri } });
  console.log(`snsPublish: message ${id}`);
  await snsPublishEmail({ topic: '{topic}', subject: 'Top pages report', input: `The top pages report is at ${uri}` });
  console.log('snsPublishEmail: sent');
}
