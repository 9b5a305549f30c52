/**
 * The fault-injecting proxy itself, against moto with plain HTTP: it
 * forwards bytes unchanged, fails exactly the share of requests it is told
 * to (503 SlowDown XML, or a reset connection), and can delay or hold
 * requests. The S3 reliability tests rely on these properties.
 */
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { createHash, randomBytes } from 'node:crypto';
import { requireService } from '../support/services.js';
import { startFaultProxy, type FaultProxy } from './fault-proxy.js';
import { S3SDK, destroyClients, motoUrl, s3Client, s3CreateBucket, s3Get } from '../support/aws.js';
import { sleep } from '../support/poll.js';

const ready = await requireService('moto', 'reliability: fault proxy');
const d = ready ? describe : describe.skip;

d('fault-injecting proxy in front of moto', () => {
  let proxy: FaultProxy;
  const bucket = `reli-proxy-${randomBytes(3).toString('hex')}`;
  const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
  /** A signed client through the proxy, without retries: each call is one request. */
  const via = () => s3Client(proxy.url, 1);
  const send = (name: string, input: Record<string, unknown>) => via().send(new (S3SDK()[name])(input));
  const status = async (p: Promise<unknown>) =>
    p.then(
      () => 200,
      (e: { $metadata?: { httpStatusCode?: number }; name?: string; code?: string }) => e.$metadata?.httpStatusCode ?? e.code ?? e.name,
    );

  beforeAll(async () => {
    proxy = await startFaultProxy(motoUrl());
    await s3CreateBucket(bucket);
  });
  afterAll(async () => {
    await proxy?.close();
    destroyClients();
  });

  it('forwards requests and bodies unchanged (6 MiB up and down)', async () => {
    proxy.configure({});
    const body = randomBytes(6 * 1024 * 1024);
    await send('PutObjectCommand', { Bucket: bucket, Key: 'big.bin', Body: body });
    const got = await send('GetObjectCommand', { Bucket: bucket, Key: 'big.bin' });
    expect(sha(Buffer.from(await got.Body.transformToByteArray()))).toBe(sha(body));
    expect(sha((await s3Get(bucket, 'big.bin'))!)).toBe(sha(body));
    expect(proxy.stats.forwarded).toBe(2);
  });

  it('answers 503 SlowDown to exactly the configured share, spread evenly', async () => {
    proxy.configure({ failRate: 0.3, mode: '503' });
    const statuses: unknown[] = [];
    for (let i = 0; i < 10; i++) statuses.push(await status(send('HeadObjectCommand', { Bucket: bucket, Key: 'big.bin' })));
    expect(statuses.filter((s) => s === 503)).toHaveLength(3);
    expect(statuses.filter((s) => s === 200)).toHaveLength(7);
    // Never two failures in a row at a share ≤ 0.5.
    expect(statuses.join(',')).not.toContain('503,503');
    proxy.configure({ failRate: 1, mode: '503' });
    await expect(send('GetObjectCommand', { Bucket: bucket, Key: 'big.bin' })).rejects.toMatchObject({ name: 'SlowDown', $metadata: { httpStatusCode: 503 } });
  });

  it('resets the connection (mid-body for uploads); nothing reaches moto', async () => {
    proxy.configure({ failRate: 1, mode: 'reset' });
    const put = await status(send('PutObjectCommand', { Bucket: bucket, Key: 'reset.bin', Body: randomBytes(1024 * 1024) }));
    expect(String(put)).toMatch(/ECONNRESET|EPIPE|socket hang up|TimeoutError|Error/);
    const get = await status(send('GetObjectCommand', { Bucket: bucket, Key: 'big.bin' }));
    expect(get).not.toBe(200);
    expect(await s3Get(bucket, 'reset.bin')).toBeUndefined();
    expect(proxy.stats.resets).toBe(2);
  });

  it('selects requests, delays and holds them', async () => {
    proxy.configure({ failRate: 1, select: ({ method }) => method === 'PUT' });
    expect(await status(send('HeadObjectCommand', { Bucket: bucket, Key: 'big.bin' }))).toBe(200);
    expect(await status(send('PutObjectCommand', { Bucket: bucket, Key: 'sel.txt', Body: 'x' }))).toBe(503);
    proxy.configure({ delayMs: 300 });
    const started = Date.now();
    await send('HeadObjectCommand', { Bucket: bucket, Key: 'big.bin' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    proxy.configure({});
    proxy.hold();
    let settled = false;
    const pending = send('HeadObjectCommand', { Bucket: bucket, Key: 'big.bin' }).then(() => (settled = true));
    await sleep(200);
    expect(settled).toBe(false);
    proxy.release();
    await pending;
    expect(settled).toBe(true);
  });
});
