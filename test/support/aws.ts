/**
 * Direct access to S3, SNS and SQS on moto (the Jest global setup starts it),
 * to set up what a job reads and check what it left behind or published.
 */
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { REPO } from './cli.js';

/** moto's endpoint as started by the Jest global setup. */
export function motoUrl(): string {
  const url = process.env.BIGRAYS_TEST_MOTO_ENDPOINT;
  if (!url) throw new Error('BIGRAYS_TEST_MOTO_ENDPOINT is not set');
  return url.replace(/\/$/, '');
}

/** The AWS SDK as installed for @bigrays/aws (the root package does not depend on it). */
const awsRequire = createRequire(join(REPO, 'packages', 'aws', 'package.json'));
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Any = any;
export const S3SDK = (): Any => awsRequire('@aws-sdk/client-s3');
export const SNSSDK = (): Any => awsRequire('@aws-sdk/client-sns');

const clients = new Map<string, Any>();

/**
 * A signed S3 client straight to moto (or to `endpoint`, e.g. the fault
 * proxy). moto rejects unsigned reads, so checks go through the SDK.
 */
export function s3Client(endpoint = motoUrl(), maxAttempts = 3): Any {
  const key = `${endpoint} ${maxAttempts}`;
  let client = clients.get(key);
  if (!client) {
    const { S3Client } = S3SDK();
    client = new S3Client({
      endpoint,
      region: 'us-east-1',
      forcePathStyle: true,
      maxAttempts,
      credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
    });
    clients.set(key, client);
  }
  return client;
}

/** Destroys the SDK clients (their keep-alive sockets would keep Jest from exiting). */
export function destroyClients(): void {
  for (const client of clients.values()) client.destroy();
  clients.clear();
}

export function snsClient(endpoint = motoUrl()): Any {
  const key = `sns ${endpoint}`;
  let client = clients.get(key);
  if (!client) {
    const { SNSClient } = SNSSDK();
    client = new SNSClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } });
    clients.set(key, client);
  }
  return client;
}

const s3 = (name: string, input: Record<string, unknown>) => {
  const sdk = S3SDK();
  return s3Client().send(new sdk[name](input));
};

export async function s3CreateBucket(bucket: string): Promise<void> {
  try {
    await s3('CreateBucketCommand', { Bucket: bucket });
  } catch (error) {
    if (!/BucketAlreadyOwnedByYou|BucketAlreadyExists/.test(String((error as Error).name))) throw error;
  }
}

export async function s3Put(bucket: string, key: string, body: string | Buffer): Promise<void> {
  await s3('PutObjectCommand', { Bucket: bucket, Key: key, Body: body });
}

/** The object's bytes, or undefined when it does not exist. */
export async function s3Get(bucket: string, key: string): Promise<Buffer | undefined> {
  try {
    const out = await s3('GetObjectCommand', { Bucket: bucket, Key: key });
    return Buffer.from(await out.Body.transformToByteArray());
  } catch (error) {
    if ((error as Error).name === 'NoSuchKey' || (error as Error).name === 'NoSuchBucket') return undefined;
    throw error;
  }
}

export async function s3Keys(bucket: string): Promise<string[]> {
  try {
    const out = await s3('ListObjectsV2Command', { Bucket: bucket });
    return (out.Contents ?? []).map((o: { Key: string }) => o.Key);
  } catch (error) {
    if ((error as Error).name === 'NoSuchBucket') return [];
    throw error;
  }
}

/** Multipart uploads started and neither completed nor aborted. */
export async function s3OpenUploads(bucket: string): Promise<{ key: string; uploadId: string }[]> {
  const out = await s3('ListMultipartUploadsCommand', { Bucket: bucket });
  return (out.Uploads ?? []).map((u: { Key: string; UploadId: string }) => ({ key: u.Key, uploadId: u.UploadId }));
}

/** Creates an SNS topic on moto; returns its ARN. */
export async function snsCreateTopic(name: string): Promise<string> {
  const { CreateTopicCommand } = SNSSDK();
  const out = await snsClient().send(new CreateTopicCommand({ Name: name }));
  return out.TopicArn as string;
}

// SNS → SQS (to see what was published)

export const SQSSDK = (): Any => awsRequire('@aws-sdk/client-sqs');

function sqsClient(): Any {
  const key = 'sqs';
  let client = clients.get(key);
  if (!client) {
    const { SQSClient } = SQSSDK();
    client = new SQSClient({ endpoint: motoUrl(), region: 'us-east-1', credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } });
    clients.set(key, client);
  }
  return client;
}

/** A topic with an SQS queue subscribed to it, so a test can see every message published. */
export async function snsTopicWithQueue(name: string): Promise<{ topicArn: string; queueUrl: string }> {
  const topicArn = await snsCreateTopic(name);
  const sqs = SQSSDK();
  const { QueueUrl } = await sqsClient().send(new sqs.CreateQueueCommand({ QueueName: `${name}-queue` }));
  const { Attributes } = await sqsClient().send(new sqs.GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }));
  const { SubscribeCommand } = SNSSDK();
  await snsClient().send(new SubscribeCommand({ TopicArn: topicArn, Protocol: 'sqs', Endpoint: Attributes.QueueArn }));
  return { topicArn, queueUrl: QueueUrl as string };
}

/** Messages waiting in a queue (none expected when nothing was published). */
export async function sqsMessages(queueUrl: string): Promise<string[]> {
  const sqs = SQSSDK();
  const out = await sqsClient().send(new sqs.ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }));
  return (out.Messages ?? []).map((m: { Body: string }) => m.Body);
}
