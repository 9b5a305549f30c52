/**
 * examples/aws: one example per AWS task, run through the CLI against the
 * test's moto_server, with a bucket and topic of their own (`--param`), and
 * what they did checked with direct SDK calls.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { join } from 'node:path';
import { requireService } from '../support/services.js';
import { closeDirectClients, createTopic, getObject, headObject, subscribeQueue, unique, useMoto } from '../../packages/aws/test/helpers.js';
import { REPO, expectExit, run } from './support.js';

const hasMoto = await requireService('moto', 'examples/aws');
const example = (name: string) => join(REPO, 'examples', 'aws', `${name}.ts`);

(hasMoto ? describe : describe.skip)('examples/aws', () => {
  // Each example creates the bucket it is given when it is missing (examples/aws/setup.ts).
  let bucket: string;
  beforeAll(() => {
    useMoto();
    bucket = unique('examples');
  });
  afterAll(() => closeDirectClients());

  it('to-s3.ts: rows → CSV with a header, server-side encrypted', async () => {
    const r = run([example('to-s3'), '--param', `bucket=${bucket}`, '--param', 'run_date=2026-03-01'], { moto: true });
    expectExit(r, 0);
    expect(r.stdout).toBe(`Uploaded s3://${bucket}/predictions/2026-03-01/predictions.csv\n`);
    const key = 'predictions/2026-03-01/predictions.csv';
    expect((await getObject(bucket, key))!.toString('utf8')).toBe(
      'customer,churn_risk,note\n"ACME, Inc.",0.82,"called ""twice"""\nZürich GmbH,0.11,\n',
    );
    const head = await headObject(bucket, key);
    expect(head.ServerSideEncryption).toBe('AES256');
    expect(head.ContentType).toBe('text/csv');
  });

  it('from-s3.ts: reads a CSV object back as rows', () => {
    const r = run([example('from-s3'), '--param', `bucket=${bucket}`], { moto: true });
    expectExit(r, 0);
    expect(JSON.parse(r.stdout)).toEqual([
      { id: '1', name: 'Doe, Jane', country: 'FR' },
      { id: '2', name: 'Zoë', country: null },
    ]);
  });

  it('list-s3-objects.ts: keys under a prefix ending with a suffix', () => {
    const r = run([example('list-s3-objects'), '--param', `bucket=${bucket}`, '--param', 'month=2026-03'], { moto: true });
    expectExit(r, 0);
    expect(r.stdout).toBe('reports/2026-03/returns.csv\nreports/2026-03/sales.csv\n');
  });

  it('sns-publish.ts: an object is published as JSON', async () => {
    const topic = await createTopic('examples');
    const queue = await subscribeQueue(topic.arn);
    const r = run([example('sns-publish'), '--param', `topic=${topic.name}`], { moto: true });
    expectExit(r, 0);
    const [message] = await queue.receive(1);
    expect(r.stdout).toBe(`Published message ${message!.MessageId}\n`);
    expect(JSON.parse(message!.Message)).toEqual({ event: 'predictions-ready', rows: 2, location: 's3://bigrays-examples/predictions/' });
  });

  it('sns-publish-email.ts --param fail=yes: the job fails (exit 1) and the email is still sent', async () => {
    const topic = await createTopic('examples');
    const queue = await subscribeQueue(topic.arn);
    const r = run([example('sns-publish-email'), '--param', `topic=${topic.name}`, '--param', 'run_date=2026-03-01', '--param', 'fail=yes'], {
      moto: true,
    });
    expectExit(r, 1);
    expect(r.stderr).toContain('bigrays: job failed (failed: Work)');
    expect(r.stderr).toMatch(/✔ EmailTeam/);
    const [message] = await queue.receive(1);
    expect(message!.Subject).toBe('Predictions job for 2026-03-01 has ended');
    expect(message!.Message).toBe('The predictions job for 2026-03-01 has ended. See the job log for details.');
  });
});
