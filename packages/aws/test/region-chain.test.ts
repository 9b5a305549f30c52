/**
 * Issue 14, item 5: without BIGRAYS_AWS_REGION, S3 and SNS take the region
 * from the AWS SDK's own chain (AWS_REGION, the profile's region in the
 * shared config file), as the original's boto3 clients did.
 */
import { afterAll, afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BigraysConfig, ConfigurationError, Task, bigraysRun, resetJobs } from '@bigrays/core';
import { buildPlan } from '@bigrays/core/testing';
import { S3Client, ListS3Objects, missingAwsConfig } from '@bigrays/aws';
import { sdkChainRegion } from '../src/sdk-region.js';
import { requireService } from '../../../test/support/services.js';
import { closeDirectClients, createBucket, putObject, useMoto } from './helpers.js';

const KEYS = ['AWS_REGION', 'AWS_PROFILE', 'AWS_CONFIG_FILE'] as const;
const savedEnv = Object.fromEntries(KEYS.map((k) => [k, process.env[k]]));
const savedRegion = BigraysConfig.AWS_REGION;
const moto = await requireService('moto', 'aws/region-chain');

function configFile(text: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'bigrays-aws-config-')), 'config');
  writeFileSync(file, text);
  return file;
}

beforeEach(() => {
  resetJobs();
  for (const k of KEYS) delete process.env[k];
  process.env.AWS_CONFIG_FILE = '/nonexistent/aws-config';
});
afterEach(() => {
  for (const k of KEYS) {
    if (savedEnv[k] === undefined) delete process.env[k];
    else process.env[k] = savedEnv[k];
  }
  BigraysConfig.AWS_REGION = savedRegion;
});
afterAll(() => closeDirectClients());

describe('the SDK region chain (item 5)', () => {
  it('AWS_REGION, then the active profile of the shared config file; nothing when neither has one', () => {
    expect(sdkChainRegion()).toBeUndefined();
    expect(missingAwsConfig({})).toEqual(['AWS_REGION']);
    process.env.AWS_CONFIG_FILE = configFile('[default]\nregion = eu-west-3\n\n[profile reports]\nregion=ap-south-1 ; a comment\n');
    expect(sdkChainRegion()).toBe('eu-west-3');
    process.env.AWS_PROFILE = 'reports';
    expect(sdkChainRegion()).toBe('ap-south-1');
    process.env.AWS_REGION = 'us-west-2';
    expect(sdkChainRegion()).toBe('us-west-2');
    expect(missingAwsConfig({})).toEqual([]);
  });

  it('the plan accepts an S3 task without BIGRAYS_AWS_REGION when AWS_REGION is set, and refuses it otherwise', () => {
    delete BigraysConfig.AWS_REGION;
    @Task() class List extends ListS3Objects { bucket = 'b'; }
    void List;
    expect(() => buildPlan()).toThrow(ConfigurationError);
    process.env.AWS_REGION = 'eu-central-1';
    expect(() => buildPlan()).not.toThrow();
  });

  (moto ? it : it.skip)('S3 runs in the region of the SDK chain', async () => {
    useMoto();
    const bucket = await createBucket('region-chain');
    await putObject(bucket, 'a.csv', 'x');
    delete BigraysConfig.AWS_REGION;
    process.env.AWS_REGION = 'us-east-1';
    let region = '';
    @Task() class List extends ListS3Objects {
      bucket = bucket;
      override async run(s3: S3Client) {
        region = s3.region;
        return super.run(s3);
      }
    }
    const result = await bigraysRun();
    expect(result.output(List)).toEqual(['a.csv']);
    expect(region).toBe('us-east-1');
  });
});
