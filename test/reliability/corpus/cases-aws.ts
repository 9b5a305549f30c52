/**
 * S3 and SNS cases of the bad-input corpus (see cases.ts), against moto
 * directly (no fault proxy). The AWS secret key of the environment is a
 * distinctive secret that must never be printed.
 */
import type { CaseContext, CorpusCase } from './cases.js';
import { motoUrl, s3CreateBucket, s3Get, s3Keys, s3OpenUploads, s3Put, snsTopicWithQueue, sqsMessages } from '../../support/aws.js';
import { SECRETS } from '../../support/secrets.js';

const aws: CorpusCase['needs'] = ['aws', 'moto'];

const bucketFor = (ctx: CaseContext) => `reli-corpus-${ctx.unique}`;
const topicFor = (ctx: CaseContext) => `reli-corpus-${ctx.unique}`;
const queues = new Map<string, string>();

/** moto as the endpoint, a fresh bucket, RELI_BUCKET/RELI_KEY for the job. */
async function withBucket(ctx: CaseContext, key = 'reports/out.csv'): Promise<void> {
  ctx.env.BIGRAYS_AWS_ENDPOINT_URL = motoUrl();
  ctx.env.RELI_BUCKET ??= bucketFor(ctx);
  ctx.env.RELI_KEY ??= key;
  if (ctx.env.RELI_BUCKET === bucketFor(ctx)) await s3CreateBucket(bucketFor(ctx));
}

/** The bucket holds nothing: no object and no open multipart upload. */
async function emptyBucket(ctx: CaseContext): Promise<void> {
  const keys = await s3Keys(bucketFor(ctx));
  const uploads = await s3OpenUploads(bucketFor(ctx));
  if (keys.length > 0 || uploads.length > 0) throw new Error(`bucket not empty: ${JSON.stringify({ keys, uploads })}`);
}

async function withTopic(ctx: CaseContext): Promise<void> {
  ctx.env.BIGRAYS_AWS_ENDPOINT_URL = motoUrl();
  const { topicArn, queueUrl } = await snsTopicWithQueue(topicFor(ctx));
  queues.set(ctx.unique, queueUrl);
  ctx.env.RELI_TOPIC ??= topicArn;
}

async function nothingPublished(ctx: CaseContext): Promise<void> {
  const messages = await sqsMessages(queues.get(ctx.unique)!);
  if (messages.length > 0) throw new Error(`published: ${messages.join(' | ').slice(0, 200)}`);
}

export const CASES: CorpusCase[] = [
  {
    id: 'a01 ToS3 to a bucket that does not exist',
    job: 'a01-to-s3.ts',
    needs: aws,
    env: { RELI_BUCKET: 'reli-no-such-bucket', RELI_KEY: 'x.csv' },
    code: 1,
    message:
      "bigrays: job failed (failed: Upload)\n  ✖ Upload: cannot upload to s3://reli-no-such-bucket/x.csv: the bucket 'reli-no-such-bucket' does not exist; check the bucket name and BIGRAYS_AWS_REGION\n    cause: The specified bucket does not exist",
    setup: (ctx) => withBucket(ctx),
  },
  {
    id: 'a02 ToS3 of an unsupported input type (a number): no object',
    job: 'a01-to-s3.ts',
    needs: aws,
    env: { RELI_INPUT: 'number' },
    code: 1,
    message:
      'bigrays: job failed (failed: Upload)\n  ✖ Upload: Upload.input must be an array of row objects, a Dataset, an iterable or async iterable of row objects, a string, a Buffer/Uint8Array, or a Readable stream; got number (42)',
    setup: (ctx) => withBucket(ctx),
    nothingWritten: emptyBucket,
  },
  {
    id: 'a03 ToS3 of an unsupported input type (a plain object): no object',
    job: 'a01-to-s3.ts',
    needs: aws,
    env: { RELI_INPUT: 'object' },
    code: 1,
    message:
      'bigrays: job failed (failed: Upload)\n  ✖ Upload: Upload.input must be an array of row objects, a Dataset, an iterable or async iterable of row objects, a string, a Buffer/Uint8Array, or a Readable stream; got a plain object (not a table)',
    setup: (ctx) => withBucket(ctx),
    nothingWritten: emptyBucket,
  },
  {
    id: 'a04 ToS3 with overwrite = false onto an existing object (left untouched)',
    job: 'a01-to-s3.ts',
    needs: aws,
    code: 1,
    message: /^bigrays: job failed \(failed: Upload\)\n {2}✖ Upload: s3:\/\/reli-corpus-[0-9a-f]{8}\/reports\/existing\.csv already exists and was left untouched; set `overwrite = true` on the task to replace it, or choose another key$/,
    setup: async (ctx) => {
      await withBucket(ctx, 'reports/existing.csv');
      await s3Put(bucketFor(ctx), 'reports/existing.csv', 'precious\n');
    },
    nothingWritten: async (ctx) => {
      const body = await s3Get(bucketFor(ctx), 'reports/existing.csv');
      if (body?.toString() !== 'precious\n') throw new Error(`the object was changed: ${body?.toString().slice(0, 80)}`);
      if ((await s3OpenUploads(bucketFor(ctx))).length > 0) throw new Error('an open multipart upload remains');
    },
  },
  {
    id: 'a05 FromS3 of a key that does not exist',
    job: 'a02-from-s3.ts',
    needs: aws,
    env: { RELI_KEY: 'reports/nope.csv' },
    code: 1,
    message: /^bigrays: job failed \(failed: Download; skipped: Export\)\n {2}✖ Download: s3:\/\/reli-corpus-[0-9a-f]{8}\/reports\/nope\.csv does not exist \(no object with key 'reports\/nope\.csv' in bucket 'reli-corpus-[0-9a-f]{8}'\)\n {4}cause: The specified key does not exist\.$/,
    setup: (ctx) => withBucket(ctx),
  },
  {
    id: 'a06 FromS3 from a bucket that does not exist',
    job: 'a02-from-s3.ts',
    needs: aws,
    env: { RELI_BUCKET: 'reli-no-such-bucket', RELI_KEY: 'nope.csv' },
    code: 1,
    message:
      "bigrays: job failed (failed: Download; skipped: Export)\n  ✖ Download: cannot read s3://reli-no-such-bucket/nope.csv: the bucket 'reli-no-such-bucket' does not exist (s3://reli-no-such-bucket/nope.csv); check the bucket name and BIGRAYS_AWS_REGION\n    cause: The specified bucket does not exist",
    setup: (ctx) => withBucket(ctx),
  },
  {
    id: "a07 FromS3 with an unknown 'as'",
    job: 'a02-from-s3.ts',
    needs: aws,
    env: { RELI_AS: 'xml' },
    code: 1,
    message: 'bigrays: job failed (failed: Download; skipped: Export)\n  ✖ Download: Download.as must be \'buffer\', \'text\', \'csv\', \'jsonl\' or \'parquet\'; got "xml"',
    setup: async (ctx) => {
      await withBucket(ctx, 'reports/in.csv');
      await s3Put(bucketFor(ctx), 'reports/in.csv', 'id\n1\n');
    },
  },
  {
    id: 'a08 FromS3 as csv of a file that is not CSV',
    job: 'a02-from-s3.ts',
    needs: aws,
    code: 1,
    message: 'bigrays: job failed (failed: Download; skipped: Export)\n  ✖ Download: CSV record 1 (after the header) has 3 fields but the header has 1',
    setup: async (ctx) => {
      await withBucket(ctx, 'reports/in.csv');
      await s3Put(bucketFor(ctx), 'reports/in.csv', 'just a line\nthen,three,fields\n');
    },
  },
  {
    id: 'a09 ListS3Objects of a bucket that does not exist',
    job: 'a03-list-s3.ts',
    needs: aws,
    env: { RELI_BUCKET: 'reli-no-such-bucket' },
    code: 1,
    message:
      "bigrays: job failed (failed: List; skipped: Export)\n  ✖ List: cannot list s3://reli-no-such-bucket/reports/: the bucket 'reli-no-such-bucket' does not exist (s3://reli-no-such-bucket); check the bucket name and BIGRAYS_AWS_REGION\n    cause: The specified bucket does not exist",
    setup: (ctx) => withBucket(ctx),
  },
  {
    id: 'a10 ToS3 without bucket',
    job: 'a05-to-s3-missing-bucket.ts',
    needs: ['aws'],
    code: 2,
    message: "bigrays: Upload lacks required attribute 'bucket' (required by ToS3): set `bucket = ...` in the class or mark it with @Input(...)",
  },
  {
    id: 'a11 AWS_REGION missing (nothing runs)',
    job: 'a06-csv-then-s3.ts',
    needs: ['aws'],
    env: { BIGRAYS_AWS_REGION: '' },
    code: 2,
    message:
      'bigrays: missing configuration: set BIGRAYS_AWS_REGION (for S3Client, needed by Upload). Export the environment variables, or assign BigraysConfig.<KEY> in the job',
  },
  {
    id: 'a12 an access key id without its secret (nothing runs)',
    job: 'a06-csv-then-s3.ts',
    needs: ['aws'],
    env: { BIGRAYS_S3_SECRET_ACCESS_KEY: '', BIGRAYS_AWS_SECRET_ACCESS_KEY: '' },
    code: 2,
    message:
      'bigrays: missing configuration: set BIGRAYS_S3_SECRET_ACCESS_KEY (for S3Client, needed by Upload). Export the environment variables, or assign BigraysConfig.<KEY> in the job',
  },
  {
    id: 'a13 AWS_ENDPOINT_URL that is not an http(s) URL: invalid configuration, nothing runs',
    job: 'a06-csv-then-s3.ts',
    needs: ['aws'],
    env: { BIGRAYS_AWS_ENDPOINT_URL: 'ftp://x' },
    code: 2,
    message: /^bigrays: BIGRAYS_AWS_ENDPOINT_URL must be an http:\/\/ or https:\/\/ URL.*; got 'ftp:\/\/x'$/,
    // Was bug A1: found only when S3Client opened, exit 1 after Export had written out/first.csv.
  },
  {
    id: 'a13b AWS_ENDPOINT_URL that is not a URL at all: invalid configuration, nothing runs',
    job: 'a06-csv-then-s3.ts',
    needs: ['aws'],
    env: { BIGRAYS_AWS_ENDPOINT_URL: 'not a url' },
    code: 2,
    message: /^bigrays: BIGRAYS_AWS_ENDPOINT_URL must be an http:\/\/ or https:\/\/ URL.*; got 'not a url'$/,
  },
  {
    id: 'a13c AWS_ENDPOINT_URL with user info: invalid configuration, the password is not shown',
    job: 'a06-csv-then-s3.ts',
    needs: ['aws'],
    env: { BIGRAYS_AWS_ENDPOINT_URL: `ftp://user:${SECRETS.token}@x` },
    code: 2,
    message: /^bigrays: BIGRAYS_AWS_ENDPOINT_URL must be an http:\/\/ or https:\/\/ URL.*; got 'ftp:\/\/\*\*\*\*@x'$/,
  },
  {
    id: 'a14 SNS topic (by name) that does not exist',
    job: 'a04-sns.ts',
    needs: aws,
    env: { RELI_TOPIC: 'reli-no-such-topic' },
    code: 1,
    message: /^bigrays: job failed \(failed: Notify\)\n {2}✖ Notify: SNS topic 'reli-no-such-topic' does not exist in region us-east-1 \(\d+ topics? there\); create it, check BIGRAYS_AWS_REGION, or set the topic ARN$/,
    setup: (ctx) => void (ctx.env.BIGRAYS_AWS_ENDPOINT_URL = motoUrl()),
  },
  {
    id: 'a15 SNS topic (by ARN) that does not exist',
    job: 'a04-sns.ts',
    needs: aws,
    env: { RELI_TOPIC: 'arn:aws:sns:us-east-1:123456789012:reli-no-such-topic' },
    code: 1,
    message:
      'bigrays: job failed (failed: Notify)\n  ✖ Notify: SNS topic arn:aws:sns:us-east-1:123456789012:reli-no-such-topic does not exist; create it, check BIGRAYS_AWS_REGION, or fix the topic\n    cause: Endpoint does not exist',
    setup: (ctx) => void (ctx.env.BIGRAYS_AWS_ENDPOINT_URL = motoUrl()),
  },
  {
    id: 'a16 an SNS message too large: nothing published',
    job: 'a04-sns.ts',
    needs: aws,
    env: { RELI_SNS_BYTES: '300000' },
    code: 1,
    message:
      'bigrays: job failed (failed: Notify)\n  ✖ Notify: the message is 300000 bytes; SNS accepts at most 262144 (256 KiB). Upload the payload to S3 (ToS3) and send its s3:// URI instead',
    setup: withTopic,
    nothingWritten: nothingPublished,
  },
  {
    id: 'a17 an SNS subject too long: nothing published',
    job: 'a04-sns.ts',
    needs: aws,
    env: { RELI_SUBJECT: 'S'.repeat(120) },
    code: 1,
    message: `bigrays: job failed (failed: Notify)\n  ✖ Notify: invalid email subject "${'S'.repeat(120)}": it has 120 characters; SNS allows at most 100`,
    setup: withTopic,
    nothingWritten: nothingPublished,
  },
  {
    id: 'a18 AWS endpoint not listening',
    job: 'a04-sns.ts',
    needs: ['aws'],
    env: { BIGRAYS_AWS_ENDPOINT_URL: 'http://127.0.0.1:1', RELI_TOPIC: 'reli-topic' },
    code: 1,
    message:
      'bigrays: job failed (failed: Notify)\n  ✖ Notify: cannot list the SNS topics: ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:1 (the endpoint could not be reached: check BIGRAYS_AWS_ENDPOINT_URL / BIGRAYS_AWS_REGION and the network)',
  },
];
