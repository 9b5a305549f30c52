/**
 * SIGINT and SIGTERM in the middle of a multipart upload, in a real process
 * (the package as built for Node, run by `bigraysRun()` with its default
 * signal handling): the job ends promptly, by the signal, and leaves neither
 * an object nor an open multipart upload on the server.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { requireService, motoEndpoint } from '../../../test/support/services.js';
import { bundlePackage, closeDirectClients, createBucket, keysOf, openUploads } from './helpers.js';
import { interrupt } from '../../../test/support/signals.js';

const up = await requireService('moto', 'aws/interrupt');

const JOB = `
  import { Readable } from 'node:stream';
  import { BigraysConfig, Task, bigraysRun } from '@bigrays/core';
  import { ToS3 } from './aws.mjs';

  Object.assign(BigraysConfig, {
    AWS_ENDPOINT_URL: process.env.MOTO, AWS_REGION: 'us-east-1', S3_ACCESS_KEY_ID: 'testing', S3_SECRET_ACCESS_KEY: 'testing',
  });
  const MiB = 1024 * 1024;
  async function* stalls() {
    for (let i = 0; i < 20; i++) yield Buffer.alloc(MiB, i);
    console.log('SENT');
    await new Promise(() => setInterval(() => undefined, 1000)); // a source that never ends
  }
  class Stalled extends ToS3 {
    bucket = process.env.BUCKET;
    key = 'interrupted.bin';
    input = Readable.from(stalls());
  }
  Task()(Stalled);
  await bigraysRun();
  console.log('NOT REACHED');
`;

(up ? describe : describe.skip)('an interrupted upload', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await bundlePackage();
    writeFileSync(join(dir, 'job.mjs'), JOB);
  });
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
    closeDirectClients();
  });

  it.each(['SIGINT', 'SIGTERM'] as const)('%s: the multipart upload is aborted, nothing remains', async (signal) => {
    const bucket = await createBucket('interrupt');
    const child = spawn(process.execPath, [join(dir, 'job.mjs')], {
      cwd: dir,
      env: { ...process.env, MOTO: motoEndpoint(), BUCKET: bucket },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      child.on('close', (code, sig) => resolve({ code, signal: sig })),
    );
    // Wait until parts are on the server: the upload is open.
    const deadline = Date.now() + 30_000;
    while (!(stdout.includes('SENT') && (await openUploads(bucket)).length > 0)) {
      if (Date.now() > deadline) throw new Error(`the upload did not start: ${stdout} ${stderr}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    const sent = await interrupt(child, signal);
    const result = await exited;
    expect(Date.now() - sent).toBeLessThan(10_000);
    expect(result).toEqual({ code: null, signal });
    expect(stdout).not.toContain('NOT REACHED');
    expect(await keysOf(bucket)).toEqual([]);
    expect(await openUploads(bucket)).toEqual([]);
  });
});
