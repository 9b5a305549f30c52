/**
 * The streaming upload behind `ToS3` and `S3Client.upload`: any table
 * input → bytes → `@aws-sdk/lib-storage` multipart upload, with the
 * overwrite guard, progress, and clean abort.
 *
 * @module
 */
import { Readable } from 'node:stream';
import {
  CopyProgress,
  contentHeadersOf,
  describeValue,
  checkTableInput,
  encodeTable,
  type ParquetStreamOptions,
  errorMessage,
} from '@bigrays/core/plugin';
import {
  taskSignal,
  type Dataset,
  type Progress,
  type TableCompression,
  type TableFormat,
} from '@bigrays/core';
import type * as S3Sdk from '@aws-sdk/client-s3';
import type { S3Client as SdkS3Client, ServerSideEncryption } from '@aws-sdk/client-s3';
import type * as LibStorage from '@aws-sdk/lib-storage';
import { awsErrorCode, describeAwsError, httpStatusOf, isUserFacingAwsError, taskError } from './errors.js';
import { uploadCancelScope } from './cancel-scope.js';

/** Default part size: 8 MiB (S3's minimum is 5 MiB; at most 10,000 parts). */
export const DEFAULT_PART_SIZE = 8 * 1024 * 1024;
/** Default number of parts uploaded at once. Memory use is about (queueSize + 1) × partSize. */
export const DEFAULT_QUEUE_SIZE = 4;
const MIN_PART_SIZE = 5 * 1024 * 1024;
const MAX_PARTS = 10_000;

/** What `serverSideEncryption` may be: an S3 algorithm, or `null`/`false` to send no encryption header. */
export type ServerSideEncryptionSetting = ServerSideEncryption | `${ServerSideEncryption}` | null | false;

/** Options of `S3Client.upload`. */
export interface S3UploadOptions {
  /** Replace an existing object. Default `false`: an existing object is an error and is left untouched. */
  overwrite?: boolean;
  /** `'AES256'` (default), `'aws:kms'`, `'aws:kms:dsse'`, or `null` for none (servers without SSE). */
  serverSideEncryption?: ServerSideEncryptionSetting;
  /** KMS key for `'aws:kms'` encryption (default: the account's S3 key). */
  sseKmsKeyId?: string;
  /** Content-Type of the object. Default: from the format and the input (`text/csv` for tables, ...). */
  contentType?: string;
  /**
   * How a table (rows or a Dataset) is encoded: `'csv'` (default), `'jsonl'`
   * or `'parquet'`. Strings, bytes and streams are uploaded as is (`'csv'` only).
   */
  format?: TableFormat;
  /** `'none'` (default) or `'gzip'` (CSV and JSON Lines; sets `Content-Encoding: gzip`). */
  compression?: TableCompression;
  /** Parquet options (column types, row group size) for `format: 'parquet'`. */
  parquet?: Omit<ParquetStreamOptions, 'onProgress'>;
  /** Bytes per part. Default 8 MiB, raised for inputs of known size so that they fit in 10,000 parts. */
  partSize?: number;
  /** Parts uploaded at once. Default 4. */
  queueSize?: number;
  /** Stops the upload (and aborts the multipart upload) when aborted. Default: the running task's signal. */
  signal?: AbortSignal;
  /**
   * Called with this upload's running totals (at most every 100 ms, and at
   * the end), e.g. `(p) => reportProgress(p)` when the upload is all the task
   * moves. `ToS3` reports them as the task's progress.
   */
  onProgress?: (progress: Progress) => void;
  /** How to name the input in error messages. Default `'input'`. */
  label?: string;
}

/** What an upload did. */
export interface S3UploadResult {
  /** `s3://bucket/key` */
  uri: string;
  bucket: string;
  key: string;
  /** Bytes uploaded. */
  bytes: number;
  /** Rows written, for row and Dataset inputs. */
  rows?: number;
  etag?: string;
  versionId?: string;
}

/** An upload in flight, as the resource tracks it for `close()`. @internal */
export interface UploadHandle {
  /** Stops the upload; `settled` resolves once its multipart upload is aborted. */
  abort(reason: unknown): void;
  readonly settled: Promise<unknown>;
  /** Sends AbortMultipartUpload now (when the normal path hangs). */
  abortMultipartNow(signal: AbortSignal): Promise<void>;
}

/** What `runUpload` needs from the resource. @internal */
export interface UploadContext {
  client: SdkS3Client;
  sdk: typeof S3Sdk;
  loadStorage: () => Promise<typeof LibStorage>;
  track(handle: UploadHandle): () => void;
  objectExists(bucket: string, key: string, signal: AbortSignal): Promise<boolean>;
}

/** @internal The implementation of `S3Client.upload`. */
export async function runUpload(
  ctx: UploadContext,
  bucket: string,
  key: string,
  input: unknown,
  options: S3UploadOptions,
): Promise<S3UploadResult> {
  const label = options.label ?? 'input';
  const overwrite = options.overwrite ?? false;
  const signal = options.signal ?? taskSignal();
  const onProgress = options.onProgress ?? (() => undefined);
  const uri = `s3://${bucket}/${key}`;

  checkName('bucket', bucket);
  checkName('key', key);
  const format = options.format ?? 'csv';
  const compression = options.compression ?? 'none';
  const kind = checkTableInput(input, {
    label,
    format,
    compression,
    // Named after the task's attribute (`ToS3.format`) when called by a task.
    where: label.endsWith('.input') ? label.slice(0, -'.input'.length) : 'upload',
    fail: (message, cause) => taskError('S3Client', message, cause === undefined ? undefined : { cause }),
  });
  const headers = contentHeadersOf(input, format, compression);
  const sse = options.serverSideEncryption === undefined ? 'AES256' : options.serverSideEncryption;
  const partSize = choosePartSize(input, kind, options.partSize);
  const queueSize = options.queueSize ?? DEFAULT_QUEUE_SIZE;
  if (!Number.isInteger(queueSize) || queueSize < 1) throw taskError('S3Client', `queueSize must be a positive integer; got ${queueSize}`);

  let Upload: typeof LibStorage.Upload;
  try {
    signal.throwIfAborted();
    // Fails fast (before reading any input) and guards servers that ignore If-None-Match.
    if (!overwrite && (await existsOrUnknown(ctx, bucket, key, signal))) throw existsError(uri);
    ({ Upload } = await ctx.loadStorage());
    signal.throwIfAborted();
  } catch (error) {
    // A stream input (an open file, an HTTP body) would otherwise stay open with nobody to read it.
    if (kind === 'stream') discard(input);
    throw error;
  }

  // ---- the bytes: input → (counted) body
  const progress = new CopyProgress(input, onProgress);
  let source: Readable;
  try {
    source = encodeTable(input, { format, compression, label, onProgress: progress.onEncoded, parquet: options.parquet });
  } catch (error) {
    // E.g. a Dataset deleted before this task ran.
    throw taskError('S3Client', `cannot read the ${label}: ${errorMessage(error)}`, { cause: error });
  }

  const stop = new AbortController();
  let inputError: unknown;
  async function* counted(): AsyncGenerator<Buffer, void, undefined> {
    const chunks = source[Symbol.asyncIterator]() as AsyncIterator<unknown>;
    try {
      for (;;) {
        // Raced against the stop, so that an input that never produces again (a stalled stream)
        // cannot hold the upload open.
        const next = await unlessStopped(chunks.next(), stop.signal);
        if (next.done) return;
        const buf = toBuffer(next.value, label);
        progress.addBytes(buf.length);
        yield buf;
      }
    } catch (error) {
      if (!stop.signal.aborted) inputError ??= error;
      throw error;
    } finally {
      source.destroy();
    }
  }
  const body = Readable.from(counted(), { objectMode: false, highWaterMark: 256 * 1024 });

  const params: S3Sdk.PutObjectCommandInput & Partial<S3Sdk.CompleteMultipartUploadCommandInput> = {
    Bucket: bucket,
    Key: key,
    Body: body,
    ContentType: options.contentType ?? headers.contentType,
    ...(headers.contentEncoding ? { ContentEncoding: headers.contentEncoding } : {}),
    ...(sse ? { ServerSideEncryption: sse as ServerSideEncryption } : {}),
    ...(sse && options.sseKmsKeyId ? { SSEKMSKeyId: options.sseKmsKeyId } : {}),
    // The atomic half of the overwrite guard: PutObject and CompleteMultipartUpload fail with 412 if the key exists.
    ...(overwrite ? {} : { IfNoneMatch: '*' }),
  };
  let upload: LibStorage.Upload;
  try {
    upload = new Upload({ client: ctx.client, params, partSize, queueSize, leavePartsOnError: false });
  } catch (error) {
    source.destroy();
    throw taskError('S3Client', `cannot upload to ${uri}: ${errorMessage(error)}`, { cause: error });
  }

  // ---- stopping: the task's signal, or the resource closing
  const onSignal = () => stop.abort(signal.reason);
  signal.addEventListener('abort', onSignal, { once: true });
  stop.signal.addEventListener(
    'abort',
    () => {
      // Wakes the reader even when the input is stalled; the upload fails and aborts its multipart upload.
      source.destroy(stop.signal.reason instanceof Error ? stop.signal.reason : new Error(String(stop.signal.reason)));
    },
    { once: true },
  );
  if (signal.aborted) onSignal();
  const abortMultipartNow = async (abortSignal: AbortSignal) => {
    if (upload.uploadId) await abortMultipart(ctx, bucket, key, upload.uploadId, abortSignal);
  };
  // done() settles only after every part request settled and a failed upload was aborted (its own abort
  // controller is never used: that would make done() reject before the clean-up ran).
  const done = uploadCancelScope.run(stop.signal, () => upload.done());
  const settled = done.catch(() => undefined);
  const untrack = ctx.track({ abort: (reason) => stop.abort(reason), settled, abortMultipartNow });

  try {
    const result = await done;
    if (stop.signal.aborted) {
      // Stopped while S3 completed the upload: the commit cannot be recalled. A new object is removed
      // (it did not exist before); a replaced one stays replaced.
      if (!overwrite) await deleteQuietly(ctx, bucket, key, result.VersionId);
      throw stop.signal.reason;
    }
    progress.report(true);
    const rows = progress.rowCount;
    return {
      uri,
      bucket,
      key,
      bytes: progress.bytes,
      ...(rows !== undefined ? { rows } : {}),
      ...(result.ETag ? { etag: result.ETag } : {}),
      ...(result.VersionId ? { versionId: result.VersionId } : {}),
    };
  } catch (error) {
    // lib-storage aborts a failed multipart upload itself; this catches the cases where that abort failed.
    if (upload.uploadId) await abortMultipart(ctx, bucket, key, upload.uploadId, AbortSignal.timeout(30_000)).catch(() => undefined);
    if (stop.signal.aborted) throw stop.signal.reason;
    throw uploadError(error, inputError, uri, bucket, label);
  } finally {
    signal.removeEventListener('abort', onSignal);
    untrack();
    body.destroy();
    source.destroy();
  }
}

/**
 * `pending`, or a rejection with the signal's reason as soon as it aborts.
 * (Not `Promise.race` with one long-lived promise: every race would stay
 * subscribed to it, keeping every chunk read alive until the upload ends.)
 */
function unlessStopped<T>(pending: Promise<T>, signal: AbortSignal): Promise<T> {
  // Settles after a stop with nobody waiting: not an unhandled rejection.
  pending.catch(() => undefined);
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    pending.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

/** Releases a stream input that will not be read. */
function discard(input: unknown): void {
  if (input instanceof Readable) input.destroy();
  else if (typeof (input as { cancel?: unknown }).cancel === 'function') (input as ReadableStream).cancel().catch(() => undefined);
}

function toBuffer(chunk: unknown, label: string): Buffer {
  if (Buffer.isBuffer(chunk)) return chunk;
  if (typeof chunk === 'string') return Buffer.from(chunk, 'utf8');
  if (chunk instanceof Uint8Array) return Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  throw new TypeError(
    `${label} is a stream of ${describeValue(chunk)} chunks; a Readable input must yield bytes or text (pass rows as an array or an (async) iterable instead)`,
  );
}

function checkName(what: 'bucket' | 'key', value: unknown): void {
  if (typeof value !== 'string' || value === '') {
    throw taskError('S3Client', `the ${what} must be a non-empty string; got ${describeValue(value)}`);
  }
}

/** The part size: the requested one, else 8 MiB, raised so that an input of known size fits in 10,000 parts. */
function choosePartSize(input: unknown, kind: string, requested: number | undefined): number {
  if (requested !== undefined) {
    if (!Number.isInteger(requested) || requested < MIN_PART_SIZE) {
      throw taskError('S3Client', `partSize must be an integer of at least ${MIN_PART_SIZE} bytes (5 MiB, S3's minimum); got ${requested}`);
    }
    return requested;
  }
  let size: number | undefined;
  if (kind === 'dataset') size = (input as Dataset).byteLength;
  else if (kind === 'bytes') size = (input as Uint8Array).byteLength;
  else if (kind === 'text') size = Buffer.byteLength(input as string);
  if (size === undefined) return DEFAULT_PART_SIZE;
  return Math.max(DEFAULT_PART_SIZE, Math.ceil(size / (MAX_PARTS - 1)));
}

/**
 * Whether the key exists. Where HeadObject is forbidden (a write-only role:
 * S3 answers 403 for a missing key without s3:ListBucket) the conditional
 * write alone guards the object, so that counts as "not known to exist".
 */
async function existsOrUnknown(ctx: UploadContext, bucket: string, key: string, signal: AbortSignal): Promise<boolean> {
  try {
    return await ctx.objectExists(bucket, key, signal);
  } catch (error) {
    const cause = (error as { cause?: unknown }).cause;
    if (httpStatusOf(cause) === 403) return false;
    throw error;
  }
}

function existsError(uri: string): Error {
  return taskError(
    'S3Client',
    `${uri} already exists and was left untouched; set \`overwrite = true\` on the task to replace it, or choose another key`,
  );
}

async function abortMultipart(ctx: UploadContext, bucket: string, key: string, uploadId: string, abortSignal: AbortSignal): Promise<void> {
  try {
    await ctx.client.send(new ctx.sdk.AbortMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId: uploadId }), { abortSignal });
  } catch (error) {
    if (awsErrorCode(error) === 'NoSuchUpload' || httpStatusOf(error) === 404) return;
    throw error;
  }
}

async function deleteQuietly(ctx: UploadContext, bucket: string, key: string, versionId: string | undefined): Promise<void> {
  try {
    await ctx.client.send(new ctx.sdk.DeleteObjectCommand({ Bucket: bucket, Key: key, ...(versionId ? { VersionId: versionId } : {}) }), {
      abortSignal: AbortSignal.timeout(30_000),
    });
  } catch {
    // Best effort: the task fails anyway and says why.
  }
}

function uploadError(error: unknown, inputError: unknown, uri: string, bucket: string, label: string): Error {
  const nothing = 'nothing was written (the multipart upload was aborted)';
  if (inputError !== undefined) {
    return taskError('S3Client', `reading the ${label} failed while uploading to ${uri}: ${errorMessage(inputError)}; ${nothing}`, {
      cause: inputError,
      userError: false,
    });
  }
  const code = awsErrorCode(error);
  if (code === 'PreconditionFailed' || httpStatusOf(error) === 412) return existsError(uri);
  if (code === 'ConditionalRequestConflict') {
    return taskError('S3Client', `another upload to ${uri} finished first; ${nothing}. Set \`overwrite = true\` to replace it`, { cause: error });
  }
  if (code === 'NoSuchBucket') {
    return taskError('S3Client', `cannot upload to ${uri}: the bucket '${bucket}' does not exist; check the bucket name and BIGRAYS_AWS_REGION`, {
      cause: error,
    });
  }
  return taskError('S3Client', `uploading to ${uri} failed: ${describeAwsError(error, 'S3')}; ${nothing}`, {
    cause: error,
    userError: isUserFacingAwsError(error),
  });
}
