/**
 * Set-up tasks shared by the AWS examples: they create the bucket or topic
 * an example uses when it does not exist yet, so that each example runs as
 * is against moto or LocalStack. They are also examples of `S3Task` and
 * `SNSTask`: custom work with the AWS SDK client of the open resource.
 *
 * Base classes only (no `@Task()` here): each example decorates its own
 * subclass, so importing this file adds no task to a job.
 */
import { S3Task, SNSTask, type S3Client, type SNSClient } from '@bigrays/aws';

/** Creates `bucket` (templated) unless it exists; outputs the bucket name. */
export class EnsureBucket extends S3Task {
  static templateAttributes = ['bucket'];
  bucket = '{bucket}';

  async run(s3: S3Client): Promise<string> {
    const { HeadBucketCommand, CreateBucketCommand } = s3.sdk;
    try {
      await s3.client.send(new HeadBucketCommand({ Bucket: this.bucket }));
    } catch {
      await s3.client.send(
        new CreateBucketCommand({
          Bucket: this.bucket,
          // us-east-1 is the default location; every other region must be named.
          ...(s3.region === 'us-east-1' ? {} : { CreateBucketConfiguration: { LocationConstraint: s3.region as never } }),
        }),
      );
    }
    return this.bucket;
  }
}

/** Creates the topic `topic` (templated; CreateTopic is idempotent); outputs its ARN. */
export class EnsureTopic extends SNSTask {
  static templateAttributes = ['topic'];
  topic = '{topic}';

  async run(sns: SNSClient): Promise<string> {
    const { TopicArn } = await sns.client.send(new sns.sdk.CreateTopicCommand({ Name: this.topic }));
    return TopicArn!;
  }
}
