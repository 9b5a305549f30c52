/**
 * Snowflake `COPY INTO 's3://…/' FROM (query)`. Values are rendered as
 * Snowflake string literals (Snowflake always reads backslash escapes in
 * `'…'`: backslashes and quotes are escaped), so the statement can be run by
 * any client, bound or not.
 *
 * The placeholders are found with the MariaDB/MySQL tokenizer's rules
 * (backslash escapes in `'…'` and `"…"`), the closest to Snowflake's. Not
 * understood, so keep `:word` out of them: `$$…$$` strings and `//` comments.
 * A `:name` right after an identifier (`v:name`) is Snowflake's path syntax
 * for semi-structured data; write the query without it, or with `GET_PATH`.
 *
 * @module
 */
import {
  formatOf,
  parseS3Target,
  requiredOption,
  renderLiterals,
  type UnloadRequest,
  type UnloadStatement,
} from '../../unload/request.js';

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_$]{0,254}$/;

/** Quotes `text` as a Snowflake string literal. */
function stringLiteral(text: string): string {
  return `'${text.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;
}

/** The query with its `:name` placeholders rendered as literals. */
export function snowflakeUnloadQuery(request: Pick<UnloadRequest, 'query' | 'params'>): string {
  return renderLiterals(request, 'mysql', stringLiteral);
}

/**
 * `COPY INTO 's3://…/' FROM (query) STORAGE_INTEGRATION = … FILE_FORMAT = (…) HEADER = TRUE`.
 * Needs `storageIntegration` (an unquoted identifier). CSV is written
 * uncompressed with fields quoted where needed; Parquet with Snowflake's default (Snappy).
 */
export function snowflakeUnload(request: UnloadRequest): UnloadStatement {
  const target = parseS3Target(request.target);
  const format = formatOf(request.format);
  const integration = requiredOption(request, 'storageIntegration', 'snowflake', IDENTIFIER, 'S3_EXPORTS');
  const text = [
    `COPY INTO ${stringLiteral(target.uri)}`,
    // The query on lines of its own: a trailing `-- comment` in it cannot swallow the closing parenthesis.
    `FROM (\n${snowflakeUnloadQuery(request)}\n)`,
    `STORAGE_INTEGRATION = ${integration}`,
    format === 'csv' ? `FILE_FORMAT = (TYPE = CSV COMPRESSION = NONE FIELD_OPTIONALLY_ENCLOSED_BY = '"')` : 'FILE_FORMAT = (TYPE = PARQUET)',
    'HEADER = TRUE',
  ].join('\n');
  return { dialect: 'snowflake', text, target: target.uri };
}
