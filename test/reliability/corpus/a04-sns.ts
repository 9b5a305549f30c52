import { Task } from '@bigrays/core';
import { SNSPublishEmail } from '@bigrays/aws';

@Task()
class Notify extends SNSPublishEmail {
  topic = process.env.RELI_TOPIC!;
  input = process.env.RELI_SNS_BYTES ? 'x'.repeat(Number(process.env.RELI_SNS_BYTES)) : 'Predictions are uploaded';
  subject = process.env.RELI_SUBJECT ?? 'Predictions are finished';
}
void Notify;
