/**
 * Turning AWS SDK errors into messages a user can act on. Messages never
 * carry a secret: the SDK's own text is passed through core's `redact`.
 *
 * @module
 */
import { STATUS_CODES } from 'node:http';
import type { TaskError } from '@bigrays/core';
import { errorMessage, redact, runningTaskError, runningTaskName } from '@bigrays/core/plugin';

/** The error code of an AWS SDK error (`NoSuchKey`, `NotFound`, ...), or the error's name. */
export function awsErrorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const e = error as { name?: unknown; Code?: unknown; code?: unknown };
  if (typeof e.Code === 'string') return e.Code;
  if (typeof e.name === 'string' && e.name !== 'Error') return e.name;
  return typeof e.code === 'string' ? e.code : undefined;
}

/** The HTTP status of an AWS SDK error, if the server answered. */
export function httpStatusOf(error: unknown): number | undefined {
  const status = (error as { $metadata?: { httpStatusCode?: unknown } } | null)?.$metadata?.httpStatusCode;
  return typeof status === 'number' ? status : undefined;
}

const CREDENTIAL_CODES = new Set([
  'CredentialsProviderError',
  'InvalidAccessKeyId',
  'SignatureDoesNotMatch',
  'InvalidClientTokenId',
  'UnrecognizedClientException',
  'ExpiredToken',
  'ExpiredTokenException',
  'InvalidToken',
  'AuthFailure',
]);
const ACCESS_CODES = new Set(['AccessDenied', 'AccessDeniedException', 'AuthorizationError', 'Forbidden', 'AllAccessDisabled']);
const NETWORK_MESSAGE = /\b(ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ECONNRESET|ETIMEDOUT|EHOSTUNREACH|socket hang up)\b/;
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'TimeoutError']);

/** True for errors that are the user's to fix (credentials, permissions, names), not bugs or outages. */
export function isUserFacingAwsError(error: unknown): boolean {
  const code = awsErrorCode(error) ?? '';
  const status = httpStatusOf(error);
  return CREDENTIAL_CODES.has(code) || ACCESS_CODES.has(code) || (status !== undefined && status >= 400 && status < 500);
}

/**
 * A one-line description of an AWS SDK error with a hint for the common
 * causes: `AccessDenied: ... (the credentials lack permission ...)`.
 */
export function describeAwsError(error: unknown, service: 'S3' | 'SNS'): string {
  const code = awsErrorCode(error);
  const status = httpStatusOf(error);
  // The SDK wraps what is not an Error of its realm (a network error under a VM context) in this prefix.
  let text = errorMessage(error).trim().replace(/^AWS SDK error wrapper for (Error: )?/, '');
  // A response without a body (HEAD) leaves the SDK only the status.
  const unknown = !code || code === 'Unknown' || code === 'UnknownError';
  if (!text || text === code || text === 'UnknownError') text = status ? `HTTP ${status} ${STATUS_CODES[status] ?? ''}`.trim() : 'no details';
  const head = !unknown && !text.startsWith(code) ? `${code}: ${text}` : text;
  let hint = '';
  if (code === 'CredentialsProviderError' || /Could not load credentials/i.test(text)) {
    hint = ' (no AWS credentials found: set BIGRAYS_S3_ACCESS_KEY_ID and BIGRAYS_S3_SECRET_ACCESS_KEY, or configure a profile or role for the SDK)';
  } else if (CREDENTIAL_CODES.has(code ?? '')) {
    hint = ' (the credentials were rejected: check BIGRAYS_S3_ACCESS_KEY_ID / BIGRAYS_S3_SECRET_ACCESS_KEY or their AWS_ aliases)';
  } else if (ACCESS_CODES.has(code ?? '')) {
    hint = ` (the credentials lack the ${service} permission for this request)`;
  } else if (NETWORK_CODES.has(code ?? '') || NETWORK_CODES.has((error as { code?: string })?.code ?? '') || NETWORK_MESSAGE.test(text)) {
    hint = ' (the endpoint could not be reached: check BIGRAYS_AWS_ENDPOINT_URL / BIGRAYS_AWS_REGION and the network)';
  }
  return redact(`${head}${hint}`);
}

/** The name errors of a helper carry: the running task's, or the resource's outside a task. */
export function taskLabel(fallback: string): string {
  return runningTaskName(fallback);
}

/** A `TaskError` for the running task (or `fallback` outside one), with a redacted message. */
export function taskError(fallback: string, message: string, options: { cause?: unknown; userError?: boolean } = {}): TaskError {
  return runningTaskError(fallback, redact(message), options);
}

/** True when `error` comes from an aborted signal (ours or the SDK's), rather than a failure. */
export function isAbortError(error: unknown): boolean {
  return (error as { name?: unknown } | null)?.name === 'AbortError';
}
