/**
 * Issue 14, item 4: the parity additions of @bigrays/aws against moto_server:
 * `DeleteS3Object` / `deleteS3Object()` and the functional `snsTask`.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { BigraysConfig, Task, bigraysRun, resetFormatKws, resetJobs, updateFormatKws } from '@bigrays/core';
import { CreateTopicCommand, SNSClient as SdkSNSClient } from '@aws-sdk/client-sns';
import { motoEndpoint } from '../../../test/support/services.js';
import { DeleteS3Object, deleteS3Object, snsTask } from '@bigrays/aws';
import { requireService } from '../../../test/support/services.js';
import { REGION, closeDirectClients, createBucket, createTopic, keysOf, putObject, subscribeQueue, unique, useMoto } from './helpers.js';

const up = await requireService('moto', 'aws/parity');

(up ? describe : describe.skip)('parity additions on moto (issue 14, item 4)', () => {
  beforeAll(() => useMoto());
  afterAll(() => closeDirectClients());
  beforeEach(() => {
    resetJobs();
    resetFormatKws();
  });

  it('DeleteS3Object deletes the object named by its templates; the URI is the output', async () => {
    const bucket = await createBucket('delete');
    await putObject(bucket, '2026-01-01/staging.csv', 'a,b\n1,2\n');
    await putObject(bucket, 'keep.csv', 'x\n');
    updateFormatKws({ day: '2026-01-01' });
    const name = bucket;
    @Task() class DropStaging extends DeleteS3Object { bucket = name; key = '{day}/staging.csv'; }
    const result = await bigraysRun();
    expect(result.output(DropStaging)).toBe(`s3://${bucket}/2026-01-01/staging.csv`);
    expect(await keysOf(bucket)).toEqual(['keep.csv']);
  });

  it('deleteS3Object(): a missing object is fine (as in S3), a missing bucket is an error naming it', async () => {
    const bucket = await createBucket('delete-fn');
    await expect(deleteS3Object({ bucket, key: 'never-there.csv' })).resolves.toBe(`s3://${bucket}/never-there.csv`);
    const missing = unique('no-such-bucket');
    // The functional form rejects with the task's own error, as the original's functions raise it.
    await expect(deleteS3Object({ bucket: missing, key: 'k' })).rejects.toThrow(`cannot delete s3://${missing}/k: the bucket '${missing}' does not exist`);
  });

  it('snsTask() publishes, with a Subject when one is given (the original sns_task)', async () => {
    const topic = await createTopic('sns-task');
    const queue = await subscribeQueue(topic.arn);
    const plain = await snsTask({ topic: topic.name, input: 'plain' });
    const email = await snsTask({ topic: topic.arn, input: { done: true }, subject: 'Predictions are finished' });
    const received = await queue.receive(2);
    expect(received.map((e) => [e.MessageId, e.Message, e.Subject])).toEqual(
      expect.arrayContaining([
        [plain, 'plain', undefined],
        [email, '{"done":true}', 'Predictions are finished'],
      ]),
    );
  });

  it('a missing topic names how many topics the region has, in correct English: "1 topic" (issue 14, item 17)', async () => {
    const region = 'me-south-1'; // a region no other test uses: exactly one topic there
    const sns = new SdkSNSClient({ endpoint: motoEndpoint(), region, credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } });
    try {
      await sns.send(new CreateTopicCommand({ Name: unique('only') }));
      BigraysConfig.AWS_REGION = region;
      await expect(snsTask({ topic: 'no-such-topic', input: 'x' })).rejects.toThrow(`SNS topic 'no-such-topic' does not exist in region ${region} (1 topic there)`);
    } finally {
      sns.destroy();
      BigraysConfig.AWS_REGION = REGION;
    }
  });
});
