/**
 * The built-in SNS tasks: `SNSTask` (custom SNS work), `SNSPublish`,
 * `SNSPublishEmail`. They are base classes: extend one and decorate the
 * subclass with `@Task()`.
 *
 * @module
 */
import { Requires } from '@bigrays/core';
import { SNSClient } from './sns-client.js';
import { taskError } from './errors.js';
import { displayName } from './s3-tasks.js';

/**
 * Base class of tasks that work with SNS through the SDK: `run` receives the
 * open {@link SNSClient} (`sns.client` is the AWS SDK client;
 * `sns.publish`, `sns.resolveTopicArn`, `sns.listTopicArns` are helpers).
 */
@Requires(SNSClient)
export abstract class SNSTask {
  abstract run(sns: SNSClient): unknown;
}

/**
 * Publishes `input` to `topic`; outputs the message id.
 *
 * `topic` is a topic ARN or a name (looked up in the region with
 * ListTopics, all pages). `input` is a string (sent as is, `{name}`
 * templates filled) or any other JSON-serialisable value (sent as JSON).
 * An unknown topic, an empty message or one over 256 KiB is an error before
 * anything is sent.
 */
// Attributes are declared through an interface rather than as class fields, so that a subclass can
// redeclare them with a precise type (`@Input(Upstream) input!: string`) without TypeScript's error TS2612.
export interface SNSPublish {
  /** Topic ARN or name (templated). */
  topic: string;
  /** The message: a string (templated) or a value sent as JSON. */
  input: unknown;
  /** FIFO topics: the message group id. */
  messageGroupId?: string;
  /** FIFO topics without content-based deduplication: the deduplication id. */
  messageDeduplicationId?: string;
}

export class SNSPublish extends SNSTask {
  static requiredAttributes: readonly string[] = ['topic', 'input'];
  static templateAttributes: readonly string[] = ['topic', 'input'];

  /** The subject sent with the message, if any. */
  protected subjectToSend(): string | undefined {
    return undefined;
  }

  async run(sns: SNSClient): Promise<string> {
    if (!(sns instanceof SNSClient)) {
      throw taskError(
        'SNSTask',
        `${displayName(this)}.run() needs the open SNSClient as its first argument; keep @Requires(SNSClient) (with config overrides if needed) on the class`,
      );
    }
    const subject = this.subjectToSend();
    return sns.publish({
      topic: this.topic,
      message: this.input,
      ...(subject !== undefined ? { subject } : {}),
      ...(this.messageGroupId ? { messageGroupId: this.messageGroupId } : {}),
      ...(this.messageDeduplicationId ? { messageDeduplicationId: this.messageDeduplicationId } : {}),
    });
  }
}

/**
 * {@link SNSPublish} with an email `subject` (templated): at most 100
 * printable ASCII characters, no line breaks; an invalid subject is an error
 * before anything is sent. Subscribers other than email ignore it (SQS sees
 * it as `Subject` in the SNS envelope).
 */
export interface SNSPublishEmail {
  /** Email subject (templated): at most 100 printable ASCII characters, one line. */
  subject: string;
}

export class SNSPublishEmail extends SNSPublish {
  static override requiredAttributes: readonly string[] = ['topic', 'input', 'subject'];
  static override templateAttributes: readonly string[] = ['topic', 'input', 'subject'];

  protected override subjectToSend(): string | undefined {
    if (this.subject === undefined || this.subject === null) {
      throw taskError('SNSPublishEmail', `${displayName(this)}.subject is not set; SNSPublishEmail sends a subject with every message`);
    }
    return this.subject;
  }
}
