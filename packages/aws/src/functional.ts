/**
 * The functional interface: each function runs one task (outside the job
 * being defined) and resolves to its output, as the original's `to_s3(...)`
 * etc. Resources, configuration and `{name}` templates work as for tasks.
 *
 * @module
 */
import { runTask, type Row } from '@bigrays/core';
import { FromS3, ListS3Objects, ToS3 } from './s3-tasks.js';
import { DeleteS3Object } from './delete-s3-object.js';
import { SNSPublish, SNSPublishEmail } from './sns-tasks.js';
import type { ServerSideEncryptionSetting } from './upload.js';

/** Attributes of {@link toS3}: those of `ToS3`. */
export interface ToS3Attributes {
  bucket: string;
  key: string;
  input: unknown;
  overwrite?: boolean;
  serverSideEncryption?: ServerSideEncryptionSetting;
  sseKmsKeyId?: string;
  contentType?: string;
  partSize?: number;
  format?: 'csv' | 'jsonl' | 'parquet';
  compression?: 'none' | 'gzip';
  types?: Record<string, string>;
  rowGroupSize?: number;
}

/** Uploads `input` to `s3://bucket/key` (see `ToS3`); resolves to the URI. */
export function toS3(attributes: ToS3Attributes): Promise<string> {
  return runTask(ToS3, attributes);
}

type FromS3Decompression = { decompress?: 'auto' | 'gzip' | 'none' };

/** Downloads `s3://bucket/key` (see `FromS3`): a Buffer, a string (`as: 'text'`) or rows (`as: 'csv' | 'jsonl' | 'parquet'`). */
export function fromS3(attributes: { bucket: string; key: string; as?: 'buffer' } & FromS3Decompression): Promise<Buffer>;
export function fromS3(attributes: { bucket: string; key: string; as: 'text' } & FromS3Decompression): Promise<string>;
export function fromS3(attributes: { bucket: string; key: string; as: 'csv' | 'jsonl' | 'parquet' } & FromS3Decompression): Promise<Row[]>;
export function fromS3(
  attributes: { bucket: string; key: string; as?: 'buffer' | 'text' | 'csv' | 'jsonl' | 'parquet' } & FromS3Decompression,
): Promise<Buffer | string | Row[]>;
export function fromS3(
  attributes: { bucket: string; key: string; as?: 'buffer' | 'text' | 'csv' | 'jsonl' | 'parquet' } & FromS3Decompression,
): Promise<Buffer | string | Row[]> {
  return runTask(FromS3, attributes);
}

/** The keys of `bucket` under `prefix` and ending with `suffix`, all pages (see `ListS3Objects`). */
export function listS3Objects(attributes: { bucket: string; prefix?: string; suffix?: string }): Promise<string[]> {
  return runTask(ListS3Objects, attributes);
}

/** Deletes `s3://bucket/key` (see `DeleteS3Object`); resolves to the URI. A missing object is not an error. */
export function deleteS3Object(attributes: { bucket: string; key: string }): Promise<string> {
  return runTask<string>(DeleteS3Object, attributes);
}

/**
 * The original's functional SNS form, `sns_task(...)`: publishes `input`
 * to `topic`, with an email `subject` when one is given (`SNSPublishEmail`),
 * else as `SNSPublish`; resolves to the message id.
 */
export function snsTask(attributes: SNSPublishAttributes & { subject?: string }): Promise<string> {
  return attributes.subject === undefined ? snsPublish(attributes) : snsPublishEmail(attributes as SNSPublishAttributes & { subject: string });
}

/** Attributes of {@link snsPublish}: those of `SNSPublish`. */
export interface SNSPublishAttributes {
  topic: string;
  input: unknown;
  messageGroupId?: string;
  messageDeduplicationId?: string;
}

/** Publishes `input` to `topic` (see `SNSPublish`); resolves to the message id. */
export function snsPublish(attributes: SNSPublishAttributes): Promise<string> {
  return runTask(SNSPublish, attributes);
}

/** Publishes `input` with an email `subject` to `topic` (see `SNSPublishEmail`); resolves to the message id. */
export function snsPublishEmail(attributes: SNSPublishAttributes & { subject: string }): Promise<string> {
  return runTask(SNSPublishEmail, attributes);
}
