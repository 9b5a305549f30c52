/**
 * `AwsResource`: what S3Client and SNSClient share as resources: the keys
 * they read (one declaration, `AWS_CONFIG_KEYS`), `AWS_REGION` required, and
 * the "key id and secret go together" rule with the endpoint check at plan
 * time.
 *
 * @module
 */
import { Resource, type Config, type ConfigKey } from '@bigrays/core';
import { AWS_CONFIG_KEYS, missingAwsConfig } from './aws-config.js';

/** Base of the AWS resources. Configured by `AWS_REGION`, the S3_/AWS_ access keys (or the SDK's default chain) and `AWS_ENDPOINT_URL`. */
export abstract class AwsResource extends Resource {
  static override requiredConfig: readonly string[] = ['AWS_REGION'];
  static override configKeys: readonly ConfigKey[] = AWS_CONFIG_KEYS;

  /** `AWS_REGION` is required; an access key id and its secret go together (or neither, for the default chain). */
  static override missingConfig(config: Config): string[] {
    return missingAwsConfig(config);
  }
}
