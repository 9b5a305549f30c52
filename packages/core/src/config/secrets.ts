import { BigraysConfig, type Config } from './config.js';

/**
 * Names whose values are secrets: configuration keys, job parameters, DSN
 * options (`?password=`, `password=`). Anything with PWD, PASSW(ORD), SECRET,
 * TOKEN, PRIVATE, CREDENTIAL or APIKEY in it, and names ending in `_KEY` or
 * `_PASS` (`signing_key`, `API_KEY`; not `S3_ACCESS_KEY_ID`, not `key`).
 */
const SECRET_KEY = /PWD|PASSW|SECRET|TOKEN|PRIVATE|CREDENTIAL|API_?KEY|[_.-](KEY|PASS)$|^PASS$/i;

export const MASK = '****';

/** True when a configuration key, parameter name or DSN option holds a secret. */
export function isSecretKey(key: string): boolean {
  return SECRET_KEY.test(key);
}

/** Shorter values are not looked for in texts: masking every `ab` would garble messages and hide nothing. */
const MIN_SECRET_LENGTH = 3;

// ------------------------------------------------------------------ DSNs in a text

/** `scheme://user:password@`: the password runs to the last `@` of the word (passwords may hold `@`, `/`, `:`). */
const URL_USERINFO = /([a-z][a-z0-9+.-]*:\/\/[^:/@\s]*:)(\S*)@/gi;
/** `?name=value` / `&name=value` / `;name=value`: URL query options (masked when the name is a secret's). */
const QUERY_OPTION = /([?&;])([A-Za-z_][\w.-]*)=([^&#;\s]*)/g;
/**
 * `name=value` in a keyword DSN (`host=db password=s3cr3t`, `Pwd=s3cr3t;`),
 * a value quoted with '...' or "..." (backslash escapes) or bare. Spaces
 * around `=` are allowed for password names only (libpq allows them; for
 * other names they are more likely prose or SQL).
 */
const KEYWORD_OPTION = /(^|[\s;,({[])([A-Za-z_][\w.-]*)(\s*=\s*)('(?:[^'\\]|\\.)*'?|"(?:[^"\\]|\\.)*"?|[^\s;,)}\]'"]+)/g;
const PASSWORD_NAME = /^(password|passwd|pwd|sslpassword)$/i;

/**
 * Masks, in a text, the secrets a DSN may carry: the password of URL-style
 * DSNs (`scheme://user:pass@host`, even with a raw `@` in the password), URL
 * options named like secrets (`?password=…`, `&sslpassword=…`), and keyword
 * options (`password=…`, `password='…'`, `Pwd=…;`, `api_token=…`).
 */
export function maskDsn(text: string): string {
  return text
    .replace(URL_USERINFO, `$1${MASK}@`)
    .replace(QUERY_OPTION, (m, sep: string, name: string) => (isSecretKey(name) ? `${sep}${name}=${MASK}` : m))
    .replace(KEYWORD_OPTION, (m, before: string, name: string, eq: string) =>
      isSecretKey(name) && (eq === '=' || PASSWORD_NAME.test(name)) ? `${before}${name}${eq}${MASK}` : m,
    );
}

/**
 * Masks a whole value that may be a DSN, for display (`bigrays config`, the
 * plan's resource overrides). Knowing where the value ends, it also masks a
 * URL password holding spaces: everything from `user:` to the last `@`.
 */
export function maskValue(value: string): string {
  const url = /^(\s*[a-z][a-z0-9+.-]*:\/\/[^:/@\s]*:)([^]*)@/i.exec(value);
  const head = url ? `${url[1]}${MASK}@` : '';
  return head + maskDsn(value.slice(url ? url[0].length : 0));
}

const decode = (s: string): string => {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
};

/** After an `@`: a host (name, IPv4, [IPv6], comma-separated hosts), an optional port, then the path, query or end. */
const HOST_AFTER_AT = /^(\[[^\]\s]*\]|[^\s/?#@:[\]]*)(:\d*)?([/?#]|$)/;

/**
 * Every secret a value may hold if it is a DSN, as written and decoded: the
 * URL password (with raw `@`, `/`, spaces), secret URL options and secret
 * keyword options. Empty for values that are no DSN.
 */
export function dsnSecrets(value: string): string[] {
  const found: string[] = [];
  const url = /^\s*[a-z][a-z0-9+.-]*:\/\/[^:/@\s]*:/i.exec(value);
  if (url) {
    // Which '@' ends the password is ambiguous when it holds '@': every candidate that leaves a host after it counts.
    const rest = value.slice(url[0].length);
    for (let at = rest.indexOf('@'); at >= 0; at = rest.indexOf('@', at + 1)) {
      if (HOST_AFTER_AT.test(rest.slice(at + 1))) found.push(rest.slice(0, at), decode(rest.slice(0, at)));
    }
  }
  for (const [, , name, written] of value.matchAll(QUERY_OPTION)) {
    if (isSecretKey(name!) && written) found.push(written, decode(written), decode(written.replace(/\+/g, ' ')));
  }
  for (const [, , name, eq, written] of value.matchAll(KEYWORD_OPTION)) {
    if (!isSecretKey(name!) || !(eq === '=' || PASSWORD_NAME.test(name!)) || !written) continue;
    found.push(written);
    const quoted = /^(['"])([^]*?)\1?$/.exec(written);
    if (quoted) found.push(quoted[2]!, quoted[2]!.replace(/\\(.)/g, '$1'));
  }
  return [...new Set(found)].filter((v) => v.length >= MIN_SECRET_LENGTH);
}

/** The value as it may be shown: a secret's masked whole, a DSN's passwords and secret options masked. */
export function displayValue(key: string, value: string): string {
  if (isSecretKey(key)) return MASK;
  return redact(maskValue(value));
}

// ------------------------------------------------------------------ secrets known to the process

/**
 * Secrets learnt while planning, beyond `BigraysConfig`: values of job
 * parameters named like secrets (`--param api_token=…`) and of per-task
 * resource overrides (`@Requires(SQLSession, { DB_DSN: … })`). Kept for the
 * life of the process, so an error raised at any later point is scrubbed.
 */
const learnt = new Set<string>();

/**
 * Remembers the secrets of a set of named values (job parameters, resource
 * overrides): the whole value of a name like a secret's, and whatever any
 * value holds as a DSN. From then on `redact` and `scrubError` remove them.
 */
export function rememberSecrets(values: Readonly<Record<string, unknown>>): void {
  for (const [key, value] of Object.entries(values)) {
    if (value === undefined || value === null) continue;
    const text = value instanceof Date ? value.toISOString() : String(value);
    if (isSecretKey(key) && text.length >= MIN_SECRET_LENGTH) learnt.add(text);
    for (const secret of dsnSecrets(text)) learnt.add(secret);
  }
}

/** Forgets the secrets learnt by `rememberSecrets` (tests). */
export function forgetLearntSecrets(): void {
  learnt.clear();
}

/** Every secret value currently known: config secrets, DSN passwords and options, learnt ones; raw and URL-encoded. */
export function secretValues(config: Config = BigraysConfig): string[] {
  const values = new Set<string>(learnt);
  for (const [key, value] of Object.entries(config)) {
    if (!value) continue;
    if (isSecretKey(key)) values.add(value);
    for (const secret of dsnSecrets(value)) values.add(secret);
  }
  for (const value of [...values]) {
    const encoded = encodeURIComponent(value);
    if (encoded !== value) values.add(encoded);
  }
  // Longest first, so that a secret containing another is removed whole.
  return [...values].filter((v) => v.length >= MIN_SECRET_LENGTH).sort((a, b) => b.length - a.length);
}

/** Removes every known secret from a text (messages, stacks, log lines). */
export function redact(text: string, config: Config = BigraysConfig): string {
  let out = text;
  for (const secret of secretValues(config)) out = out.split(secret).join(MASK);
  return maskDsn(out);
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
