/**
 * SNSPublish: publish a message to a topic given by name (or ARN). A string
 * is sent as is; anything else is sent as JSON.
 *
 *   BIGRAYS_AWS_ENDPOINT_URL=http://127.0.0.1:5000 BIGRAYS_AWS_REGION=us-east-1 \
 *   BIGRAYS_S3_ACCESS_KEY_ID=testing BIGRAYS_S3_SECRET_ACCESS_KEY=testing \
 *   pnpm bigrays examples/aws/sns-publish.ts
 */
import { Input, Task, updateFormatKws } from '@bigrays/core';
import { SNSPublish } from '@bigrays/aws';
import { EnsureTopic } from './setup.js';

updateFormatKws({ topic: 'bigrays-examples', run_date: '2026-01-01' });

@Task()
class CreateTopic extends EnsureTopic {}

@Task()
class NotifyPipeline extends SNSPublish {
  topic = '{topic}';
  input = { event: 'predictions-ready', rows: 2, location: 's3://bigrays-examples/predictions/' };
}

@Task()
class Show {
  @Input(NotifyPipeline) messageId!: string;
  run() {
    console.log(`Published message ${this.messageId}`);
  }
}

void [CreateTopic, Show];
