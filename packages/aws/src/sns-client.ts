/**
 * `SNSClient`: the resource SNS tasks run with. It wraps the AWS SDK's SNS
 * client (`sns.client`) and adds topic resolution and a checked `publish`.
 *
 * @module
 */
import { ResourceError, taskSignal, type Config } from '@bigrays/core';
import type * as SnsSdk from '@aws-sdk/client-sns';
import type { SNSClient as SdkSNSClient } from '@aws-sdk/client-sns';
import { awsSettings, constructQuietly, lazyModule, sdkClientOptions } from './aws-config.js';
import { AwsResource } from './aws-resource.js';
import { awsErrorCode, describeAwsError, httpStatusOf, isAbortError, isUserFacingAwsError, taskError } from './errors.js';

/** The `@aws-sdk/client-sns` module, as loaded by `SNSClient.open()`. */
export type SNSSdkModule = typeof SnsSdk;

/** Loads `@aws-sdk/client-sns` on first use (never at `import '@bigrays/aws'`). */
export const loadSnsSdk: () => Promise<SNSSdkModule> = lazyModule(() => import('@aws-sdk/client-sns'), '@aws-sdk/client-sns');

/** SNS's limit on a message: 256 KiB of UTF-8. */
export const SNS_MAX_MESSAGE_BYTES = 256 * 1024;
/** SNS's limit on an email subject. */
export const SNS_MAX_SUBJECT_LENGTH = 100;

/** What {@link SNSClient.publish} sends. */
export interface SNSMessage {
  /** Topic ARN, or a topic name (resolved with ListTopics in the client's region). */
  topic: string;
  /** The message: a string as is, anything else as JSON. */
  message: unknown;
  /** Email subject (email subscriptions): at most 100 printable ASCII characters, no line breaks. */
  subject?: string;
  /** FIFO topics: the message group. */
  messageGroupId?: string;
  /** FIFO topics without content-based deduplication: the deduplication id. */
  messageDeduplicationId?: string;
  /** Stops the request when aborted. Default: the running task's signal. */
  signal?: AbortSignal;
}

/**
 * An SNS client for a job's tasks: the AWS SDK client plus helpers.
 * Configured like `S3Client` (`AWS_REGION`, the S3_/AWS_ access keys or the
 * SDK's default chain, `AWS_ENDPOINT_URL`). The AWS SDK is loaded by
 * `open()`, not when `@bigrays/aws` is imported.
 */
export class SNSClient extends AwsResource {
  #client: SdkSNSClient | undefined;
  #sdk: SNSSdkModule | undefined;
  #region = '';
  #endpoint: string | undefined;
  #closed = false;
  /** Topic name → ARN, for this opening (topics are looked up once). */
  readonly #arns = new Map<string, string>();

  /** The AWS SDK v3 SNS client. Only while the resource is open. */
  get client(): SdkSNSClient {
    if (!this.#client) throw new ResourceError('SNSClient', 'SNSClient is not open: use it inside a task that @Requires(SNSClient)');
    return this.#client;
  }

  /** The `@aws-sdk/client-sns` module (command classes). Only while open. */
  get sdk(): SNSSdkModule {
    if (!this.#sdk) throw new ResourceError('SNSClient', 'SNSClient is not open: use it inside a task that @Requires(SNSClient)');
    return this.#sdk;
  }

  get region(): string {
    return this.#region;
  }

  get endpoint(): string | undefined {
    return this.#endpoint;
  }

  async open(config: Config): Promise<void> {
    const settings = awsSettings(config, 'SNSClient');
    const sdk = await loadSnsSdk();
    this.#client = constructQuietly(() => new sdk.SNSClient(sdkClientOptions(settings)));
    this.#sdk = sdk;
    this.#region = settings.region;
    this.#endpoint = settings.endpoint;
  }

  close(): void {
    this.#closed = true;
    this.#client?.destroy();
    this.#client = undefined;
  }

  override healthy(): boolean {
    return !this.#closed && this.#client !== undefined;
  }

  /** Every topic ARN of the region (ListTopics, all pages). */
  async listTopicArns(options: { signal?: AbortSignal } = {}): Promise<string[]> {
    const arns: string[] = [];
    let token: string | undefined;
    do {
      let page: SnsSdk.ListTopicsCommandOutput;
      try {
        page = await this.client.send(new this.sdk.ListTopicsCommand({ NextToken: token }), { abortSignal: options.signal ?? taskSignal() });
      } catch (error) {
        throw this.#error(error, 'cannot list the SNS topics');
      }
      for (const topic of page.Topics ?? []) if (topic.TopicArn) arns.push(topic.TopicArn);
      token = page.NextToken || undefined;
    } while (token);
    return arns;
  }

  /**
   * The ARN of `topic`: an ARN as is, a name looked up with ListTopics (all
   * pages; cached while the resource is open).
   *
   * @throws TaskError naming the topic and the region when no topic has that name.
   */
  async resolveTopicArn(topic: string, options: { signal?: AbortSignal } = {}): Promise<string> {
    if (typeof topic !== 'string' || topic.trim() === '') {
      throw taskError('SNSClient', `the topic must be a topic ARN or name; got ${JSON.stringify(topic)}`);
    }
    if (isArn(topic)) return topic;
    const cached = this.#arns.get(topic);
    if (cached) return cached;
    const arns = await this.listTopicArns(options);
    const arn = arns.find((a) => a.slice(a.lastIndexOf(':') + 1) === topic);
    if (!arn) {
      throw taskError(
        'SNSClient',
        `SNS topic '${topic}' does not exist in region ${this.#region} (${arns.length} ${arns.length === 1 ? 'topic' : 'topics'} there); create it, check BIGRAYS_AWS_REGION, or set the topic ARN`,
      );
    }
    this.#arns.set(topic, arn);
    return arn;
  }

  /**
   * Publishes a message; resolves to its message id. The message and the
   * subject are checked before anything is sent.
   *
   * @throws TaskError for an unknown topic, an invalid subject, an empty or too large message.
   */
  async publish(message: SNSMessage): Promise<string> {
    const body = messageText(message.message);
    if (message.subject !== undefined) checkSubject(message.subject);
    const arn = await this.resolveTopicArn(message.topic, message);
    try {
      const out = await this.client.send(
        new this.sdk.PublishCommand({
          TopicArn: arn,
          Message: body,
          ...(message.subject !== undefined ? { Subject: message.subject } : {}),
          ...(message.messageGroupId ? { MessageGroupId: message.messageGroupId } : {}),
          ...(message.messageDeduplicationId ? { MessageDeduplicationId: message.messageDeduplicationId } : {}),
        }),
        { abortSignal: message.signal ?? taskSignal() },
      );
      return out.MessageId ?? '';
    } catch (error) {
      const code = awsErrorCode(error);
      if (code === 'NotFound' || code === 'NotFoundException' || httpStatusOf(error) === 404) {
        // A name may be cached from before the topic was deleted.
        this.#arns.delete(message.topic);
        throw taskError('SNSClient', `SNS topic ${arn} does not exist; create it, check BIGRAYS_AWS_REGION, or fix the topic`, {
          cause: error,
        });
      }
      throw this.#error(error, `publishing to ${arn} failed`);
    }
  }

  #error(error: unknown, doing: string): Error {
    if (isAbortError(error)) return error as Error;
    return taskError('SNSClient', `${doing}: ${describeAwsError(error, 'SNS')}`, { cause: error, userError: isUserFacingAwsError(error) });
  }
}

function isArn(topic: string): boolean {
  return topic.startsWith('arn:');
}

/** The text SNS gets: a string as is, anything else as JSON; checked against SNS's limits. */
export function messageText(message: unknown): string {
  let text: string | undefined;
  if (typeof message === 'string') text = message;
  else if (message === undefined || typeof message === 'function' || typeof message === 'symbol') text = undefined;
  else {
    try {
      text = JSON.stringify(message, (_key, value: unknown) => (typeof value === 'bigint' ? value.toString() : value));
    } catch (error) {
      throw taskError('SNSClient', `the message cannot be sent as JSON: ${(error as Error).message}`, { cause: error });
    }
  }
  if (text === undefined) {
    throw taskError('SNSClient', `the message must be a string or a JSON-serialisable value; got ${message === undefined ? 'undefined (was input set?)' : typeof message}`);
  }
  if (text === '') throw taskError('SNSClient', 'the message is empty; SNS does not accept empty messages');
  const size = Buffer.byteLength(text, 'utf8');
  if (size > SNS_MAX_MESSAGE_BYTES) {
    throw taskError(
      'SNSClient',
      `the message is ${size} bytes; SNS accepts at most ${SNS_MAX_MESSAGE_BYTES} (256 KiB). Upload the payload to S3 (ToS3) and send its s3:// URI instead`,
    );
  }
  return text;
}

/**
 * Checks an email subject against SNS's rules: 1 to 100 printable ASCII
 * characters, starting with a letter, digit or punctuation, no line breaks.
 *
 * @throws TaskError saying what is wrong, before anything is sent.
 */
export function checkSubject(subject: unknown): void {
  const fail = (why: string) => {
    throw taskError('SNSClient', `invalid email subject ${JSON.stringify(subject)}: ${why}`);
  };
  if (typeof subject !== 'string') return fail(`it must be a string, not ${subject === null ? 'null' : typeof subject}`);
  if (subject.length === 0) return fail('it is empty');
  if (subject.length > SNS_MAX_SUBJECT_LENGTH) return fail(`it has ${subject.length} characters; SNS allows at most ${SNS_MAX_SUBJECT_LENGTH}`);
  if (/[\r\n]/.test(subject)) return fail('it contains a line break; SNS subjects are one line');
  const bad = [...subject].find((c) => c < ' ' || c > '~');
  if (bad !== undefined) {
    return fail(`it contains ${JSON.stringify(bad)} (U+${bad.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}); SNS subjects are printable ASCII only`);
  }
  if (subject[0] === ' ') return fail('it starts with a space; SNS subjects start with a letter, digit or punctuation');
}
