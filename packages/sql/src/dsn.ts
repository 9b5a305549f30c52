/**
 * `BIGRAYS_DB_DSN` parsing: which driver, where, as whom.
 *
 * @module
 */
import { firstSet } from '@bigrays/core/plugin';
import { ResourceError, type Config } from '@bigrays/core';
import { dialectOf, dialectOfScheme, type Dialect } from './engines/dialects.js';

/** Where and how to connect, from `DB_DSN` plus `DB_USER`/`DB_PWD`. */
export interface ConnectionSpec {
  dialect: Dialect;
  /** The engine within the dialect when it is not the dialect's own: `'redshift'` (PostgreSQL protocol and SQL, Redshift's limits). */
  engine?: 'redshift';
  /** The DSN's scheme as written, e.g. `postgresql://` or `sqlite:`. */
  scheme: string;
  /** TypeORM's `type` option. */
  typeormType: 'postgres' | 'mysql' | 'mariadb' | 'better-sqlite3';
  host?: string;
  port?: number;
  user?: string;
  /** Never shown anywhere. */
  password?: string;
  database?: string;
  /** PostgreSQL: the connection string handed to pg (with DB_USER/DB_PWD applied). */
  connectionString?: string;
  /** Query parameters of the DSN (driver options), without those bigrays handles itself. */
  options: Record<string, string>;
  /** SQLite: the database file, or `:memory:`. */
  path?: string;
  /** Seconds to wait for the connection. */
  connectTimeoutSeconds: number;
  /** The DSN without its password, for messages: `postgres://app@db.example.com:5432/sales`. */
  display: string;
}

/** The schemes bigrays understands, for messages. */
export const SUPPORTED_SCHEMES = 'postgres://, postgresql://, mysql://, mariadb://, sqlite:<path>, sqlite::memory:, redshift://';

const DEFAULT_CONNECT_TIMEOUT_SECONDS = 10;

function dsnError(message: string): ResourceError {
  return new ResourceError('SQLSession', message, { userError: true });
}

/**
 * Parses the effective configuration's `DB_DSN`.
 *
 * @throws ResourceError for a missing, malformed or unsupported DSN; the
 *   message never contains the password.
 */
export function parseDsn(config: Config): ConnectionSpec {
  const dsn = firstSet(config, 'DB_DSN')?.trim();
  if (dsn === undefined) {
    throw dsnError(`BIGRAYS_DB_DSN is not set: set it to a DSN such as postgres://user@host:5432/database (supported: ${SUPPORTED_SCHEMES})`);
  }
  const userOverride = firstSet(config, 'DB_USER');
  const passwordOverride = firstSet(config, 'DB_PWD');

  const schemeMatch = /^([a-z][a-z0-9+.-]*):/i.exec(dsn);
  if (!schemeMatch) {
    throw dsnError(`BIGRAYS_DB_DSN is not a DSN: it has no scheme. Expected one of ${SUPPORTED_SCHEMES}, e.g. postgres://user@host:5432/database`);
  }
  const scheme = schemeMatch[1]!.toLowerCase();

  const dialect = dialectOfScheme(scheme);
  if (dialect === undefined) {
    throw dsnError(`BIGRAYS_DB_DSN has the unsupported scheme '${scheme}:'; supported: ${SUPPORTED_SCHEMES}`);
  }
  const rules = dialectOf(dialect).dsn;
  if (rules.defaultPort === undefined) {
    let path = dsn.slice(schemeMatch[0].length);
    if (path.startsWith('//')) path = path.slice(2);
    if (path === '') throw dsnError('BIGRAYS_DB_DSN "sqlite:" names no database file: use sqlite:<path> (e.g. sqlite:./data.db) or sqlite::memory:');
    return {
      dialect,
      scheme: `${scheme}:`,
      typeormType: rules.typeormType(scheme) as ConnectionSpec['typeormType'],
      path,
      options: {},
      connectTimeoutSeconds: DEFAULT_CONNECT_TIMEOUT_SECONDS,
      display: `${scheme}:${path}`,
    };
  }

  const typeormType = rules.typeormType(scheme) as ConnectionSpec['typeormType'];
  // An engine within the dialect (redshift:// speaks PostgreSQL) has a port of its own.
  const variant = rules.engines?.[scheme];
  const defaultPort = variant?.defaultPort ?? rules.defaultPort;

  if (!dsn.slice(schemeMatch[0].length).startsWith('//')) {
    throw dsnError(`BIGRAYS_DB_DSN is not a valid ${scheme} DSN: expected ${scheme}://user@host:${defaultPort}/database`);
  }
  let url: URL;
  try {
    url = new URL(dsn);
  } catch {
    // The DSN itself is not shown: it may hold a password the parser could not locate.
    throw dsnError(
      `BIGRAYS_DB_DSN is not a valid ${scheme} DSN (the URL cannot be parsed; a password with characters such as @ / : # must be URL-encoded, ` +
        `or set it in BIGRAYS_DB_PWD): expected ${scheme}://user@host:${defaultPort}/database`,
    );
  }
  // An unencoded '#' or '?' in the password ends the authority early: the URL parses, but with the wrong host
  // (postgres://user:p#ss@db/x reaches host 'p'). A DSN has no fragment, and '@' never belongs after the host.
  if (url.hash !== '' || url.search.includes('@')) {
    throw dsnError(
      `BIGRAYS_DB_DSN is not a valid ${scheme} DSN: ${url.hash !== '' ? "it contains '#'" : "'@' appears after '?'"}, which usually means the password ` +
        `contains # ? / or @: percent-encode them in the DSN (# → %23, ? → %3F, / → %2F, @ → %40) or leave the password out of the DSN and set BIGRAYS_DB_PWD`,
    );
  }
  const decode = (s: string): string => {
    try {
      return decodeURIComponent(s);
    } catch {
      return s;
    }
  };
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1') || undefined;
  const port = url.port === '' ? defaultPort : Number(url.port);
  const user = userOverride ?? (url.username === '' ? undefined : decode(url.username));
  const password = passwordOverride ?? (url.password === '' ? undefined : decode(url.password));
  const pathname = decode(url.pathname.replace(/^\//, ''));
  if (pathname.includes('/')) {
    throw dsnError(`BIGRAYS_DB_DSN is not a valid ${scheme} DSN: the database name '${pathname}' contains '/'; expected ${scheme}://user@host:${defaultPort}/database`);
  }
  const database = pathname === '' ? undefined : pathname;

  const options: Record<string, string> = {};
  let connectTimeoutSeconds = DEFAULT_CONNECT_TIMEOUT_SECONDS;
  for (const [key, value] of url.searchParams) {
    if (key === 'connect_timeout' || key === 'connectTimeout') {
      const seconds = Number(value);
      if (!(seconds > 0)) throw dsnError(`BIGRAYS_DB_DSN: ${key}=${value} is not a positive number of seconds`);
      connectTimeoutSeconds = seconds;
      continue;
    }
    options[key] = value;
  }

  let connectionString: string | undefined;
  if (rules.connectionString) {
    const u = new URL(dsn);
    // pg reads the connection string whatever its scheme; say what it is.
    if (variant !== undefined) u.protocol = `${rules.schemes[0]}:`;
    u.username = user === undefined ? '' : encodeURIComponent(user);
    u.password = password === undefined ? '' : encodeURIComponent(password);
    u.searchParams.delete('connect_timeout');
    u.searchParams.delete('connectTimeout');
    connectionString = u.toString();
  }

  const where = `${host ?? 'localhost'}:${port}${database === undefined ? '' : `/${database}`}`;
  return {
    dialect,
    ...(variant !== undefined ? { engine: variant.engine } : {}),
    scheme: `${scheme}://`,
    typeormType,
    host,
    port,
    user,
    password,
    database,
    connectionString,
    options,
    connectTimeoutSeconds,
    display: `${scheme}://${user === undefined ? '' : `${user}@`}${where}`,
  };
}

/** Removes the password (raw and URL-encoded) from a text. */
export function scrubPassword(text: string, spec: Pick<ConnectionSpec, 'password'> | undefined): string {
  const password = spec?.password;
  if (!password || password.length < 2) return text;
  let out = text;
  for (const variant of new Set([password, encodeURIComponent(password)])) out = out.split(variant).join('****');
  return out;
}
