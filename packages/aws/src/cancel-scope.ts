import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * The abort signal of the upload whose requests are being sent in this async
 * context. `S3Client`'s request handler attaches it to the requests that
 * carry data (PUT: UploadPart and single-part PutObject), so aborting an
 * upload cancels its transfers at once instead of waiting for up to
 * `queueSize` parts to finish. CreateMultipartUpload, CompleteMultipartUpload
 * and AbortMultipartUpload are never cancelled half-way: cancelling them
 * would leave the server's state unknown.
 *
 * @internal
 */
export const uploadCancelScope = new AsyncLocalStorage<AbortSignal>();
