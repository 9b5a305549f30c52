import { describe, it, expect } from '@jest/globals';
import { join } from 'node:path';
import { runCli, REPO } from '../support/cli.js';
import { PG_DSN, motoEndpoint, requireService } from '../support/services.js';
import { REGION, closeDirectClients, createBucket, createTopic, getObject, keysOf, subscribeQueue } from '../../packages/aws/test/helpers.js';

/** Issue 14, "what a new user hit": each broken job a newcomer wrote, run with the CLI as they ran it. */
const job = (name: string) => join(REPO, 'test', 'parity', 'jobs', name);

describe('the first hour of a new user (issue 14)', () => {
  it('item 7: bare @Task registers and runs the task', () => {
    const r = runCli([job('bare-task.ts')]);
    expect(r.stderr).not.toContain('no tasks');
    expect(r.stdout.trim()).toBe('email sent');
    expect(r.code).toBe(0);
  });

  it('item 7: a subclass of a built-in task without @Task() fails at load, naming the class and the fix', () => {
    const r = runCli([job('undecorated-subclass.ts')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('WriteRows extends ToCSV but has no @Task(), so it would not run: put @Task() on the line before `class WriteRows`');
  });

  it('item 8: --log-level debug writes its lines to stderr, none to stdout, and names no src/ path', () => {
    const r = runCli([join(REPO, 'packages', 'core', 'test', 'fixtures', 'jobs', 'failing.ts'), '--log-level', 'debug']);
    expect(r.stdout).toBe('alert sent\n');
    expect(r.stderr).toMatch(/DEBUG\tbigrays\ttask Works started \(attempt 1\)/);
    expect(r.stderr).not.toMatch(/src\/run\/runner\.ts/);
  });

  it('item 9: an error thrown in a task of the job names job file and line in its stack (source maps on by default)', () => {
    const r = runCli([job('throws.ts'), '--log-level', 'debug']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('caused by: Error: model is not fitted');
    expect(r.stderr).toMatch(new RegExp(`at MakePredictions\\.run \\(${job('throws.ts').replace(/[/.]/g, '\\$&')}:7:\\d+\\)`));
    expect(r.stderr).not.toMatch(/bigrays-jobs[^\n]*\.mjs/);
  });

  it('item 11: a misspelt --param fails (exit 2) with "did you mean", nothing runs; a declared name is accepted', () => {
    const good = join(REPO, 'packages', 'core', 'test', 'fixtures', 'jobs', 'good.ts');
    const r = runCli([good, '--param', 'dya=2030-12-31']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim()).toBe(
      "bigrays: --param dya: no template uses {dya} and the job does not declare it; did you mean 'day'? the job's parameters are: day (a job that reads it in code declares it with updateFormatKws({ dya: <default> }))",
    );
    expect(runCli([good, '--param', 'day=2030-12-31']).code).toBe(0);
  });

  it('item 12: without the configuration, plan prints the whole plan then the missing configuration (exit 2); graph draws the job', () => {
    const missing = join(REPO, 'packages', 'core', 'test', 'fixtures', 'jobs', 'missing-config.ts');
    const env = { BIGRAYS_WAREHOUSE_TOKEN: undefined, BIGRAYS_WAREHOUSE_URL: undefined };
    const plan = runCli(['plan', missing], { env });
    expect(plan.code).toBe(2);
    expect(plan.stdout).toContain('1  Load  Warehouse  open Warehouse');
    expect(plan.stderr.trim()).toBe(
      'bigrays: missing configuration: set BIGRAYS_WAREHOUSE_TOKEN, BIGRAYS_WAREHOUSE_URL (for Warehouse, needed by Load). Export the environment variables, or assign BigraysConfig.<KEY> in the job',
    );
    const graph = runCli(['graph', missing], { env });
    expect(graph.code).toBe(0);
    expect(graph.stdout).toContain('t1["1. Load"]');
  });

  it('the fresh-user check: the original README example, ported from our README, runs every task (no silent skip)', async () => {
    if (!(await requireService('postgres', 'the ported README example')) || !(await requireService('moto', 'the ported README example'))) return;
    const bucket = await createBucket('readme-example');
    const topic = await createTopic('readme-example');
    const queue = await subscribeQueue(topic.arn);
    const r = runCli([job('original-readme-example.ts'), '--param', `bucket=${bucket}`, '--param', `topic=${topic.name}`], {
      env: {
        BIGRAYS_DB_DSN: PG_DSN,
        BIGRAYS_AWS_ENDPOINT_URL: motoEndpoint(),
        BIGRAYS_AWS_REGION: REGION,
        BIGRAYS_S3_ACCESS_KEY_ID: 'testing',
        BIGRAYS_S3_SECRET_ACCESS_KEY: 'testing',
      },
    });
    expect(r.stderr).toContain('Summary: 6 tasks · 6 succeeded · 0 failed · 0 skipped');
    expect(r.code).toBe(0);
    const [key] = await keysOf(bucket);
    expect(key).toMatch(/^\d{4}-\d{2}-\d{2}-\d{4}-\d{2}-\d{2}\/predictions\.csv$/);
    expect((await getObject(bucket, key!))!.toString('utf8')).toBe('id,x,prediction\n1,10,20\n2,20,40\n3,30,60\n');
    expect((await queue.receive(1))[0]).toMatchObject({ Subject: 'Predictions are finished', Message: 'Predictions are upload to s3' });
    closeDirectClients();
  });

  it('item 10: JavaScript jobs: without decorators on any Node, with decorators (.mjs), and in a "type": "commonjs" project', () => {
    const plain = runCli([job('no-decorators.mjs')]);
    expect(plain.stdout).toBe('sum=6\n');
    expect(plain.code).toBe(0);
    const decorated = runCli([job('esm/decorated.mjs')]);
    expect(decorated.stdout).toBe('rows=1,2,3\n');
    expect(decorated.code).toBe(0);
    const commonjs = runCli([job('commonjs-project/job.js')]);
    expect(commonjs.stdout).toBe('rows=1,2,3\n');
    expect(commonjs.stderr).not.toMatch(/Warning|SyntaxError/);
    expect(commonjs.code).toBe(0);
  });

  it('item 17: --log-level silent quiets the report; a failure still ends with its one-line error and exit 1', () => {
    const fixtures = join(REPO, 'packages', 'core', 'test', 'fixtures', 'jobs');
    const good = runCli([join(fixtures, 'good.ts'), '--log-level', 'silent']);
    expect(good.code).toBe(0);
    expect(good.stderr).toBe('');
    const failing = runCli([join(fixtures, 'failing.ts'), '--log-level', 'silent']);
    expect(failing.code).toBe(1);
    expect(failing.stderr).toBe('bigrays: job failed (failed: Breaks; skipped: NeverRuns)\n  ✖ Breaks failed: the warehouse is on fire\n');
  });
});
