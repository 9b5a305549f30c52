/**
 * Aurora PostgreSQL (and RDS for PostgreSQL) export with the `aws_s3`
 * extension: `aws_s3.query_export_to_s3(query, s3_uri, options)`. The outer
 * statement binds everything (`:name` placeholders, bound by the session);
 * the query itself is text the function runs, so its values are rendered as
 * literals that mean the same whatever `standard_conforming_strings` is
 * (quotes doubled; a backslash written as `CHR(92)`).
 *
 * The function writes COPY's formats only: CSV here, never Parquet. It
 * writes one object, `<prefix>export.csv`, continued in `export.csv_part2`,
 * `_part3`… when it exceeds about 6 GB.
 *
 * @module
 */
import {
  AWS_REGION,
  formatOf,
  parseS3Target,
  requiredOption,
  backslashFreeLiteral,
  renderLiterals,
  UnloadSpecError,
  type UnloadRequest,
  type UnloadStatement,
} from '../../unload/request.js';

/** The object key the export writes under the target prefix. */
export const AURORA_EXPORT_FILE = 'export.csv';


/** The query with its `:name` placeholders rendered as literals (what the function runs). */
export function auroraExportQuery(request: Pick<UnloadRequest, 'query' | 'params'>): string {
  const query = renderLiterals(request, 'postgres', backslashFreeLiteral);
  // The server may wrap the query (aws_s3 runs `COPY (query) TO …`): a trailing `-- comment` must not swallow what follows.
  return request.query.includes('--') ? `${query}\n` : query;
}

/**
 * `SELECT … FROM aws_s3.query_export_to_s3(:query, aws_commons.create_s3_uri(:bucket, :key, :region), options := :options)`,
 * with its values in `params`. Needs `region` (the bucket's); the cluster's IAM role does the writing.
 */
export function auroraPostgresUnload(request: UnloadRequest): UnloadStatement {
  const target = parseS3Target(request.target);
  if (formatOf(request.format) !== 'csv') {
    throw new UnloadSpecError(
      'format',
      "dialect 'aurora-postgres' writes CSV only (aws_s3.query_export_to_s3 takes COPY's formats, and COPY has no Parquet): set format = 'csv'",
    );
  }
  const region = requiredOption(request, 'region', 'aurora-postgres', AWS_REGION, 'us-east-1');
  const text =
    'SELECT rows_uploaded, files_uploaded, bytes_uploaded\n' +
    'FROM aws_s3.query_export_to_s3(:query, aws_commons.create_s3_uri(:bucket, :key, :region), options := :options)';
  return {
    dialect: 'aurora-postgres',
    text,
    params: {
      query: auroraExportQuery(request),
      bucket: target.bucket,
      key: `${target.prefix}${AURORA_EXPORT_FILE}`,
      region,
      options: 'format csv, header true',
    },
    target: target.uri,
  };
}
