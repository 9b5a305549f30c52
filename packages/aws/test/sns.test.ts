/**
 * SNS tasks against moto_server: every message is read back from an SQS
 * queue subscribed to the topic (raw message delivery off, so each SQS body
 * is SNS's JSON envelope with `Message` and `Subject`).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { CreateTopicCommand } from '@aws-sdk/client-sns';
import { Input, JobFailedError, Task, bigraysRun, resetFormatKws, resetJobs, updateFormatKws } from '@bigrays/core';
import { SNSClient, SNSPublish, SNSPublishEmail, SNSTask, snsPublish, snsPublishEmail } from '@bigrays/aws';
import { requireService } from '../../../test/support/services.js';
import { REGION, closeDirectClients, createTopic, direct, failure, subscribeQueue, unique, useMoto } from './helpers.js';

const up = await requireService('moto', 'aws/sns');

(up ? describe : describe.skip)('SNS tasks on moto', () => {
  beforeAll(() => useMoto());
  afterAll(() => closeDirectClients());
  beforeEach(() => {
    resetJobs();
    resetFormatKws();
  });

  it('SNSPublish sends a string to a topic given by name; the message id is the output', async () => {
    const topic = await createTopic();
    const queue = await subscribeQueue(topic.arn);
    const name = topic.name;
    @Task() class Notify extends SNSPublish {
      topic = name;
      input = 'Predictions are uploaded to s3';
    }
    const result = await bigraysRun();
    const [envelope] = await queue.receive();
    expect(envelope).toMatchObject({ Type: 'Notification', TopicArn: topic.arn, Message: 'Predictions are uploaded to s3' });
    expect(envelope!.Subject).toBeUndefined();
    expect(result.output(Notify)).toBe(envelope!.MessageId);
  });

  it('sends any other input as JSON, and fills templates in a string input and the topic', async () => {
    const topic = await createTopic('templated');
    const queue = await subscribeQueue(topic.arn);
    updateFormatKws({ topic_name: topic.name, run_date: '2026-03-01' });
    const payload = { status: 'done', rows: 3, nested: { ok: true, when: '{run_date}' }, list: [1, 'two'] };
    @Task() class AsJson extends SNSPublish { topic = topic.arn; input = payload; }
    @Task() class AsText extends SNSPublish { topic = '{topic_name}'; input = 'finished {run_date} {{literal}}'; }
    await bigraysRun(AsJson, AsText);
    const bodies = (await queue.receive(2)).map((e) => e.Message).sort();
    expect(bodies).toEqual([JSON.stringify(payload), 'finished 2026-03-01 {literal}'].sort());
  });

  // Only a string input is a template: objects are templated only for attributes a task lists in
  // `templateObjectAttributes` (SQL `params`), which SNSPublish does not.
  it('does not fill templates inside an object input', async () => {
    const topic = await createTopic('object');
    const queue = await subscribeQueue(topic.arn);
    updateFormatKws({ run_date: '2026-03-01' });
    const payload = { text: 'literal {run_date} and {not_a_parameter}' };
    @Task() class AsJson extends SNSPublish { topic = topic.arn; input = payload; }
    await bigraysRun(AsJson);
    expect((await queue.receive())[0]!.Message).toBe(JSON.stringify(payload));
  });

  it('SNSPublishEmail sends the subject (templated) with the message', async () => {
    const topic = await createTopic('email');
    const queue = await subscribeQueue(topic.arn);
    updateFormatKws({ run_date: '2026-03-01' });
    @Task() class Produce { run() { return 'Predictions are uploaded to s3'; } }
    @Task({ runWithExceptions: true }) class EmailTeam extends SNSPublishEmail {
      @Input(Produce) input!: string;
      topic = topic.name;
      subject = 'Predictions for {run_date} are finished';
    }
    const result = await bigraysRun();
    const [envelope] = await queue.receive();
    expect(envelope).toMatchObject({ Subject: 'Predictions for 2026-03-01 are finished', Message: 'Predictions are uploaded to s3' });
    expect(result.output(EmailTeam)).toBe(envelope!.MessageId);
  });

  it('finds a topic by name beyond the first page of ListTopics (100 per page)', async () => {
    const prefix = unique('many');
    const names = Array.from({ length: 130 }, (_, i) => `${prefix}-${String(i).padStart(3, '0')}`);
    const arns = await Promise.all(names.map(async (n) => (await direct.sns.send(new CreateTopicCommand({ Name: n }))).TopicArn!));
    const last = names.at(-1)!;
    const queue = await subscribeQueue(arns.at(-1)!);
    @Task() class Far extends SNSPublish { topic = last; input = 'found'; }
    await bigraysRun();
    expect((await queue.receive()).map((e) => e.Message)).toEqual(['found']);
  });

  describe('errors before anything is sent', () => {
    it('an unknown topic name names the topic and the region; an unknown ARN names the ARN', async () => {
      const missing = unique('no-such-topic');
      const missingArn = `arn:aws:sns:${REGION}:123456789012:${missing}`;
      @Task() class ByName extends SNSPublish { topic = missing; input = 'x'; }
      @Task() class ByArn extends SNSPublish { topic = missingArn; input = 'x'; }
      expect(await failure(bigraysRun(ByName))).toContain(`SNS topic '${missing}' does not exist in region ${REGION}`);
      expect(await failure(bigraysRun(ByArn))).toContain(`SNS topic ${missingArn} does not exist`);
    });

    it.each([
      ['too long', 'x'.repeat(101), 'it has 101 characters; SNS allows at most 100'],
      ['a line break', 'first\nsecond', 'it contains a line break'],
      ['non-ASCII', 'Prédictions', 'it contains "é" (U+00E9); SNS subjects are printable ASCII only'],
      ['a control character', 'tab\there', 'it contains "\\t" (U+0009); SNS subjects are printable ASCII only'],
      ['empty', '', 'it is empty'],
    ])('an email subject with %s', async (_what, subject, reason) => {
      const topic = await createTopic('subject');
      const queue = await subscribeQueue(topic.arn);
      @Task() class Bad extends SNSPublishEmail { topic = topic.arn; input = 'x'; subject = subject; }
      const message = await failure(bigraysRun(Bad));
      expect(message).toContain(`invalid email subject ${JSON.stringify(subject)}: ${reason}`);
      expect(await queue.receive(1, 0)).toEqual([]);
    });

    it('accepts a subject of exactly 100 printable characters', async () => {
      const topic = await createTopic('subject');
      const queue = await subscribeQueue(topic.arn);
      const subject = `${'a'.repeat(60)} !"#$%&'()*+,-./:;<=>?@[\\]^_\`{|}~ 0123456`.slice(0, 100);
      expect(subject).toHaveLength(100);
      await snsPublishEmail({ topic: topic.arn, input: 'x', subject });
      expect((await queue.receive())[0]!.Subject).toBe(subject);
    });

    it('a message over 256 KiB, and an empty message', async () => {
      const topic = await createTopic('size');
      @Task() class Huge extends SNSPublish { topic = topic.arn; input = 'x'.repeat(256 * 1024 + 1); }
      @Task() class Empty extends SNSPublish { topic = topic.arn; input = ''; }
      expect(await failure(bigraysRun(Huge))).toContain('the message is 262145 bytes; SNS accepts at most 262144 (256 KiB)');
      expect(await failure(bigraysRun(Empty))).toContain('the message is empty');
    });
  });

  it('SNSTask hands run() the open SNSClient with the SDK client and helpers', async () => {
    const topic = await createTopic('custom');
    const queue = await subscribeQueue(topic.arn);
    @Task() class Custom extends SNSTask {
      async run(sns: SNSClient) {
        const arn = await sns.resolveTopicArn(topic.name);
        const { Attributes } = await sns.client.send(new sns.sdk.GetTopicAttributesCommand({ TopicArn: arn }));
        await sns.publish({ topic: arn, message: { arn: Attributes!.TopicArn } });
        return arn;
      }
    }
    const result = await bigraysRun();
    expect(result.output(Custom)).toBe(topic.arn);
    expect(JSON.parse((await queue.receive())[0]!.Message)).toEqual({ arn: topic.arn });
  });

  it('functional interface: snsPublish and snsPublishEmail', async () => {
    const topic = await createTopic('functional');
    const queue = await subscribeQueue(topic.arn);
    const id1 = await snsPublish({ topic: topic.name, input: { a: 1 } });
    const id2 = await snsPublishEmail({ topic: topic.arn, input: 'body', subject: 'Hello' });
    const envelopes = await queue.receive(2);
    const byId = new Map(envelopes.map((e) => [e.MessageId, e]));
    expect(byId.get(id1)).toMatchObject({ Message: '{"a":1}' });
    expect(byId.get(id2)).toMatchObject({ Message: 'body', Subject: 'Hello' });
  });
});
