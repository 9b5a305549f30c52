/**
 * `DeleteS3Object`: removes one object, e.g. a staging file once it has been
 * loaded. A separate file so the upload/download tasks stay as they are.
 *
 * @module
 */
import { S3Client } from './s3-client.js';
import { S3Task, displayName } from './s3-tasks.js';
import { awsErrorCode, describeAwsError, isUserFacingAwsError, taskError } from './errors.js';

/** Attributes of {@link DeleteS3Object}. */
export interface DeleteS3Object {
  /** Bucket name (templated). */
  bucket: string;
  /** Object key (templated). */
  key: string;
}

/**
 * Deletes `s3://bucket/key`; outputs that URI. As in S3 itself, deleting
 * an object that does not exist succeeds (so a re-run after a partial
 * failure does not fail here); a missing bucket is an error naming it.
 *
 * @example
 * \@Task()
 * class DropStaging extends DeleteS3Object {
 *   bucket = 'staging';
 *   key = '{run_date}/orders.csv';
 * }
 */
export class DeleteS3Object extends S3Task {
  static requiredAttributes: readonly string[] = ['bucket', 'key'];
  static templateAttributes: readonly string[] = ['bucket', 'key'];

  async run(s3: S3Client): Promise<string> {
    if (!(s3 instanceof S3Client)) {
      throw taskError('DeleteS3Object', `${displayName(this)}.run() needs the open S3Client as its first argument; keep @Requires(S3Client) on the class`);
    }
    const uri = S3Client.uri(this.bucket, this.key);
    try {
      await s3.client.send(new s3.sdk.DeleteObjectCommand({ Bucket: this.bucket, Key: this.key }));
    } catch (error) {
      if (awsErrorCode(error) === 'NoSuchBucket') {
        throw taskError('DeleteS3Object', `cannot delete ${uri}: the bucket '${this.bucket}' does not exist; check the bucket name and BIGRAYS_AWS_REGION`, { cause: error });
      }
      throw taskError('DeleteS3Object', `cannot delete ${uri}: ${describeAwsError(error, 'S3')}`, { cause: error, userError: isUserFacingAwsError(error) });
    }
    return uri;
  }
}
