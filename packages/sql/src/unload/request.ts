/**
 * What every warehouse unload statement is built from, and the checks and
 * value rendering the four dialects share. Each dialect's statement is
 * generated in its own engine room (`engines/<dialect>/unload.ts`); this
 * module holds no dialect's syntax.
 *
 * The generators are pure: they validate, then build text. They throw
 * `UnloadSpecError` (naming the attribute and the fix); `UnloadToS3` wraps
 * it into the task's error.
 *
 * @module
 */
import { placeholderTokens, splitStatements, type Dialect } from '../sql-text.js';

/** The warehouses `UnloadToS3` writes statements for. */
export type UnloadDialect = 'redshift' | 'snowflake' | 'bigquery' | 'aurora-postgres';

/** The file formats a warehouse writes. */
export type UnloadFormat = 'csv' | 'parquet';

/** What to unload where, as `UnloadToS3`'s attributes say it. */
export interface UnloadRequest {
  /** One query; `:name` placeholders take their values from `params`. */
  query: string;
  /** Values of the `:name` placeholders. */
  params?: Readonly<Record<string, unknown>>;
  /** The S3 prefix the warehouse writes its files under: `s3://bucket/prefix/`. */
  target: string;
  /** `'csv'` (default; with a header row) or `'parquet'`. */
  format?: UnloadFormat;
  /** Redshift: the IAM role ARN the cluster assumes to write to S3, or `'default'` (the cluster's default role). */
  iamRole?: string;
  /** Redshift (optional: the bucket's region when it differs from the cluster's); Aurora PostgreSQL (required). */
  region?: string;
  /** Snowflake: the storage integration (an identifier) that grants access to the bucket. */
  storageIntegration?: string;
  /** BigQuery: the connection to AWS, `project.location.connection_id` (e.g. `my-project.aws-us-east-1.s3-writer`). */
  connection?: string;
}

/**
 * A generated statement. `params` is set when the dialect binds values:
 * Aurora PostgreSQL (`:name` placeholders, run with `SQLSession.query(text,
 * params)`), BigQuery (`@name` named parameters, run with the BigQuery
 * client's `query({ query: text, params })`). Without `params`, every value
 * is already an escaped literal in `text`.
 */
export interface UnloadStatement {
  dialect: UnloadDialect;
  text: string;
  params?: Record<string, unknown>;
  /** The prefix the files are written under (the task's output). */
  target: string;
}

/** A bad attribute of an unload request: `attribute` names it, the message says the fix. */
export class UnloadSpecError extends Error {
  override readonly name = 'UnloadSpecError';
  readonly kind = 'unload-spec';
  constructor(
    readonly attribute: string,
    message: string,
  ) {
    super(message);
  }
}

/** A parsed `s3://bucket/prefix/` target. */
export interface S3Target {
  /** `s3://bucket/prefix/` as given. */
  uri: string;
  bucket: string;
  /** The key prefix, without a leading `/`; empty or ending with `/`. */
  prefix: string;
}

const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
/** Characters refused in a target key: quotes, backslash, wildcards, control characters. */
// eslint-disable-next-line no-control-regex
const BAD_KEY_CHARS = /['"`\\*?\u0000-\u001f\u007f]/;

/** Parses and checks `target`. */
export function parseS3Target(target: unknown): S3Target {
  const example = 's3://my-bucket/exports/orders/';
  if (typeof target !== 'string' || !target.startsWith('s3://')) {
    throw new UnloadSpecError('target', `target must be an S3 prefix such as ${example}; got ${JSON.stringify(target) ?? String(target)}`);
  }
  const rest = target.slice('s3://'.length);
  const slash = rest.indexOf('/');
  const bucket = slash < 0 ? rest : rest.slice(0, slash);
  const prefix = slash < 0 ? '' : rest.slice(slash + 1);
  if (!BUCKET.test(bucket)) {
    throw new UnloadSpecError('target', `target ${JSON.stringify(target)} does not name a valid S3 bucket (3-63 lower-case letters, digits, dots, hyphens), e.g. ${example}`);
  }
  if (slash < 0 || (prefix !== '' && !prefix.endsWith('/'))) {
    throw new UnloadSpecError('target', `target ${JSON.stringify(target)} must end with '/': the warehouse writes several files under that prefix, e.g. ${example}`);
  }
  if (BAD_KEY_CHARS.test(prefix) || prefix.startsWith('/') || prefix.includes('//')) {
    throw new UnloadSpecError(
      'target',
      `target ${JSON.stringify(target)} has a character bigrays does not pass to a warehouse in a key prefix (quotes, backslash, '*', '?', control characters, empty path segments); use letters, digits and - _ . / =`,
    );
  }
  return { uri: target, bucket, prefix };
}

/** The format, checked. */
export function formatOf(format: unknown): UnloadFormat {
  if (format === undefined) return 'csv';
  if (format === 'csv' || format === 'parquet') return format;
  throw new UnloadSpecError('format', `format must be 'csv' or 'parquet'; got ${JSON.stringify(format) ?? String(format)}`);
}

/** A required text option (a credential name), checked against `pattern`. */
export function requiredOption(request: UnloadRequest, attribute: keyof UnloadRequest, dialect: UnloadDialect, pattern: RegExp, example: string): string {
  const value = request[attribute];
  if (value === undefined || value === '') {
    throw new UnloadSpecError(attribute, `dialect '${dialect}' needs ${attribute}, e.g. ${attribute} = '${example}'`);
  }
  return checkedOption(value, attribute, pattern, example);
}

/** An option's value, checked against `pattern` (a credential is never pasted unchecked, although it is also quoted). */
export function checkedOption(value: unknown, attribute: string, pattern: RegExp, example: string): string {
  if (typeof value !== 'string' || !pattern.test(value)) {
    throw new UnloadSpecError(attribute, `${attribute} ${JSON.stringify(value) ?? String(value)} is not valid; expected something like '${example}'`);
  }
  return value;
}

/** AWS region names (us-east-1, eu-central-2, us-gov-west-1, cn-north-1). */
export const AWS_REGION = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;

/** A value as one of the literal kinds every dialect can write. */
export type LiteralValue = { kind: 'null' } | { kind: 'string'; text: string } | { kind: 'number'; text: string } | { kind: 'boolean'; value: boolean };

/**
 * Classifies a parameter value for rendering as a literal: `null` → NULL;
 * strings (no NUL: SQL text cannot carry one); finite numbers and bigints
 * (negative ones in parentheses, so `x - :n` never becomes a `--` comment);
 * booleans; `Date` → its ISO 8601 UTC text. Anything else (bytes, objects,
 * arrays) is refused: it has no portable literal.
 */
export function literalValue(name: string, value: unknown): LiteralValue {
  if (value === null) return { kind: 'null' };
  switch (typeof value) {
    case 'string':
      if (value.includes('\u0000')) {
        throw new UnloadSpecError('params', `params.${name} contains a NUL character, which SQL text cannot carry; remove it`);
      }
      return { kind: 'string', text: value };
    case 'number':
      if (!Number.isFinite(value)) {
        throw new UnloadSpecError('params', `params.${name} is ${String(value)}; only finite numbers can be written into the query`);
      }
      return { kind: 'number', text: numberText(String(value)) };
    case 'bigint':
      return { kind: 'number', text: numberText(value.toString()) };
    case 'boolean':
      return { kind: 'boolean', value };
    case 'object':
      if (value instanceof Date) {
        if (Number.isNaN(value.getTime())) throw new UnloadSpecError('params', `params.${name} is an invalid Date`);
        return { kind: 'string', text: value.toISOString() };
      }
      break;
  }
  const what = value instanceof Uint8Array ? 'bytes' : Array.isArray(value) ? 'an array' : typeof value;
  throw new UnloadSpecError(
    'params',
    `params.${name} is ${what}, which has no literal the warehouse takes inside an unload query; pass a string, number, bigint, boolean, Date or null`,
  );
}

function numberText(text: string): string {
  return text.startsWith('-') ? `(${text})` : text;
}

/**
 * The query's single statement (trimmed, no trailing `;`) with each `:name`
 * placeholder replaced by `render(name, value)`. `scanAs` is the tokenizer
 * whose string, comment and quoting rules are closest to the warehouse's
 * (so placeholders inside literals and comments are left alone).
 */
export function substitutePlaceholders(
  request: Pick<UnloadRequest, 'query' | 'params'>,
  scanAs: Dialect,
  render: (name: string, value: unknown) => string,
): string {
  const { query, params } = request;
  if (typeof query !== 'string' || query.trim() === '') {
    throw new UnloadSpecError('query', `query must be a non-empty SQL query; got ${JSON.stringify(query) ?? String(query)}`);
  }
  if (params !== undefined && (params === null || typeof params !== 'object' || Array.isArray(params))) {
    throw new UnloadSpecError('params', `params must be an object of named values, e.g. { since: '2026-01-01' }`);
  }
  const statements = splitStatements(query, scanAs);
  if (statements.length !== 1) {
    throw new UnloadSpecError('query', `query must be exactly one statement (the query whose result is unloaded); it has ${statements.length}`);
  }
  const body = statements[0]!.text.trim();
  let out = '';
  let last = 0;
  for (const token of placeholderTokens(body, scanAs)) {
    const has = params !== undefined && Object.prototype.hasOwnProperty.call(params, token.name) && params[token.name] !== undefined;
    if (!has) {
      const given = params ? Object.keys(params) : [];
      throw new UnloadSpecError(
        'params',
        `the query uses :${token.name}, but params has no value for '${token.name}' (${given.length === 0 ? 'no params were given' : `params has: ${given.join(', ')}`}); add it, e.g. params = { ${token.name}: '{${token.name}}' }`,
      );
    }
    out += body.slice(last, token.start) + render(token.name, params![token.name]);
    last = token.end;
  }
  return out + body.slice(last);
}

/**
 * The query with its `:name` placeholders rendered as SQL literals: `NULL`,
 * numbers as written, `TRUE`/`FALSE`, and strings by the warehouse's own
 * `quote` (its escaping rules differ; that is the one part each dialect owns).
 */
export function renderLiterals(request: Pick<UnloadRequest, 'query' | 'params'>, scanAs: Dialect, quote: (text: string) => string): string {
  return substitutePlaceholders(request, scanAs, (name, value) => {
    const v = literalValue(name, value);
    switch (v.kind) {
      case 'null':
        return 'NULL';
      case 'string':
        return quote(v.text);
      case 'number':
        return v.text;
      case 'boolean':
        return v.value ? 'TRUE' : 'FALSE';
    }
  });
}

/** A string as a PostgreSQL-family literal without any backslash in it (`'it''s'`, `('a' || CHR(92) || 'b')`): it means the same whatever the server's backslash rule. */
export function backslashFreeLiteral(text: string): string {
  const parts = text.split('\\').map((part) => `'${part.replace(/'/g, "''")}'`);
  return parts.length === 1 ? parts[0]! : `(${parts.join(' || CHR(92) || ')})`;
}

