/**
 * Redshift `UNLOAD`: the query is a string literal of the statement, so
 * nothing can be bound inside it. Values are rendered as literals that mean
 * the same whatever the server's backslash rules (quotes doubled; a
 * backslash written as `CHR(92)`), then the whole query is quoted as
 * Redshift quotes a literal (`QUOTE_LITERAL`: quotes and backslashes doubled).
 *
 * @module
 */
import {
  AWS_REGION,
  checkedOption,
  formatOf,
  parseS3Target,
  requiredOption,
  backslashFreeLiteral,
  renderLiterals,
  type UnloadRequest,
  type UnloadStatement,
} from '../../unload/request.js';

const IAM_ROLE = /^(default|arn:aws[a-z-]*:iam::\d{12}:role\/[A-Za-z0-9+=,.@_/-]{1,512})$/;


/** Quotes `text` as one Redshift string literal (what `QUOTE_LITERAL` does). */
function quoteLiteral(text: string): string {
  return `'${text.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;
}

/** The query with its `:name` placeholders rendered as literals (what runs inside UNLOAD). */
export function redshiftUnloadQuery(request: Pick<UnloadRequest, 'query' | 'params'>): string {
  const query = renderLiterals(request, 'postgres', backslashFreeLiteral);
  // The server may wrap the query (aws_s3 runs `COPY (query) TO …`): a trailing `-- comment` must not swallow what follows.
  return request.query.includes('--') ? `${query}\n` : query;
}

/**
 * `UNLOAD ('query') TO 's3://…/' IAM_ROLE '…' FORMAT AS CSV HEADER | PARQUET [REGION '…']`.
 * Needs `iamRole`; `region` when the bucket is in another region than the cluster.
 */
export function redshiftUnload(request: UnloadRequest): UnloadStatement {
  const target = parseS3Target(request.target);
  const format = formatOf(request.format);
  const role = requiredOption(request, 'iamRole', 'redshift', IAM_ROLE, 'arn:aws:iam::123456789012:role/redshift-unload');
  const region = request.region === undefined ? undefined : checkedOption(request.region, 'region', AWS_REGION, 'us-east-1');
  const lines = [
    `UNLOAD (${quoteLiteral(redshiftUnloadQuery(request))})`,
    `TO ${quoteLiteral(target.uri)}`,
    role === 'default' ? 'IAM_ROLE default' : `IAM_ROLE ${quoteLiteral(role)}`,
    format === 'csv' ? 'FORMAT AS CSV\nHEADER' : 'FORMAT AS PARQUET',
  ];
  if (region !== undefined) lines.push(`REGION ${quoteLiteral(region)}`);
  return { dialect: 'redshift', text: lines.join('\n'), target: target.uri };
}
