/**
 * SNSPublishEmail: publish a message with an email subject. Run with
 * exceptions, it is the usual last task of a job: it sends the alert even
 * when an earlier task failed (here, `--param fail=yes` makes one fail).
 *
 *   BIGRAYS_AWS_ENDPOINT_URL=http://127.0.0.1:5000 BIGRAYS_AWS_REGION=us-east-1 \
 *   BIGRAYS_S3_ACCESS_KEY_ID=testing BIGRAYS_S3_SECRET_ACCESS_KEY=testing \
 *   pnpm bigrays examples/aws/sns-publish-email.ts --param run_date=2026-03-01
 */
import { Task, updateFormatKws } from '@bigrays/core';
import { SNSPublishEmail } from '@bigrays/aws';
import { EnsureTopic } from './setup.js';

updateFormatKws({ topic: 'bigrays-examples', run_date: '2026-01-01', fail: 'no' });

@Task()
class CreateTopic extends EnsureTopic {}

@Task()
class Work {
  static templateAttributes = ['fail'];
  fail = '{fail}';
  run() {
    if (this.fail === 'yes') throw new Error('the model did not converge');
    return 'ok';
  }
}

@Task({ runWithExceptions: true })
class EmailTeam extends SNSPublishEmail {
  topic = '{topic}';
  // At most 100 printable ASCII characters, one line: checked before sending.
  subject = 'Predictions job for {run_date} has ended';
  input = 'The predictions job for {run_date} has ended. See the job log for details.';
}

void [CreateTopic, Work, EmailTeam];
