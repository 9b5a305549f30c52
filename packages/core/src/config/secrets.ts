import { BigraysConfig, type Config } from './config.js';

/** Keys whose values are secrets, plus any key that looks like one. */
const SECRET_KEY = /(PWD|PASSWORD|SECRET|TOKEN|PRIVATE|CREDENTIAL)/i;

export const MASK = '****';

export function isSecretKey(key: string): boolean {
  return SECRET_KEY.test(key);
}

/** Replaces the password of a URL-style DSN (`scheme://user:pass@host`) with a mask. */
export function maskDsn(dsn: string): string {
  return dsn.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:/@]*:)([^@]*)@/i, `$1${MASK}@`);
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
