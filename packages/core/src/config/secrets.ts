import { BigraysConfig, type Config } from './config.js';

/** Keys whose values are secrets, plus any key that looks like one. */
const SECRET_KEY = /(PWD|PASSWORD|SECRET|TOKEN|PRIVATE|CREDENTIAL)/i;

export const MASK = '****';

export function isSecretKey(key: string): boolean {
  return SECRET_KEY.test(key);
}

const DSN_PASSWORD = /([a-z][a-z0-9+.-]*:\/\/[^:/@\s]*:)([^@\s]*)@/gi;

/** Replaces the password of every URL-style DSN (`scheme://user:pass@host`) in a text with a mask. */
export function maskDsn(text: string): string {
  return text.replace(DSN_PASSWORD, `$1${MASK}@`);
}

/** The password inside a URL-style DSN, if any. */
export function dsnPassword(dsn: string | undefined): string | undefined {
  if (!dsn) return undefined;
  const match = /^[a-z][a-z0-9+.-]*:\/\/[^:/@]*:([^@]*)@/i.exec(dsn);
  if (!match?.[1]) return undefined;
  try {
    return decodeURIComponent(match[1]);
  } catch {
    return match[1];
  }
}

/** The value as it may be shown: secrets masked, DSN passwords masked. */
export function displayValue(key: string, value: string): string {
  if (isSecretKey(key)) return MASK;
  return maskDsn(value);
}

/** Every secret value currently known (config secrets and DSN passwords, raw and URL-encoded). */
export function secretValues(config: Config = BigraysConfig): string[] {
  const values = new Set<string>();
  for (const [key, value] of Object.entries(config)) {
    if (!value) continue;
    if (isSecretKey(key)) values.add(value);
    const written = /^[a-z][a-z0-9+.-]*:\/\/[^:/@]*:([^@]*)@/i.exec(value)?.[1];
    if (written) values.add(written);
    const password = dsnPassword(value);
    if (password) values.add(password);
  }
  for (const value of [...values]) {
    const encoded = encodeURIComponent(value);
    if (encoded !== value) values.add(encoded);
  }
  return [...values].filter((v) => v.length >= 3);
}

/** Removes every known secret from a text (messages, stacks, log lines). */
export function redact(text: string, config: Config = BigraysConfig): string {
  let out = maskDsn(text);
  for (const secret of secretValues(config)) out = out.split(secret).join(MASK);
  return out;
}

/**
 * An error by shape: an object with a string `message`. Not `instanceof Error`,
 * which is false for errors of another realm (a `vm` context, a worker, Node's
 * own errors seen from Jest's sandbox), whose secrets must be scrubbed too.
 */
export function isErrorLike(value: unknown): value is Error {
  return typeof value === 'object' && value !== null && typeof (value as { message?: unknown }).message === 'string';
}

/**
 * Removes known secrets, in place, from an error and everything it links to:
 * its chain of causes and the `errors` of an AggregateError, with their
 * messages, stacks and string properties (a URL error's `input` holds the
 * whole DSN). Errors are recognised by shape, whatever realm made them. The
 * errors stay the same objects, so `instanceof` and `code` still work for the
 * caller.
 */
export function scrubError<T>(error: T, config: Config = BigraysConfig): T {
  const seen = new Set<unknown>();
  const pending: unknown[] = [error];
  while (pending.length > 0 && seen.size < 64) {
    const current = pending.shift();
    if (!isErrorLike(current) || seen.has(current)) continue;
    seen.add(current);
    const target = current as unknown as Record<string, unknown>;
    for (const key of Object.getOwnPropertyNames(current)) {
      let value: unknown;
      try {
        value = target[key];
      } catch {
        continue; // a throwing getter: nothing to scrub there
      }
      if (typeof value !== 'string') continue;
      const clean = redact(value, config);
      if (clean === value) continue;
      try {
        target[key] = clean;
      } catch {
        // A read-only property: nothing to do but leave it.
      }
    }
    pending.push(target.cause);
    if (Array.isArray(target.errors)) pending.push(...(target.errors as unknown[]));
  }
  return error;
}
