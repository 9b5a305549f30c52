/**
 * Shared by the AWS integration tests: configuration for the moto server the
 * Jest global setup started, unique names, and direct SDK clients (not the
 * code under test) to prepare and check what the tasks did.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { expect } from '@jest/globals';
import { BigraysConfig, JobFailedError } from '@bigrays/core';
import {
  CreateBucketCommand,
  HeadObjectCommand,
  GetObjectCommand,
  ListMultipartUploadsCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client as SdkS3Client,
  type HeadObjectCommandOutput,
} from '@aws-sdk/client-s3';
import { CreateTopicCommand, SNSClient as SdkSNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { constructQuietly } from '../src/aws-config.js';
import { motoEndpoint } from '../../../test/support/services.js';
import { messages } from '../../../test/support/errors.js';

export const REGION = 'us-east-1';

/** Points BigraysConfig at moto (dummy keys, as moto accepts any). */
export function useMoto(): void {
  BigraysConfig.AWS_ENDPOINT_URL = motoEndpoint();
  BigraysConfig.AWS_REGION = REGION;
  BigraysConfig.S3_ACCESS_KEY_ID = 'testing';
  BigraysConfig.S3_SECRET_ACCESS_KEY = 'testing';
  delete BigraysConfig.AWS_ACCESS_KEY_ID;
  delete BigraysConfig.AWS_SECRET_ACCESS_KEY;
}

/** A name no other test uses (bucket names: lower case, digits, dashes). */
export function unique(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`;
}

const options = () => ({
  endpoint: motoEndpoint(),
  region: REGION,
  credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
});

let s3: SdkS3Client | undefined;
let sns: SdkSNSClient | undefined;
let sqs: SQSClient | undefined;

/** Direct SDK clients for preparing and checking (closed by `closeDirectClients`). */
export const direct = {
  get s3(): SdkS3Client {
    return (s3 ??= constructQuietly(() => new SdkS3Client({ ...options(), forcePathStyle: true })));
  },
  get sns(): SdkSNSClient {
    return (sns ??= constructQuietly(() => new SdkSNSClient(options())));
  },
  get sqs(): SQSClient {
    return (sqs ??= constructQuietly(() => new SQSClient(options())));
  },
};

export function closeDirectClients(): void {
  for (const c of [s3, sns, sqs]) c?.destroy();
  s3 = sns = sqs = undefined;
}

export async function createBucket(prefix = 'bucket'): Promise<string> {
  const bucket = unique(prefix);
  await direct.s3.send(new CreateBucketCommand({ Bucket: bucket }));
  return bucket;
}

export async function putObject(bucket: string, key: string, body: string | Buffer): Promise<void> {
  await direct.s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
}

/** The object's bytes, or undefined when it does not exist. */
export async function getObject(bucket: string, key: string): Promise<Buffer | undefined> {
  try {
    const out = await direct.s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    return Buffer.from(await out.Body!.transformToByteArray());
  } catch (error) {
    if ((error as Error).name === 'NoSuchKey') return undefined;
    throw error;
  }
}

export async function headObject(bucket: string, key: string): Promise<HeadObjectCommandOutput> {
  return direct.s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
}

export async function keysOf(bucket: string): Promise<string[]> {
  const out = await direct.s3.send(new ListObjectsV2Command({ Bucket: bucket }));
  return (out.Contents ?? []).map((o) => o.Key!);
}

/** Multipart uploads started and neither completed nor aborted. */
export async function openUploads(bucket: string): Promise<string[]> {
  const out = await direct.s3.send(new ListMultipartUploadsCommand({ Bucket: bucket }));
  return (out.Uploads ?? []).map((u) => `${u.Key} ${u.UploadId}`);
}

export async function createTopic(prefix = 'topic'): Promise<{ name: string; arn: string }> {
  const name = unique(prefix);
  const out = await direct.sns.send(new CreateTopicCommand({ Name: name }));
  return { name, arn: out.TopicArn! };
}

/** An SQS queue subscribed to the topic, raw message delivery off (bodies are SNS JSON envelopes). */
export async function subscribeQueue(topicArn: string): Promise<{ receive(count?: number, waitMs?: number): Promise<SnsEnvelope[]> }> {
  const queue = await direct.sqs.send(new CreateQueueCommand({ QueueName: unique('queue') }));
  const attributes = await direct.sqs.send(new GetQueueAttributesCommand({ QueueUrl: queue.QueueUrl, AttributeNames: ['QueueArn'] }));
  await direct.sns.send(
    new SubscribeCommand({
      TopicArn: topicArn,
      Protocol: 'sqs',
      Endpoint: attributes.Attributes!.QueueArn,
      Attributes: { RawMessageDelivery: 'false' },
    }),
  );
  return {
    /** Waits until `count` messages arrived or `waitMs` passed (moto delivers during Publish: no wait needed for "none"). */
    async receive(count = 1, waitMs = 10_000) {
      const envelopes: SnsEnvelope[] = [];
      const deadline = Date.now() + waitMs;
      do {
        const out = await direct.sqs.send(
          new ReceiveMessageCommand({ QueueUrl: queue.QueueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: waitMs >= 1000 ? 1 : 0 }),
        );
        for (const m of out.Messages ?? []) envelopes.push(JSON.parse(m.Body!) as SnsEnvelope);
      } while (envelopes.length < count && Date.now() < deadline);
      return envelopes;
    },
  };
}

/** The JSON SNS delivers to an SQS queue without raw message delivery. */
export interface SnsEnvelope {
  Type: string;
  MessageId: string;
  TopicArn: string;
  Subject?: string;
  Message: string;
}

/** A byte stream of `total` bytes of a reproducible pattern, then optionally an error. */
export async function* patternBytes(total: number, options: { failAfter?: number; chunk?: number } = {}): AsyncGenerator<Buffer> {
  const chunk = options.chunk ?? 1024 * 1024;
  let sent = 0;
  while (sent < total) {
    if (options.failAfter !== undefined && sent >= options.failAfter) throw new Error(`source broke after ${sent} bytes`);
    const n = Math.min(chunk, total - sent);
    yield pattern(sent, n);
    sent += n;
  }
}

/** `n` bytes of the pattern starting at offset `from`: every 4-byte word is its own offset, so misplaced bytes show. */
export function pattern(from: number, n: number): Buffer {
  const buf = Buffer.alloc(n);
  for (let i = 0; i < n; i++) {
    const at = from + i;
    buf[i] = (at >>> ((at % 4) * 8)) & 0xff;
  }
  return buf;
}

const PACKAGE = fileURLToPath(new URL('..', import.meta.url));

/**
 * Builds the package as a process outside Jest loads it (one ES module, with
 * @bigrays/core and the AWS SDK left as imports) into a new directory inside
 * packages/aws, so that both resolve through its node_modules (core: its
 * built dist). Returns the directory; `aws.mjs` is the package. The caller
 * removes it.
 */
export async function bundlePackage(): Promise<string> {
  const dir = mkdtempSync(join(PACKAGE, '.test-'));
  await build({
    entryPoints: [join(PACKAGE, 'src', 'index.ts')],
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    outfile: join(dir, 'aws.mjs'),
    // Not tsconfig.json: its paths would bundle @bigrays/core from source instead of loading the package.
    tsconfig: join(PACKAGE, 'tsconfig.build.json'),
    logLevel: 'silent',
  });
  return dir;
}

export { messages };

/** Awaits a run that must fail with JobFailedError; resolves to all its messages. */
export async function failure(run: Promise<unknown>): Promise<string> {
  const error = await run.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(JobFailedError);
  return messages(error);
}
