/**
 * What the S3 and SNS resources share: reading the configuration
 * (credentials, region, endpoint), the "both or neither" key rule, and
 * constructing SDK clients without the SDK's Node-version warning.
 *
 * Nothing here imports the AWS SDK at run time: the SDK is loaded by the
 * resources' `open()`, so `import '@bigrays/aws'` (and `bigrays plan`) stays
 * fast.
 *
 * @module
 */
import { ConfigurationError, type Config, type ConfigKey } from '@bigrays/core';
import { firstSet, keyAndAliases } from '@bigrays/core/plugin';

/**
 * Every key the S3 and SNS resources read (their `static configKeys`): what
 * `bigrays config` lists, which values the log masks, and which `AWS_*` name
 * is an alias of which `S3_*` one.
 */
export const AWS_CONFIG_KEYS: readonly ConfigKey[] = [
  { name: 'S3_ACCESS_KEY_ID', description: 'S3 and SNS: access key id' },
  { name: 'S3_SECRET_ACCESS_KEY', description: 'S3 and SNS: secret access key', secret: true },
  { name: 'AWS_ACCESS_KEY_ID', description: 'S3 and SNS: alias of S3_ACCESS_KEY_ID', aliasOf: 'S3_ACCESS_KEY_ID' },
  { name: 'AWS_SECRET_ACCESS_KEY', description: 'S3 and SNS: alias of S3_SECRET_ACCESS_KEY', secret: true, aliasOf: 'S3_SECRET_ACCESS_KEY' },
  { name: 'S3_SESSION_TOKEN', description: 'S3 and SNS: session token of temporary credentials', secret: true },
  { name: 'AWS_SESSION_TOKEN', description: 'S3 and SNS: alias of S3_SESSION_TOKEN', secret: true, aliasOf: 'S3_SESSION_TOKEN' },
  { name: 'AWS_REGION', description: 'S3 and SNS: region' },
  { name: 'AWS_ENDPOINT_URL', description: 'S3 and SNS: compatible endpoint (MinIO, moto, LocalStack)' },
];
import { sdkChainRegion } from './sdk-region.js';

/** Config keys of the access key id, preferred first. */
export const ACCESS_KEY_ID_KEYS: readonly string[] = keyAndAliases(AWS_CONFIG_KEYS, 'S3_ACCESS_KEY_ID');
/** Config keys of the secret access key, preferred first (the n-th goes with the n-th key id). */
export const SECRET_ACCESS_KEY_KEYS: readonly string[] = keyAndAliases(AWS_CONFIG_KEYS, 'S3_SECRET_ACCESS_KEY');
/** Config keys of an optional session token (temporary credentials), preferred first. */
export const SESSION_TOKEN_KEYS: readonly string[] = keyAndAliases(AWS_CONFIG_KEYS, 'S3_SESSION_TOKEN');

/** What an AWS resource reads from the configuration. */
export interface AwsSettings {
  region: string;
  /** `undefined`: the SDK's default credential chain (environment, profile, SSO, role). */
  credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string } | undefined;
  /** A compatible endpoint (moto, LocalStack, MinIO), or `undefined` for AWS itself. */
  endpoint: string | undefined;
}

/**
 * The missing keys of an AWS resource's configuration: `AWS_REGION`, and a
 * key id without a secret (or the reverse). The key named is the partner of
 * the one that is set (`S3_SECRET_ACCESS_KEY` for `S3_ACCESS_KEY_ID`,
 * `AWS_SECRET_ACCESS_KEY` for `AWS_ACCESS_KEY_ID`). No keys at all is fine:
 * the SDK's default chain is used.
 *
 * It is the resources' `missingConfig`, run by the planner, so a malformed
 * value is refused there too, before any task runs (as `SQLSession` does for
 * the DSN): with nothing missing, an `AWS_ENDPOINT_URL` that is not an
 * http(s) URL throws.
 *
 * @throws ConfigurationError when `AWS_ENDPOINT_URL` is set but is not an
 *   http:// or https:// URL (the message never shows its user info).
 */
export function missingAwsConfig(config: Config): string[] {
  const missing: string[] = [];
  // As boto3 did: without BIGRAYS_AWS_REGION, the SDK's own chain (AWS_REGION, the profile's region) decides.
  if (!firstSet(config, 'AWS_REGION') && !sdkChainRegion()) missing.push('AWS_REGION');
  const idIndex = ACCESS_KEY_ID_KEYS.findIndex((k) => firstSet(config, k) !== undefined);
  const secretIndex = SECRET_ACCESS_KEY_KEYS.findIndex((k) => firstSet(config, k) !== undefined);
  // The key named is the partner of the one that is set: the secret under the same family of names as the id.
  if (idIndex >= 0 && secretIndex < 0) missing.push(SECRET_ACCESS_KEY_KEYS[idIndex]!);
  if (secretIndex >= 0 && idIndex < 0) missing.push(ACCESS_KEY_ID_KEYS[secretIndex]!);
  if (missing.length === 0) {
    const problem = endpointProblem(config);
    if (problem !== undefined) throw new ConfigurationError(problem, ['BIGRAYS_AWS_ENDPOINT_URL']);
  }
  return missing;
}

/**
 * Reads the settings of an AWS resource. Never puts a secret in an error
 * message.
 *
 * @throws Error when the region is missing, only one of the key pair is set,
 *   or `AWS_ENDPOINT_URL` is not an http(s) URL.
 */
export function awsSettings(config: Config, resource: string): AwsSettings {
  const missing = missingAwsConfig(config);
  if (missing.length > 0) {
    throw new Error(`${resource} needs ${missing.map((k) => `BIGRAYS_${k}`).join(', ')} (set it in the environment or BigraysConfig)`);
  }
  const accessKeyId = firstSet(config, ...ACCESS_KEY_ID_KEYS);
  const secretAccessKey = firstSet(config, ...SECRET_ACCESS_KEY_KEYS);
  const sessionToken = firstSet(config, ...SESSION_TOKEN_KEYS);
  const credentials =
    accessKeyId && secretAccessKey ? { accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}) } : undefined;
  return { region: firstSet(config, 'AWS_REGION') ?? sdkChainRegion()!, credentials, endpoint: endpointOf(config) };
}

/** What is wrong with `AWS_ENDPOINT_URL` (a message naming the fix), or `undefined` when it is unset or an http(s) URL. */
function endpointProblem(config: Config): string | undefined {
  const raw = firstSet(config, 'AWS_ENDPOINT_URL');
  if (raw === undefined) return undefined;
  let url: URL | undefined;
  try {
    url = new URL(raw);
  } catch {
    url = undefined;
  }
  if (url === undefined || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    return `BIGRAYS_AWS_ENDPOINT_URL must be an http:// or https:// URL such as http://127.0.0.1:5000; got ${quoteEndpoint(raw)}`;
  }
  return undefined;
}

function endpointOf(config: Config): string | undefined {
  const problem = endpointProblem(config);
  if (problem !== undefined) throw new Error(problem);
  return firstSet(config, 'AWS_ENDPOINT_URL')?.replace(/\/+$/, '');
}

/** An endpoint for messages, without any user:password it may carry. */
export function quoteEndpoint(raw: string): string {
  // Everything between the scheme (if any) and the last '@' is user info: passwords may hold '/', '@' or
  // spaces, and a malformed value may have no scheme at all. Masking a little too much is fine here.
  const masked = raw.replace(/^([a-z][a-z0-9+.-]*:\/\/)?[^]*@/i, (_m, scheme: string | undefined) => `${scheme ?? ''}****@`);
  return `'${masked}'`;
}

/** The environment switch the AWS SDK reads before warning about the Node.js version. */
export const NODE_VERSION_WARNING_SWITCH = 'AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED';

/**
 * Constructs an SDK client without the SDK's `NodeVersionSupportWarning`
 * (printed once per process on Node < 22 by `@aws-sdk/core`, when a client
 * is constructed). The SDK's supported switch is the environment variable
 * `AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED=true`; it is set only
 * while our client is constructed and then restored, so the process
 * environment is left as it was. A value the user set (any value) is
 * respected: `AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED=false` brings
 * the warning back.
 */
export function constructQuietly<T>(construct: () => T): T {
  if (process.env[NODE_VERSION_WARNING_SWITCH] !== undefined) return construct();
  process.env[NODE_VERSION_WARNING_SWITCH] = 'true';
  try {
    return construct();
  } finally {
    delete process.env[NODE_VERSION_WARNING_SWITCH];
  }
}

/** The SDK client options shared by S3 and SNS. */
export function sdkClientOptions(settings: AwsSettings): {
  region: string;
  credentials?: AwsSettings['credentials'];
  endpoint?: string;
} {
  return {
    region: settings.region,
    ...(settings.credentials ? { credentials: { ...settings.credentials } } : {}),
    ...(settings.endpoint ? { endpoint: settings.endpoint } : {}),
  };
}

/** Loads an SDK module on first use; a failed load is retried next time. */
export function lazyModule<T>(load: () => Promise<T>, name: string): () => Promise<T> {
  let pending: Promise<T> | undefined;
  return () => {
    pending ??= load().catch((error: unknown) => {
      pending = undefined;
      throw new Error(`cannot load ${name} (a dependency of @bigrays/aws; reinstall the package): ${(error as Error)?.message ?? error}`, {
        cause: error,
      });
    });
    return pending;
  };
}
