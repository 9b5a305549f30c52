/**
 * examples/predictions end to end through the CLI, as its README runs it:
 * SQLite seeded by the job itself, S3 and SNS on moto. Checks the CSV that
 * landed in S3 and the email published to the topic (read back from an SQS
 * queue subscribed to it), then that a second run for the same period is
 * refused without touching the file and still emails the team.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { join } from 'node:path';
import { requireService } from '../support/services.js';
import { closeDirectClients, createTopic, getObject, keysOf, subscribeQueue, unique, useMoto } from '../../packages/aws/test/helpers.js';
import { REPO, expectExit, run } from './support.js';

const hasMoto = await requireService('moto', 'examples/predictions');
const JOB = join(REPO, 'examples', 'predictions', 'job.ts');

const EXPECTED_CSV = [
  'id,store,date,prediction',
  '1,north,2026-03-23,107.5',
  '2,south,2026-03-23,87.5',
  '3,east,2026-03-23,127.5',
  '4,west,2026-03-23,107.5', // unseen store: the overall mean
  '',
].join('\n');

(hasMoto ? describe : describe.skip)('examples/predictions', () => {
  let bucket: string;
  let topic: { name: string; arn: string };
  let queue: Awaited<ReturnType<typeof subscribeQueue>>;
  let params: string[];

  beforeAll(async () => {
    useMoto();
    bucket = unique('predictions'); // not created here: the job creates it (create_resources=yes)
    topic = await createTopic('predictions'); // created first only to subscribe a queue before the job publishes
    queue = await subscribeQueue(topic.arn);
    params = ['--param', `bucket=${bucket}`, '--param', `topic=${topic.name}`, '--param', 'create_resources=yes'];
  });
  afterAll(() => closeDirectClients());

  it('uploads the predictions CSV and emails the team', async () => {
    const r = run([JOB, ...params], { moto: true });
    expectExit(r, 0);
    expect(await keysOf(bucket)).toEqual(['2026-01-01-2026-03-01/predictions.csv']);
    expect((await getObject(bucket, '2026-01-01-2026-03-01/predictions.csv'))!.toString('utf8')).toBe(EXPECTED_CSV);

    const [email, ...more] = await queue.receive(1);
    expect(more).toEqual([]);
    expect(email!.Subject).toBe('Predictions are finished');
    expect(email!.Message).toBe(`Predictions are uploaded to s3://${bucket}/2026-01-01-2026-03-01/predictions.csv`);
    expect(r.stdout).toContain(`Predictions are finished: Predictions are uploaded to s3://${bucket}/`);
    // Seeded 48 training rows, 24 of them in the training period.
    expect(r.stderr).toMatch(/✔ PullTrainingData .* 24 rows/);
    expect(r.stderr).toContain('job succeeded');
  });

  it('a second run for the same period is refused, the file is left alone, and the email says so', async () => {
    const r = run([JOB, ...params], { moto: true });
    expectExit(r, 1);
    expect(r.stderr).toContain('bigrays: job failed (failed: UploadPredictions)');
    expect(r.stderr).toContain('already exists and was left untouched');
    expect((await getObject(bucket, '2026-01-01-2026-03-01/predictions.csv'))!.toString('utf8')).toBe(EXPECTED_CSV);

    const [email] = await queue.receive(1);
    expect(email!.Subject).toBe('Predictions job failed');
    expect(email!.Message).toBe('The predictions job failed before uploading its file: see its log.');
  });

  it('--param moves the training period (and the key)', async () => {
    const r = run([JOB, ...params, '--param', 'train_period_begin=2025-12-01', '--param', 'train_period_end=2025-12-31'], { moto: true });
    expectExit(r, 0);
    // Mondays 2025-12-01..29: weeks 0-4, targets base + 0, 5, 10, 15, 0 → mean base + 6.
    expect((await getObject(bucket, '2025-12-01-2025-12-31/predictions.csv'))!.toString('utf8')).toBe(
      ['id,store,date,prediction', '1,north,2026-03-23,106', '2,south,2026-03-23,86', '3,east,2026-03-23,126', '4,west,2026-03-23,106', ''].join('\n'),
    );
    await queue.receive(1);
  });

  it('without AWS configuration nothing runs: exit 2 naming the variables', () => {
    const r = run([JOB]);
    expectExit(r, 2);
    expect(r.stderr.trim()).toBe(
      'bigrays: missing configuration: set BIGRAYS_AWS_REGION (for S3Client, needed by CreateBucket, UploadPredictions); BIGRAYS_AWS_REGION (for SNSClient, needed by CreateTopic, EmailTeam). Export the environment variables, or assign BigraysConfig.<KEY> in the job',
    );
  });
});
