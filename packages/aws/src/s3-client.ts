/**
 * `S3Client`: the resource S3 tasks run with. It wraps the AWS SDK's S3
 * client (`s3.client`) and adds the helpers the built-in tasks use
 * (`upload`, `getObject`, `listKeys`, ...), which custom `S3Task`s can use
 * too.
 *
 * @module
 */
import type { Readable } from 'node:stream';
import { ResourceError, taskSignal, type Config } from '@bigrays/core';
import type * as S3Sdk from '@aws-sdk/client-s3';
import type { S3Client as SdkS3Client, _Object as S3Object } from '@aws-sdk/client-s3';
import { awsSettings, constructQuietly, lazyModule, sdkClientOptions } from './aws-config.js';
import { AwsResource } from './aws-resource.js';
import { awsErrorCode, describeAwsError, httpStatusOf, isAbortError, isUserFacingAwsError, taskError } from './errors.js';
import { uploadCancelScope } from './cancel-scope.js';
import { runUpload, type S3UploadOptions, type S3UploadResult, type UploadHandle } from './upload.js';

export type { S3UploadOptions, S3UploadResult } from './upload.js';

/** The `@aws-sdk/client-s3` module, as loaded by `S3Client.open()`. */
export type S3SdkModule = typeof S3Sdk;

/** Loads `@aws-sdk/client-s3` on first use (never at `import '@bigrays/aws'`). */
export const loadS3Sdk: () => Promise<S3SdkModule> = lazyModule(() => import('@aws-sdk/client-s3'), '@aws-sdk/client-s3');


/** How long `close()` waits for uploads still in flight to stop before aborting them directly. */
const CLOSE_WAIT_MS = 10_000;

/** Options of {@link S3Client.listObjects} and {@link S3Client.listKeys}. */
export interface S3ListOptions {
  /** Only keys that start with this. */
  prefix?: string;
  /** Only keys that end with this (filtered here: S3 has no suffix filter). */
  suffix?: string;
  /** Stops listing when aborted. Default: the running task's signal. */
  signal?: AbortSignal;
}

/** Options of the read helpers. */
export interface S3ReadOptions {
  /** Stops the request when aborted. Default: the running task's signal. */
  signal?: AbortSignal;
}

/**
 * An S3 client for a job's tasks: the AWS SDK client plus helpers.
 *
 * Configuration (`BigraysConfig` keys, i.e. `BIGRAYS_*` environment variables):
 * `AWS_REGION` (required); `S3_ACCESS_KEY_ID` and `S3_SECRET_ACCESS_KEY`
 * (aliases `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`; both or neither;
 * neither: the SDK's default credential chain); optional `S3_SESSION_TOKEN`
 * (alias `AWS_SESSION_TOKEN`); `AWS_ENDPOINT_URL` for S3-compatible servers
 * (path-style addressing is used there).
 *
 * The AWS SDK is loaded by `open()`, not when `@bigrays/aws` is imported.
 *
 * @example
 * \@Task()
 * \@Requires(S3Client)
 * class CopyReport {
 *   async run(s3: S3Client) {
 *     const bytes = await s3.getObject('in-bucket', 'report.csv');
 *     return s3.upload('out-bucket', 'report.csv', bytes, { overwrite: true });
 *   }
 * }
 */
export class S3Client extends AwsResource {
  #client: SdkS3Client | undefined;
  #sdk: S3SdkModule | undefined;
  #region = '';
  #endpoint: string | undefined;
  #closed = false;
  readonly #uploads = new Set<UploadHandle>();

  /** The AWS SDK v3 S3 client. Only while the resource is open. */
  get client(): SdkS3Client {
    if (!this.#client) throw new ResourceError('S3Client', 'S3Client is not open: use it inside a task that @Requires(S3Client)');
    return this.#client;
  }

  /** The `@aws-sdk/client-s3` module (command classes: `new s3.sdk.CopyObjectCommand(...)`). Only while open. */
  get sdk(): S3SdkModule {
    if (!this.#sdk) throw new ResourceError('S3Client', 'S3Client is not open: use it inside a task that @Requires(S3Client)');
    return this.#sdk;
  }

  /** The region the client talks to. */
  get region(): string {
    return this.#region;
  }

  /** The compatible endpoint in use (`AWS_ENDPOINT_URL`), if any. */
  get endpoint(): string | undefined {
    return this.#endpoint;
  }

  /** `s3://bucket/key` */
  static uri(bucket: string, key?: string): string {
    return key === undefined ? `s3://${bucket}` : `s3://${bucket}/${key}`;
  }

  async open(config: Config): Promise<void> {
    const settings = awsSettings(config, 'S3Client');
    const sdk = await loadS3Sdk();
    const client = constructQuietly(
      () =>
        new sdk.S3Client({
          ...sdkClientOptions(settings),
          // moto, MinIO and LocalStack serve buckets under the endpoint's path, not as subdomains.
          ...(settings.endpoint ? { forcePathStyle: true } : {}),
        }),
    );
    cancellableUploads(client);
    this.#sdk = sdk;
    this.#client = client;
    this.#region = settings.region;
    this.#endpoint = settings.endpoint;
  }

  /**
   * Stops uploads still in flight (a task that timed out or was
   * interrupted), aborting their multipart uploads so that no partial
   * object or open multipart upload remains, then releases the connections.
   */
  async close(error?: unknown): Promise<void> {
    this.#closed = true;
    const uploads = [...this.#uploads];
    if (uploads.length > 0) {
      const reason = error ?? new Error('S3Client was closed while an upload was in flight');
      for (const upload of uploads) upload.abort(reason);
      const settled = Promise.allSettled(uploads.map((u) => u.settled));
      const timedOut = await Promise.race([settled.then(() => false), delay(CLOSE_WAIT_MS).then(() => true)]);
      if (timedOut) {
        // The server does not answer: abort what can be aborted directly, with a bounded wait.
        await Promise.allSettled(uploads.map((u) => u.abortMultipartNow(AbortSignal.timeout(CLOSE_WAIT_MS))));
      }
    }
    this.#client?.destroy();
    this.#client = undefined;
  }

  override healthy(): boolean {
    return !this.#closed && this.#client !== undefined;
  }

  /**
   * Whether `s3://bucket/key` exists (HeadObject). A missing bucket counts
   * as a missing object (HEAD cannot tell them apart).
   *
   * @throws TaskError when the check itself fails (permissions, network).
   */
  async objectExists(bucket: string, key: string, options: S3ReadOptions = {}): Promise<boolean> {
    try {
      await this.client.send(new this.sdk.HeadObjectCommand({ Bucket: bucket, Key: key }), { abortSignal: signalOf(options) });
      return true;
    } catch (error) {
      if (httpStatusOf(error) === 404 || ['NotFound', 'NoSuchKey', 'NoSuchBucket'].includes(awsErrorCode(error) ?? '')) return false;
      throw this.#error(error, `cannot check whether ${S3Client.uri(bucket, key)} exists`, bucket, key);
    }
  }

  /**
   * The object's body as a stream (GetObject). Read it to the end or destroy
   * it.
   *
   * @throws TaskError naming `s3://bucket/key` when the object or the bucket does not exist.
   */
  async getObjectStream(bucket: string, key: string, options: S3ReadOptions = {}): Promise<Readable> {
    try {
      const out = await this.client.send(new this.sdk.GetObjectCommand({ Bucket: bucket, Key: key }), { abortSignal: signalOf(options) });
      return out.Body as Readable;
    } catch (error) {
      throw this.#error(error, `cannot read ${S3Client.uri(bucket, key)}`, bucket, key);
    }
  }

  /**
   * The object's bytes (GetObject, read into memory).
   *
   * @throws TaskError naming `s3://bucket/key` when the object or the bucket does not exist.
   */
  async getObject(bucket: string, key: string, options: S3ReadOptions = {}): Promise<Buffer> {
    const body = await this.getObjectStream(bucket, key, options);
    const chunks: Buffer[] = [];
    try {
      for await (const chunk of body) chunks.push(chunk as Buffer);
    } catch (error) {
      throw this.#error(error, `reading ${S3Client.uri(bucket, key)} failed`, bucket, key);
    }
    return Buffer.concat(chunks);
  }

  /** The object's text, decoded as UTF-8. */
  async getObjectText(bucket: string, key: string, options: S3ReadOptions = {}): Promise<string> {
    return (await this.getObject(bucket, key, options)).toString('utf8');
  }

  /**
   * Every object under `prefix` (and ending with `suffix`), page after page
   * (ListObjectsV2 with continuation tokens), in S3's key order.
   *
   * @throws TaskError naming the bucket when it does not exist.
   */
  async *listObjects(bucket: string, options: S3ListOptions = {}): AsyncGenerator<S3Object, void, undefined> {
    const { prefix, suffix } = options;
    let token: string | undefined;
    do {
      let page: S3Sdk.ListObjectsV2CommandOutput;
      try {
        page = await this.client.send(
          new this.sdk.ListObjectsV2Command({ Bucket: bucket, Prefix: prefix || undefined, ContinuationToken: token }),
          { abortSignal: signalOf(options) },
        );
      } catch (error) {
        throw this.#error(error, `cannot list ${S3Client.uri(bucket, prefix ?? '')}`, bucket);
      }
      for (const object of page.Contents ?? []) {
        if (object.Key !== undefined && (!suffix || object.Key.endsWith(suffix))) yield object;
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
  }

  /** The keys of {@link S3Client.listObjects}, all pages. */
  async listKeys(bucket: string, options: S3ListOptions = {}): Promise<string[]> {
    const keys: string[] = [];
    for await (const object of this.listObjects(bucket, options)) keys.push(object.Key!);
    return keys;
  }

  /**
   * Streams `input` to `s3://bucket/key` through a multipart upload (memory
   * stays bounded whatever the size): rows become CSV with a header, a
   * `Dataset` its CSV file, a string/Buffer/Readable its bytes.
   *
   * Unless `overwrite` is true, an existing object is an error and is left
   * untouched; the check is atomic where the server honours conditional
   * writes (`If-None-Match: *`, as S3 does). On failure or abort the
   * multipart upload is aborted: no partial object and no open upload
   * remain.
   */
  async upload(bucket: string, key: string, input: unknown, options: S3UploadOptions = {}): Promise<S3UploadResult> {
    if (this.#closed) throw new ResourceError('S3Client', 'S3Client is closed: uploads need an open resource');
    return runUpload(
      {
        client: this.client,
        sdk: this.sdk,
        loadStorage: loadLibStorage,
        track: (handle) => {
          this.#uploads.add(handle);
          return () => this.#uploads.delete(handle);
        },
        objectExists: (b, k, signal) => this.objectExists(b, k, { signal }),
      },
      bucket,
      key,
      input,
      options,
    );
  }

  /** A TaskError for a failed S3 call, naming what is missing when that is the cause. */
  #error(error: unknown, doing: string, bucket: string, key?: string): Error {
    if (isAbortError(error)) return error as Error;
    const code = awsErrorCode(error);
    const where = S3Client.uri(bucket, key);
    if (code === 'NoSuchBucket') {
      return taskError('S3Client', `${doing}: the bucket '${bucket}' does not exist (${where}); check the bucket name and BIGRAYS_AWS_REGION`, {
        cause: error,
      });
    }
    if (code === 'NoSuchKey' || (key !== undefined && httpStatusOf(error) === 404)) {
      return taskError('S3Client', `${where} does not exist (no object with key '${key}' in bucket '${bucket}')`, { cause: error });
    }
    return taskError('S3Client', `${doing}: ${describeAwsError(error, 'S3')}`, { cause: error, userError: isUserFacingAwsError(error) });
  }
}

const loadLibStorage = lazyModule(() => import('@aws-sdk/lib-storage'), '@aws-sdk/lib-storage');

/**
 * Lets {@link uploadCancelScope} cancel the data-carrying requests of an
 * upload: wraps the client's own request handler (this client only).
 */
function cancellableUploads(client: SdkS3Client): void {
  type Handle = (request: { method?: string }, options?: { abortSignal?: AbortSignal }) => Promise<unknown>;
  const handler = client.config.requestHandler as unknown as { handle: Handle };
  const handle = handler.handle.bind(handler);
  handler.handle = (request, options = {}) => {
    const signal = uploadCancelScope.getStore();
    if (signal === undefined || request.method !== 'PUT') return handle(request, options);
    const abortSignal = options.abortSignal ? AbortSignal.any([options.abortSignal, signal]) : signal;
    return handle(request, { ...options, abortSignal });
  };
}

function signalOf(options: { signal?: AbortSignal }): AbortSignal {
  return options.signal ?? taskSignal();
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
