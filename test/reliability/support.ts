/**
 * Shared helpers of the reliability suites: distinctive secrets and the
 * assertions that they never leak, direct (unproxied) access to PostgreSQL
 * and moto to check what a job left behind, and spool-directory checks.
 */
import { expect, it as jestIt } from '@jest/globals';
import { readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { REPO, startCli, type CliResult } from '../helpers/cli.js';

export const RELIABILITY = join(REPO, 'test', 'reliability');
export const FIXTURES = join(RELIABILITY, 'fixtures');
export const CORPUS = join(RELIABILITY, 'corpus');
export const fixture = (name: string) => join(FIXTURES, name);

// ---------------------------------------------------------------- secrets

/**
 * Distinctive secret values. Each test that runs a job sets them in the
 * child's environment and then asserts that none of them appears anywhere in
 * what the child printed. `needles` are the substrings searched for: the
 * secret itself and, for the DSN password (which contains characters that
 * must be URL-encoded), its decoded and encoded forms.
 */
export const SECRETS = {
  dbPwd: 'DbPwd-Xq7Zr2-secret',
  /** Raw (decoded) password inside the DSN; `!` and `@` are URL-encoded in the DSN. */
  dsnPwd: 'DsnPw!Kp9@Ww4',
  dsnPwdEncoded: 'DsnPw%21Kp9%40Ww4',
  awsSecret: 'AwsSecret/Mv8Lh3Tt5Nn0',
  awsAliasSecret: 'AwsAlias/Qe6Ff1Gg2',
  token: 'Token-Hj4Uu8Ii9',
} as const;

/** Substrings that must never appear in output. Shorter cores catch partial leaks too. */
export const SECRET_NEEDLES = [
  SECRETS.dbPwd,
  'Xq7Zr2',
  SECRETS.dsnPwd,
  SECRETS.dsnPwdEncoded,
  'Kp9',
  SECRETS.awsSecret,
  'Mv8Lh3Tt5Nn0',
  SECRETS.awsAliasSecret,
  'Qe6Ff1Gg2',
  SECRETS.token,
  'Hj4Uu8Ii9',
];

/** A PostgreSQL DSN carrying the DSN secret (trust auth accepts any password). */
export const PG_DSN_WITH_SECRET = `postgres://postgres:${SECRETS.dsnPwdEncoded}@127.0.0.1:5432/test`;

/**
 * The secret-bearing environment every reliability run gets. `DB_DSN` is set
 * only where a test needs one (it changes what a SQL job does), so this has
 * the secrets that never change behaviour against moto/trust-auth services.
 */
export function secretEnv(extra: Record<string, string | undefined> = {}): Record<string, string | undefined> {
  return {
    BIGRAYS_DB_PWD: SECRETS.dbPwd,
    BIGRAYS_S3_SECRET_ACCESS_KEY: SECRETS.awsSecret,
    BIGRAYS_AWS_SECRET_ACCESS_KEY: SECRETS.awsAliasSecret,
    BIGRAYS_WAREHOUSE_TOKEN: SECRETS.token,
    BIGRAYS_S3_ACCESS_KEY_ID: 'testing',
    BIGRAYS_AWS_REGION: 'us-east-1',
    ...extra,
  };
}

/** The secrets found in `text` (none, when all is well). */
export function leakedSecrets(text: string): string[] {
  return SECRET_NEEDLES.filter((needle) => text.includes(needle));
}

export function expectNoSecrets(text: string, where = 'output'): void {
  const leaked = leakedSecrets(text);
  if (leaked.length > 0) {
    const at = text.indexOf(leaked[0]!);
    throw new Error(`secret ${JSON.stringify(leaked[0])} leaked in ${where}: …${text.slice(Math.max(0, at - 200), at + 100)}…`);
  }
}

/**
 * Everything an error carries: message, stack, own enumerable fields and the whole cause chain (and `errors` lists).
 * Errors are recognised by shape (an object with a string `message`), not `instanceof Error`, so that errors of
 * another realm (a vm context, a worker, Node's own errors seen from Jest) are read as thoroughly.
 */
export function errorText(error: unknown, seen = new Set<unknown>()): string {
  if (error === null || error === undefined || seen.has(error)) return '';
  seen.add(error);
  if (!isErrorLike(error)) {
    if (typeof error === 'object') {
      try {
        return JSON.stringify(error);
      } catch {
        return String(error);
      }
    }
    return String(error);
  }
  const parts = [error.name, error.message, error.stack ?? ''];
  for (const [key, value] of Object.entries(error)) {
    if (key === 'cause' || key === 'errors' || key === 'result') continue;
    if (typeof value === 'string') parts.push(`${key}=${value}`);
    else if (value && typeof value === 'object' && !isErrorLike(value)) {
      try {
        parts.push(`${key}=${JSON.stringify(value)}`);
      } catch {
        /* circular: ignore */
      }
    }
  }
  parts.push(errorText(error.cause, seen));
  const list = (error as { errors?: unknown }).errors;
  if (Array.isArray(list)) for (const e of list) parts.push(errorText(e, seen));
  const result = (error as { result?: { tasks?: { error?: unknown }[]; errors?: unknown[] } }).result;
  for (const t of result?.tasks ?? []) parts.push(errorText(t.error, seen));
  for (const e of result?.errors ?? []) parts.push(errorText(e, seen));
  return parts.join('\n');
}

function isErrorLike(value: unknown): value is Error {
  return typeof value === 'object' && value !== null && typeof (value as { message?: unknown }).message === 'string';
}

// ---------------------------------------------------------------- output shape

/** A stack frame line (`    at fn (file:1:2)`). */
const STACK_FRAME = /^\s+at .+(:\d+:\d+\)?|\(native\)|<anonymous>\)?)$/m;

export function expectNoStack(text: string): void {
  expect(text).not.toMatch(STACK_FRAME);
  expect(text).not.toMatch(/^stack: /m);
  expect(text).not.toMatch(/^caused by: /m);
}

/**
 * The error block a failed CLI run ends with: from the last line starting
 * with `bigrays: ` to the end, trimmed. A run's live view (▶/✔/✖ lines and
 * the summary) comes before it.
 */
export function errorBlock(stderr: string): string {
  const lines = stderr.replace(/\s+$/, '').split('\n');
  for (let i = lines.length - 1; i >= 0; i--) {
    if (lines[i]!.startsWith('bigrays: ')) return lines.slice(i).join('\n');
  }
  return '';
}

// ---------------------------------------------------------------- spool dirs

/** Spool directories of process `pid` still present under os.tmpdir(). */
export function spoolDirsOf(pid: number | undefined): string[] {
  if (pid === undefined) return [];
  const prefix = `bigrays-spool-${pid}-`;
  return readdirSync(tmpdir()).filter((name) => name.startsWith(prefix));
}

// ---------------------------------------------------------------- running the CLI without blocking

/**
 * `runCli` without blocking the event loop: needed whenever the child talks
 * to something served by this process (the fault proxy), which spawnSync
 * would starve.
 */
export async function runCliAsync(
  args: readonly string[],
  options: { cwd?: string; env?: Record<string, string | undefined>; timeoutMs?: number } = {},
): Promise<CliResult> {
  const { child, done } = startCli(args, { cwd: options.cwd, env: { FORCE_COLOR: '0', ...options.env } });
  const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 120_000);
  try {
    return await done;
  } finally {
    clearTimeout(timer);
  }
}

// ---------------------------------------------------------------- timing

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Polls an async predicate until it holds. */
export async function eventually(predicate: () => Promise<boolean> | boolean, timeoutMs = 20_000, what = 'condition'): Promise<void> {
  const start = Date.now();
  for (;;) {
    if (await predicate()) return;
    if (Date.now() - start > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(50);
  }
}

// ---------------------------------------------------------------- PostgreSQL (direct)

const require = createRequire(import.meta.url);

/**
 * A database of its own for each test process (`bigrays_reli_<pid>`), so
 * that counting backends in pg_stat_activity is disturbed neither by other
 * suites running against `test` nor by another run of these suites at the
 * same time. Created by `ensurePgDatabase()`, dropped by `dropPgDatabase()`;
 * databases of test processes that no longer exist are dropped on the way.
 */
export const PG_DB = `bigrays_reli_${process.pid}`;
export const PG_ADMIN_DSN = 'postgres://postgres@127.0.0.1:5432/postgres';
export const PG_DSN = `postgres://postgres@127.0.0.1:5432/${PG_DB}`;
export const PG_DSN_SECRET = `postgres://postgres:${SECRETS.dsnPwdEncoded}@127.0.0.1:5432/${PG_DB}`;

interface PgClient {
  connect(): Promise<void>;
  query<R = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<{ rows: R[]; rowCount: number | null }>;
  end(): Promise<void>;
}

export async function pgConnect(dsn = PG_DSN): Promise<PgClient> {
  const pg = require('pg') as { Client: new (o: { connectionString: string; application_name?: string }) => PgClient };
  const client = new pg.Client({ connectionString: dsn, application_name: 'bigrays-reliability-observer' });
  await client.connect();
  return client;
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/** Creates this process's database (once), and drops those of test processes that are gone. */
export async function ensurePgDatabase(): Promise<void> {
  const admin = await pgConnect(PG_ADMIN_DSN);
  try {
    const { rows } = await admin.query<{ datname: string }>("select datname from pg_database where datname like 'bigrays\\_reli\\_%'");
    for (const { datname } of rows) {
      const pid = Number(/^bigrays_reli_(\d+)$/.exec(datname)?.[1]);
      if (pid && pid !== process.pid && !alive(pid)) await admin.query(`drop database if exists ${datname} with (force)`).catch(() => undefined);
    }
    if (!rows.some((r) => r.datname === PG_DB)) await admin.query(`create database ${PG_DB}`);
  } finally {
    await admin.end();
  }
}

/** Drops this process's database (end of a test file). */
export async function dropPgDatabase(): Promise<void> {
  const admin = await pgConnect(PG_ADMIN_DSN);
  try {
    await admin.query(`drop database if exists ${PG_DB} with (force)`);
  } finally {
    await admin.end();
  }
}

export interface Backend {
  pid: number;
  application_name: string;
  state: string | null;
  query: string;
}

/** Backends connected to the reliability database, except the observer's own. */
export async function pgBackends(observer: PgClient): Promise<Backend[]> {
  const { rows } = await observer.query<Backend>(
    `select pid, application_name, state, query from pg_stat_activity
      where datname = $1 and pid <> pg_backend_pid() and backend_type = 'client backend'
        and application_name <> 'bigrays-reliability-observer'`,
    [PG_DB],
  );
  return rows;
}

export async function pgTableExists(observer: PgClient, table: string): Promise<boolean> {
  const { rows } = await observer.query('select to_regclass($1) as t', [table]);
  return (rows[0] as { t: string | null }).t !== null;
}

// ---------------------------------------------------------------- S3 / SNS on moto (direct)

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

// ---------------------------------------------------------------- known bugs

/**
 * A test of a reported, not yet fixed bug: it states the behaviour we want
 * and runs as `it.failing` (it passes while the bug is there, and starts
 * failing, as a reminder to flip it to `it`, once the bug is fixed).
 * `RELI_BUGS=strict` runs them as plain tests, to see what fails and why.
 */
export const itBug: typeof jestIt.failing = process.env.RELI_BUGS === 'strict' ? (jestIt as unknown as typeof jestIt.failing) : jestIt.failing;
/** `itBug` for `it.concurrent` tests. */
export const itBugConcurrent: typeof jestIt.concurrent.failing =
  process.env.RELI_BUGS === 'strict' ? (jestIt.concurrent as unknown as typeof jestIt.concurrent.failing) : jestIt.concurrent.failing;

/** Slow variants (more fault modes, more jobs) run only with RELI_SLOW=1 (`pnpm test:reliability`). */
export const SLOW = process.env.RELI_SLOW === '1';
export const itSlow: typeof jestIt = SLOW ? jestIt : (jestIt.skip as typeof jestIt);

// ---------------------------------------------------------------- SNS → SQS (to see what was published)

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
