/**
 * Configuration of the AWS resources (checked at plan time), secrets kept
 * out of errors, and start-up: `import '@bigrays/aws'` loads no AWS SDK
 * code, and opening a resource prints no SDK Node-version warning.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BigraysConfig, ConfigurationError, JobFailedError, Task, bigraysRun, resetJobs } from '@bigrays/core';
import { S3Client, SNSClient, SNSPublish, ToS3, FromS3, missingAwsConfig } from '@bigrays/aws';
import { requireService } from '../../../test/support/services.js';
import { bundlePackage, closeDirectClients, createBucket, getObject, useMoto } from './helpers.js';

const HERE = fileURLToPath(new URL('.', import.meta.url));
const REPO = join(HERE, '..', '..', '..');
const SECRET = 'Sekr3t/KeyQz8Vv1Ww2';
const KEYS = ['AWS_REGION', 'S3_ACCESS_KEY_ID', 'S3_SECRET_ACCESS_KEY', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_ENDPOINT_URL'];

let saved: Record<string, string | undefined>;
beforeEach(() => {
  resetJobs();
  saved = Object.fromEntries(KEYS.map((k) => [k, BigraysConfig[k]]));
  for (const k of KEYS) delete BigraysConfig[k];
});
afterEach(() => {
  for (const k of KEYS) {
    if (saved[k] === undefined) delete BigraysConfig[k];
    else BigraysConfig[k] = saved[k];
  }
});

/** Everything an error carries (messages, stacks, own fields, causes, the job's task errors). */
function everything(error: unknown, seen = new Set<unknown>()): string {
  if (error === null || error === undefined || seen.has(error)) return '';
  seen.add(error);
  if (!(error instanceof Error)) return typeof error === 'object' ? safeJson(error) : String(error);
  const parts = [error.name, error.message, error.stack ?? ''];
  for (const [key, value] of Object.entries(error)) {
    if (key === 'cause' || key === 'result') continue;
    parts.push(`${key}=${typeof value === 'string' ? value : safeJson(value)}`);
  }
  parts.push(everything(error.cause, seen));
  for (const t of (error as { result?: { tasks: { error?: unknown }[] } }).result?.tasks ?? []) parts.push(everything(t.error, seen));
  return parts.join('\n');
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? '';
  } catch {
    return '';
  }
}

describe('configuration', () => {
  it('missingAwsConfig: the region is required; a key id and its secret go together; neither is fine', () => {
    expect(missingAwsConfig({})).toEqual(['AWS_REGION']);
    expect(missingAwsConfig({ AWS_REGION: 'eu-west-1' })).toEqual([]);
    expect(missingAwsConfig({ AWS_REGION: 'eu-west-1', S3_ACCESS_KEY_ID: 'id' })).toEqual(['S3_SECRET_ACCESS_KEY']);
    expect(missingAwsConfig({ AWS_REGION: 'eu-west-1', AWS_ACCESS_KEY_ID: 'id' })).toEqual(['AWS_SECRET_ACCESS_KEY']);
    expect(missingAwsConfig({ AWS_REGION: 'eu-west-1', S3_SECRET_ACCESS_KEY: 's' })).toEqual(['S3_ACCESS_KEY_ID']);
    expect(missingAwsConfig({ AWS_REGION: 'eu-west-1', AWS_ACCESS_KEY_ID: 'id', AWS_SECRET_ACCESS_KEY: 's' })).toEqual([]);
    // Mixed families pair up too: the id from one name, the secret from the other.
    expect(missingAwsConfig({ AWS_REGION: 'eu-west-1', S3_ACCESS_KEY_ID: 'id', AWS_SECRET_ACCESS_KEY: 's' })).toEqual([]);
    expect(missingAwsConfig({ AWS_REGION: '', S3_ACCESS_KEY_ID: '' })).toEqual(['AWS_REGION']);
    expect(S3Client.missingConfig({ S3_ACCESS_KEY_ID: 'id' })).toEqual(['AWS_REGION', 'S3_SECRET_ACCESS_KEY']);
    expect(SNSClient.missingConfig({ AWS_REGION: 'x' })).toEqual([]);
  });

  it('fails at plan time, naming the BIGRAYS_ variables and the tasks, before any task runs', async () => {
    const ran: string[] = [];
    @Task() class First { run() { ran.push('First'); } }
    @Task() class Upload extends ToS3 { bucket = 'b'; key = 'k'; input = 'x'; }
    @Task() class Notify extends SNSPublish { topic = 't'; input = 'x'; }
    BigraysConfig.S3_ACCESS_KEY_ID = 'id';
    const error = await bigraysRun().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigurationError);
    const message = (error as Error).message;
    expect(message).toContain('BIGRAYS_AWS_REGION, BIGRAYS_S3_SECRET_ACCESS_KEY (for S3Client, needed by Upload)');
    expect(message).toContain('BIGRAYS_AWS_REGION, BIGRAYS_S3_SECRET_ACCESS_KEY (for SNSClient, needed by Notify)');
    expect((error as ConfigurationError).missing).toEqual(['BIGRAYS_AWS_REGION', 'BIGRAYS_S3_SECRET_ACCESS_KEY']);
    expect(ran).toEqual([]);
    void [First, Upload, Notify];
  });

  it('checks the required attributes at plan time', async () => {
    @Task() class NoKey extends ToS3 { bucket = 'b'; input = 'x'; }
    await expect(bigraysRun(NoKey)).rejects.toThrow("NoKey lacks required attribute 'key' (required by ToS3)");
  });

  // Was bug A1: the endpoint was checked only when the resource opened, after earlier tasks had run.
  it('rejects an endpoint that is not an http(s) URL at plan time, without showing credentials in it', async () => {
    const ran: string[] = [];
    BigraysConfig.AWS_REGION = 'us-east-1';
    BigraysConfig.AWS_ENDPOINT_URL = `ftp://user:${SECRET}@example.com`;
    @Task() class First { run() { ran.push('First'); } }
    @Task() class Read extends FromS3 { bucket = 'b'; key = 'k'; }
    const error = await bigraysRun(First, Read).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigurationError);
    expect((error as ConfigurationError).missing).toEqual(['BIGRAYS_AWS_ENDPOINT_URL']);
    expect((error as Error).message).toBe("BIGRAYS_AWS_ENDPOINT_URL must be an http:// or https:// URL such as http://127.0.0.1:5000; got 'ftp://****@example.com'");
    expect(everything(error)).not.toContain(SECRET);
    expect(ran).toEqual([]);
  });

  it.each([
    ['not a url', "got 'not a url'"],
    ['ftp://x', "got 'ftp://x'"],
    // No scheme: everything up to the last @ is user info, and is not shown.
    [`user:${SECRET}@example.com`, "got '****@example.com'"],
    [`s3://user:pass@word${SECRET}@example.com`, "got 's3://****@example.com'"],
  ])('missingAwsConfig refuses the endpoint %j (S3Client and SNSClient)', (endpoint, shown) => {
    const config = { AWS_REGION: 'us-east-1', AWS_ENDPOINT_URL: endpoint };
    for (const check of [missingAwsConfig, (c: typeof config) => S3Client.missingConfig(c), (c: typeof config) => SNSClient.missingConfig(c)]) {
      let error: unknown;
      try {
        check(config);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(ConfigurationError);
      expect((error as Error).message).toContain(shown);
      expect((error as Error).message).not.toContain(SECRET);
    }
    // A missing key is reported first (as a list), the endpoint once the keys are there.
    expect(missingAwsConfig({ AWS_ENDPOINT_URL: endpoint })).toEqual(['AWS_REGION']);
    expect(missingAwsConfig({ AWS_REGION: 'us-east-1', AWS_ENDPOINT_URL: 'http://127.0.0.1:5000/' })).toEqual([]);
  });

  it('never puts the secret key in an error, whatever fails (unreachable endpoint)', async () => {
    BigraysConfig.AWS_REGION = 'us-east-1';
    BigraysConfig.AWS_ENDPOINT_URL = 'http://127.0.0.1:9'; // discard port: connection refused
    BigraysConfig.S3_ACCESS_KEY_ID = 'AKIDEXAMPLE';
    BigraysConfig.S3_SECRET_ACCESS_KEY = SECRET;
    @Task() class Upload extends ToS3 { bucket = 'b'; key = 'k'; input = 'x'; overwrite = true; }
    @Task() class Read extends FromS3 { bucket = 'b'; key = 'k'; }
    @Task({ runWithExceptions: true }) class Notify extends SNSPublish { topic = 'alerts'; input = 'x'; }
    const error = await bigraysRun(Upload, Read, Notify).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(JobFailedError);
    const text = everything(error);
    expect(text).toContain('the endpoint could not be reached');
    expect(text).not.toContain(SECRET);
    expect(text).not.toContain('KeyQz8Vv1Ww2');
  });
});

describe('start-up', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await bundlePackage();
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  function runNode(script: string): { stdout: string; stderr: string; modules: string[] } {
    const file = join(dir, `script-${Math.random().toString(36).slice(2)}.mjs`);
    const log = join(dir, `modules-${Math.random().toString(36).slice(2)}.log`);
    writeFileSync(file, script);
    writeFileSync(log, '');
    const env: NodeJS.ProcessEnv = { ...process.env, BIGRAYS_MODULE_LOG: log };
    delete env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED;
    delete env.NODE_OPTIONS;
    const result = spawnSync(process.execPath, ['--import', join(REPO, 'test', 'support', 'record-modules.mjs'), file], {
      cwd: dir,
      env,
      encoding: 'utf8',
      timeout: 60_000,
    });
    if (result.status !== 0) throw new Error(`child failed (${result.status}): ${result.stderr}`);
    return { stdout: result.stdout, stderr: result.stderr, modules: readFileSync(log, 'utf8').split('\n').filter(Boolean) };
  }

  it('import of @bigrays/aws loads no AWS SDK module; opening a resource loads it, without the Node-version warning', () => {
    const { stdout, stderr, modules } = runNode(`
      import { appendFileSync, readFileSync } from 'node:fs';
      const sdk = () => readFileSync(process.env.BIGRAYS_MODULE_LOG, 'utf8').split('\\n').filter((u) => /@aws-sdk|@smithy/.test(u));
      const aws = await import('./aws.mjs');
      const afterImport = sdk();
      const config = { AWS_REGION: 'us-east-1', S3_ACCESS_KEY_ID: 'id', S3_SECRET_ACCESS_KEY: 'secret' };
      const s3 = new aws.S3Client();
      await s3.open(config);
      const sns = new aws.SNSClient();
      await sns.open(config);
      const afterOpen = sdk();
      await s3.close();
      sns.close();
      console.log(JSON.stringify({ afterImport, afterOpen: afterOpen.length, env: process.env.${'AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'} ?? null }));
    `);
    const out = JSON.parse(stdout.trim()) as { afterImport: string[]; afterOpen: number; env: string | null };
    expect(modules.some((u) => u.includes('packages/core/'))).toBe(true);
    expect(out.afterImport).toEqual([]);
    expect(out.afterOpen).toBeGreaterThan(0);
    expect(stderr).not.toContain('NodeVersionSupportWarning');
    // The switch is set only while our clients are constructed.
    expect(out.env).toBeNull();
  });

  it('(control) an SDK client constructed directly prints the warning on Node < 22, so the test above can see it', () => {
    const { stderr } = runNode(`
      const { S3Client } = await import('@aws-sdk/client-s3');
      new S3Client({ region: 'us-east-1' }).destroy();
    `);
    if (Number(process.versions.node.split('.')[0]) < 22) expect(stderr).toContain('NodeVersionSupportWarning');
  });
});

const up = await requireService('moto', 'aws/config');

(up ? describe : describe.skip)('credentials on moto', () => {
  beforeAll(() => useMoto());
  afterAll(() => closeDirectClients());

  it('the AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY aliases work alone', async () => {
    const bucket = await createBucket('alias');
    for (const k of KEYS) delete BigraysConfig[k];
    useMoto();
    delete BigraysConfig.S3_ACCESS_KEY_ID;
    delete BigraysConfig.S3_SECRET_ACCESS_KEY;
    BigraysConfig.AWS_ACCESS_KEY_ID = 'alias-id';
    BigraysConfig.AWS_SECRET_ACCESS_KEY = 'alias-secret';
    const b = bucket;
    @Task() class Upload extends ToS3 { bucket = b; key = 'alias.txt'; input = 'via aliases'; }
    await bigraysRun(Upload);
    expect((await getObject(bucket, 'alias.txt'))!.toString()).toBe('via aliases');
  });
});
