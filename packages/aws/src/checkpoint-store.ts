/**
 * Checkpoints in S3 (`BIGRAYS_CHECKPOINTS=s3://bucket/prefix`), so that a
 * run can be resumed on another machine: `<prefix>/<runId>/<file>`. Files
 * (a Dataset's spool) go up as multipart uploads; old runs are pruned like
 * local ones. Uses the job's S3 configuration (`BIGRAYS_AWS_REGION`, keys,
 * `BIGRAYS_AWS_ENDPOINT_URL`). Registered by `@bigrays/aws`; the SDK loads
 * only when a checkpoint is written or read.
 *
 * @module
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { StateError } from '@bigrays/core';
import { effectiveConfig, type CheckpointStore } from '@bigrays/core/plugin';
import { S3Client } from './s3-client.js';

export class S3CheckpointStore implements CheckpointStore {
  readonly description: string;
  readonly bucket: string;
  readonly prefix: string;
  #client: Promise<S3Client> | undefined;

  constructor(uri: string) {
    const match = /^s3:\/\/([^/]+)\/?(.*)$/i.exec(uri.trim());
    if (!match || !match[1]) throw new StateError(`BIGRAYS_CHECKPOINTS=${uri}: write s3://bucket/prefix`);
    this.bucket = match[1];
    this.prefix = match[2]!.replace(/\/+$/, '');
    this.description = `s3://${this.bucket}/${this.prefix}`;
  }

  private key(location: string): string {
    return this.prefix ? `${this.prefix}/${location}` : location;
  }

  private client(): Promise<S3Client> {
    this.#client ??= (async () => {
      const s3 = new S3Client();
      const config = effectiveConfig();
      const missing = S3Client.missingConfig(config);
      if (missing.length > 0) {
        throw new StateError(`BIGRAYS_CHECKPOINTS=${this.description} needs the S3 configuration: set ${missing.map((k) => `BIGRAYS_${k}`).join(', ')}`);
      }
      await s3.open(config);
      return s3;
    })();
    return this.#client;
  }

  /** The configuration is complete and the bucket can be listed: checked before any task runs. */
  async open(): Promise<void> {
    const s3 = await this.client();
    await s3.client.send(new s3.sdk.ListObjectsV2Command({ Bucket: this.bucket, Prefix: this.key(''), MaxKeys: 1 }));
  }

  async putFile(location: string, sourcePath: string): Promise<void> {
    const s3 = await this.client();
    await s3.upload(this.bucket, this.key(location), createReadStream(sourcePath), { overwrite: true, contentType: 'application/octet-stream' });
  }

  async putBytes(location: string, data: Buffer): Promise<void> {
    const s3 = await this.client();
    await s3.upload(this.bucket, this.key(location), data, { overwrite: true, contentType: 'application/json' });
  }

  async getBytes(location: string): Promise<Buffer> {
    return (await this.client()).getObject(this.bucket, this.key(location));
  }

  async getFile(location: string, targetPath: string): Promise<void> {
    const body = await (await this.client()).getObjectStream(this.bucket, this.key(location));
    await pipeline(body, createWriteStream(targetPath));
  }

  async deleteRun(runId: string): Promise<void> {
    if (!/^[\w.-]+$/.test(runId)) return;
    const s3 = await this.client();
    const keys = await s3.listKeys(this.bucket, { prefix: this.key(`${runId}/`) });
    for (let i = 0; i < keys.length; i += 1000) {
      const batch = keys.slice(i, i + 1000);
      await s3.client.send(new s3.sdk.DeleteObjectsCommand({ Bucket: this.bucket, Delete: { Objects: batch.map((Key) => ({ Key })), Quiet: true } }));
    }
  }

  async close(): Promise<void> {
    const client = this.#client;
    this.#client = undefined;
    if (client) await (await client.catch(() => undefined))?.close();
  }
}
