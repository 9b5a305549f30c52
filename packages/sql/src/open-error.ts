/**
 * Why a session could not connect, in one line that names the database,
 * the DSN (never its password) and what to check. The driver of the dialect
 * says what its error codes mean (`SqlDriver.openFailure`).
 *
 * @module
 */
import { ResourceError } from '@bigrays/core';
import { scrubPassword, type ConnectionSpec } from './dsn.js';
import { databaseName } from './engines/dialects.js';
import { driverFor } from './engines/drivers.js';

function messageOf(error: unknown): string {
  if (error instanceof AggregateError && error.errors.length > 0) return messageOf(error.errors[0]);
  if (error instanceof Error) return error.message || (error as { code?: string }).code || error.name;
  return String(error);
}

function codeOf(error: unknown): string | number | undefined {
  const e = error as { code?: string | number; errno?: number; errors?: unknown[] } | undefined;
  if (e?.code !== undefined) return e.code;
  if (Array.isArray(e?.errors) && e.errors.length > 0) return codeOf(e.errors[0]);
  return e?.errno;
}

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNRESET', 'EPIPE', 'ETIMEOUT']);

/** The `ResourceError` for a connection to `spec` that failed with `error`. */
export function openError(error: unknown, spec: ConnectionSpec): ResourceError {
  if (error instanceof ResourceError) return error;
  const driver = driverFor(spec);
  const db = driver.name ?? databaseName(spec.dialect);
  const code = codeOf(error);
  const reason = scrubPassword(messageOf(error), spec);
  const codeText = code === undefined ? '' : ` (${String(code)})`;
  const failure = driver.openFailure(code);
  let message: string;
  if (driver.openErrorMessage !== undefined) {
    message = driver.openErrorMessage(spec, reason, codeText);
  } else if (failure === 'database-access') {
    message = `${db} at ${spec.display} does not let user '${spec.user ?? '(default)'}' use the database '${spec.database}': ${reason}${codeText}`;
  } else if (failure === 'login') {
    message =
      `${db} at ${spec.display} rejected the login of user '${spec.user ?? '(default)'}': ${reason}${codeText}. ` +
      'Check the user and password in BIGRAYS_DB_DSN (or BIGRAYS_DB_USER / BIGRAYS_DB_PWD).';
  } else if (failure === 'no-database') {
    message = `the database '${spec.database}' does not exist on ${db} at ${spec.display}: ${reason}${codeText}`;
  } else if ((typeof code === 'string' && NETWORK_CODES.has(code)) || /timeout|timed out|terminated/i.test(reason)) {
    message =
      `cannot reach ${db} at ${spec.display}: ${reason}${codeText}. ` +
      'Is the server running, and are the host and port in BIGRAYS_DB_DSN right?';
  } else {
    message = `cannot connect to ${db} at ${spec.display}: ${reason}${codeText}`;
  }
  return new ResourceError('SQLSession', message, { cause: error, userError: true });
}
