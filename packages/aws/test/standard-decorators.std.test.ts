/**
 * The AWS tasks in a job compiled with TypeScript's standard decorators
 * (no experimentalDecorators), as the CLI compiles jobs without a
 * tsconfig: subclasses with `@Task()` and `@Input` inherit `@Requires` from
 * the built-in bases and run against moto.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { Input, Task, bigraysRun, resetJobs, type Row } from '@bigrays/core';
import { FromS3, ListS3Objects, SNSPublishEmail, ToS3 } from '@bigrays/aws';
import { requireService } from '../../../test/support/services.js';
import { closeDirectClients, createBucket, createTopic, subscribeQueue, useMoto } from './helpers.js';

const up = await requireService('moto', 'aws/standard-decorators');

(up ? describe : describe.skip)('AWS tasks with standard decorators', () => {
  beforeAll(() => useMoto());
  afterAll(() => closeDirectClients());
  beforeEach(() => resetJobs());

  it('uploads, lists, reads back and notifies', async () => {
    const b = await createBucket('std');
    const topic = await createTopic('std');
    const queue = await subscribeQueue(topic.arn);

    @Task() class Make { run() { return [{ id: '1', name: 'a, "b"' }, { id: '2', name: null }]; } }
    @Task() class Upload extends ToS3 {
      @Input(Make) input!: Row[];
      bucket = b;
      key = 'std/rows.csv';
    }
    @Task() class List extends ListS3Objects { bucket = b; prefix = 'std/'; }
    @Task() class Read extends FromS3 { bucket = b; key = 'std/rows.csv'; as = 'csv'; }
    @Task() class Tell extends SNSPublishEmail {
      @Input(Upload) input!: string;
      topic = topic.name;
      subject = 'Uploaded';
    }
    const result = await bigraysRun();
    expect(result.output(List)).toEqual(['std/rows.csv']);
    expect(result.output(Read)).toEqual([{ id: '1', name: 'a, "b"' }, { id: '2', name: null }]);
    expect((await queue.receive())[0]).toMatchObject({ Subject: 'Uploaded', Message: `s3://${b}/std/rows.csv` });
    void Tell;
  });
});
