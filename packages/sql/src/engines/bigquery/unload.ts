/**
 * BigQuery `EXPORT DATA WITH CONNECTION … OPTIONS (…) AS query` (BigQuery
 * Omni: a query over BigLake tables in an AWS region). Values are bound:
 * each `:name` placeholder becomes the named parameter `@name`, its value
 * returned in `params` for the client (`bigquery.query({ query: text, params })`).
 *
 * The placeholders are found with the MariaDB/MySQL tokenizer's rules
 * (backslash escapes in `'…'` and `"…"`, backtick identifiers, `#` comments),
 * the closest to GoogleSQL's. Not understood, so keep `:word` out of them:
 * triple-quoted strings (`'''…'''`, `"""…"""`).
 *
 * @module
 */
import {
  formatOf,
  parseS3Target,
  requiredOption,
  substitutePlaceholders,
  UnloadSpecError,
  type UnloadRequest,
  type UnloadStatement,
} from '../../unload/request.js';

/** `project.location.connection_id` (a project may be domain-scoped: `example.com:project`). */
const CONNECTION = /^[A-Za-z0-9_.:-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;
const PARAMETER_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,127}$/;

/** Quotes `text` as a GoogleSQL string literal (backslash escapes; no doubled quotes in GoogleSQL). */
function stringLiteral(text: string): string {
  return `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/**
 * `EXPORT DATA WITH CONNECTION \`…\` OPTIONS (uri = 's3://…/*.csv', format = 'CSV', header = true) AS query`,
 * with the query's values bound (`params`). Needs `connection`.
 */
export function bigqueryUnload(request: UnloadRequest): UnloadStatement {
  const target = parseS3Target(request.target);
  const format = formatOf(request.format);
  const connection = requiredOption(request, 'connection', 'bigquery', CONNECTION, 'my-project.aws-us-east-1.s3-writer');
  const params: Record<string, unknown> = {};
  const query = substitutePlaceholders(request, 'mysql', (name, value) => {
    if (!PARAMETER_NAME.test(name)) {
      throw new UnloadSpecError('params', `:${name} is not a valid BigQuery parameter name (letters, digits and _ only, not starting with a digit); rename it`);
    }
    params[name] = value;
    return `@${name}`;
  });
  const uri = `${target.uri}*.${format}`;
  const options = format === 'csv' ? `uri = ${stringLiteral(uri)}, format = 'CSV', header = true` : `uri = ${stringLiteral(uri)}, format = 'PARQUET'`;
  const text = `EXPORT DATA\nWITH CONNECTION \`${connection}\`\nOPTIONS (${options})\nAS\n${query}`;
  return { dialect: 'bigquery', text, params, target: target.uri };
}
