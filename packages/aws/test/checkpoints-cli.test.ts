/**
 * BIGRAYS_CHECKPOINTS=s3://… "so another machine can resume": a job fails in one working copy; `--resume` runs in
 * another (a fresh folder, a fresh temp dir for the spool, the first one deleted), sharing only a SQL ledger and
 * the S3 checkpoints. The Dataset and the JSON output come back from S3; the tasks that succeeded do not run again.
 */
import { describe, it, expect, afterAll } from '@jest/globals';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli, REPO } from '../../../test/support/cli.js';
import { requireService, motoEndpoint } from '../../../test/support/services.js';
import { createBucket, keysOf, closeDirectClients, REGION } from './helpers.js';

const up = await requireService('moto', 'aws/checkpoints-cli');
const maybe = up ? it : it.skip;
afterAll(() => closeDirectClients());

const JOB = `
import { appendFileSync, writeFileSync } from 'node:fs';
import { Task, Input, DatasetWriter, type Dataset } from '@bigrays/core';
const log = (name: string) => appendFileSync(process.env.LOG!, name + '\\n');
@Task() class Spool {
  async run() {
    log('Spool');
    const w = await DatasetWriter.create([{ name: 'n', type: 'integer' }, { name: 'label', type: 'text' }]);
    for (let i = 0; i < 1000; i++) await w.writeRow([i, 'row ' + i]);
    return w.finish();
  }
}
@Task() class Meta { run() { log('Meta'); return { source: 'crm', at: new Date('2026-03-01T00:00:00Z'), tags: Array.from({ length: 2000 }, (_, i) => 'tag-' + i) }; } }
@Task() class Publish {
  @Input(Spool) ds!: Dataset;
  @Input(Meta) meta!: { source: string; at: Date; tags: string[] };
  async run() {
    log('Publish');
    if (process.env.FAIL_PUBLISH) throw new Error('the target is down');
    const rows = await this.ds.toArray();
    writeFileSync(process.env.OUT!, JSON.stringify({ rows, meta: { ...this.meta, at: this.meta.at.toISOString() } }));
  }
}
`;

/** A working copy of its own: the job file, node_modules, a temp dir for the spool, a log and an output. */
function workingCopy(root: string, name: string) {
  const dir = join(root, name);
  mkdirSync(join(dir, 'tmp'), { recursive: true });
  symlinkSync(join(REPO, 'node_modules'), join(dir, 'node_modules'));
  writeFileSync(join(dir, 'nightly.ts'), JOB);
  const log = join(dir, 'log.txt');
  const out = join(dir, 'out.json');
  return {
    dir,
    job: join(dir, 'nightly.ts'),
    out,
    logged: () => (existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n') : []),
    env: (extra: Record<string, string | undefined>) => ({
      TMPDIR: join(dir, 'tmp'),
      LOG: log,
      OUT: out,
      BIGRAYS_AWS_ENDPOINT_URL: motoEndpoint(),
      BIGRAYS_AWS_REGION: REGION,
      BIGRAYS_S3_ACCESS_KEY_ID: 'testing',
      BIGRAYS_S3_SECRET_ACCESS_KEY: 'testing',
      BIGRAYS_AWS_ACCESS_KEY_ID: undefined,
      BIGRAYS_AWS_SECRET_ACCESS_KEY: undefined,
      AWS_PROFILE: undefined,
      ...extra,
    }),
  };
}

describe('bigrays with BIGRAYS_CHECKPOINTS=s3://… and a shared SQL ledger', () => {
  maybe('a failed run is resumed from another working copy: Dataset and JSON restored from S3, nothing that succeeded runs again', async () => {
    const bucket = await createBucket('ckpt-cli');
    const root = mkdtempSync(join(tmpdir(), 'bigrays-s3-resume-'));
    const shared = { BIGRAYS_STATE: `sqlite:${join(root, 'ledger.sqlite')}`, BIGRAYS_CHECKPOINTS: `s3://${bucket}/ckpt` };

    const first = workingCopy(root, 'machine-a');
    const failed = runCli([first.job], { cwd: first.dir, env: first.env({ ...shared, FAIL_PUBLISH: '1' }) });
    expect(failed.code).toBe(1);
    expect(first.logged()).toEqual(['Spool', 'Meta', 'Publish']);
    const keys = (await keysOf(bucket)).map((k) => k.replace(/^ckpt\/[\w-]+\//, ''));
    // Both in S3 (Meta's JSON is over the 16 KB kept inline in the ledger's record).
    expect(keys.sort()).toEqual(['00000-Spool.csv', '00001-Meta.json']);
    // The first machine is gone: its folder, its spool, its temp dir.
    rmSync(first.dir, { recursive: true, force: true });

    const second = workingCopy(root, 'machine-b');
    const resumed = runCli([second.job, '--resume'], { cwd: second.dir, env: second.env(shared) });
    expect(resumed.stderr).toContain('job succeeded');
    expect(resumed.code).toBe(0);
    expect(second.logged()).toEqual(['Publish']);
    expect(resumed.stderr).toMatch(/Spool +restored/);
    expect(resumed.stderr).toMatch(/Meta +restored/);

    const reference = workingCopy(root, 'uninterrupted');
    const whole = runCli([reference.job], { cwd: reference.dir, env: reference.env({ BIGRAYS_STATE: 'off', BIGRAYS_CHECKPOINTS: undefined }) });
    expect(whole.code).toBe(0);
    const expected = readFileSync(reference.out, 'utf8');
    expect(JSON.parse(expected).rows).toHaveLength(1000);
    expect(readFileSync(second.out, 'utf8')).toBe(expected);
    rmSync(root, { recursive: true, force: true });
  });
});
