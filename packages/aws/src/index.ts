/**
 * @bigrays/aws: the `S3Client` and `SNSClient` resources and the S3/SNS
 * tasks (`ToS3`/`S3Upload`, `FromS3`, `ListS3Objects`, `SNSPublish`,
 * `SNSPublishEmail`, and the `S3Task`/`SNSTask` bases).
 *
 * Importing this package does not load the AWS SDK: the resources load it
 * when they open, so `bigrays plan` and start-up stay fast.
 *
 * @packageDocumentation
 */
export { S3Client, loadS3Sdk, type S3SdkModule, type S3ListOptions, type S3ReadOptions } from './s3-client.js';
export {
  DEFAULT_PART_SIZE,
  DEFAULT_QUEUE_SIZE,
  type S3UploadOptions,
  type S3UploadResult,
  type ServerSideEncryptionSetting,
} from './upload.js';
export { SNSClient, loadSnsSdk, SNS_MAX_MESSAGE_BYTES, SNS_MAX_SUBJECT_LENGTH, type SNSMessage, type SNSSdkModule } from './sns-client.js';
export { S3Task, ToS3, S3Upload, FromS3, ListS3Objects, type FromS3Format } from './s3-tasks.js';
export type { FromS3Decompress } from './formats/decompress.js';
export { SNSTask, SNSPublish, SNSPublishEmail } from './sns-tasks.js';
export { DeleteS3Object } from './delete-s3-object.js';
export { toS3, fromS3, listS3Objects, deleteS3Object, snsPublish, snsPublishEmail, snsTask, type ToS3Attributes, type SNSPublishAttributes } from './functional.js';
export { missingAwsConfig, AWS_CONFIG_KEYS, NODE_VERSION_WARNING_SWITCH } from './aws-config.js';
export { AwsResource } from './aws-resource.js';

// Checkpoints in S3: BIGRAYS_CHECKPOINTS=s3://bucket/prefix. Registering loads nothing: the SDK loads when a checkpoint is written or read.
import { registerCheckpointStore } from '@bigrays/core/plugin';
import { S3CheckpointStore } from './checkpoint-store.js';
registerCheckpointStore(['s3'], '@bigrays/aws', (uri) => new S3CheckpointStore(uri));
export { S3CheckpointStore } from './checkpoint-store.js';
