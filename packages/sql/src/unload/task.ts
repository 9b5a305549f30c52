/**
 * `UnloadToS3`: the warehouse writes a query's result to S3 itself; no row
 * crosses the job's machine.
 *
 * @module
 */
import { Requires, type TemplateUse } from '@bigrays/core';
import { SQLSession, type Params } from '../session.js';
import { sqlTemplateProblem } from '../sql-templates.js';
import { SQLTask } from '../tasks.js';
import { sqlTaskError } from '../errors.js';
import { UnloadSpecError, type UnloadDialect, type UnloadFormat } from './request.js';
import { unloadStatement } from './statement.js';
import type { Dialect } from '../engines/dialects.js';

/** Dialects whose statement the session can run, with the session dialect they need (the PostgreSQL protocol). */
const SESSION_DIALECT: Partial<Readonly<Record<UnloadDialect, Dialect>>> = { redshift: 'postgres', 'aurora-postgres': 'postgres' };

/** The warehouses bigrays has no driver for, for messages. */
const WAREHOUSE_NAMES: Partial<Readonly<Record<UnloadDialect, string>>> = { snowflake: 'Snowflake', bigquery: 'BigQuery' };

/**
 * Makes the warehouse write `query`'s result under `target`
 * (`s3://bucket/prefix/`) as CSV (with a header) or Parquet; outputs the
 * target prefix.
 *
 * `dialect` chooses the statement: `'redshift'` (`UNLOAD`, needs `iamRole`,
 * optional `region`), `'aurora-postgres'` (`aws_s3.query_export_to_s3`,
 * needs `region`, CSV only), `'snowflake'` (`COPY INTO` a location, needs
 * `storageIntegration`), `'bigquery'` (`EXPORT DATA`, needs `connection`).
 * `:name` placeholders take their values from `params`: bound where the
 * warehouse binds them, else written as escaped literals; a value never
 * changes the statement.
 *
 * Redshift and Aurora run on the task's `SQLSession` (a `redshift://` or
 * `postgres://` DSN). bigrays has no Snowflake or BigQuery driver: for those
 * dialects the task fails before running anything, and `unloadStatement()`
 * gives the statement to run with your own client.
 *
 * @example
 * \@Task()
 * class ExportOrders extends UnloadToS3 {
 *   dialect = 'redshift' as const;
 *   query = 'select * from orders where day = :day';
 *   params = { day: '{day}' };
 *   target = 's3://my-lake/orders/{day}/';
 *   format = 'parquet' as const;
 *   iamRole = 'arn:aws:iam::123456789012:role/redshift-unload';
 * }
 */
@Requires(SQLSession)
export class UnloadToS3 extends SQLTask {
  static requiredAttributes: readonly string[] = ['dialect', 'query', 'target'];
  static templateAttributes: readonly string[] = ['query', 'target', 'iamRole', 'region', 'storageIntegration', 'connection'];
  static templateObjectAttributes: readonly string[] = ['params'];

  /** Refuses, at plan time, a parameter pasted into the query that is not an identifier (bind it with `:name` instead). */
  static checkTemplateValue(use: TemplateUse): string | undefined {
    return use.attribute === 'query' ? sqlTemplateProblem(use) : undefined;
  }

  /** The warehouse: `'redshift'`, `'snowflake'`, `'bigquery'` or `'aurora-postgres'`. */
  dialect!: UnloadDialect | (string & Record<never, never>);
  /** The query whose result is unloaded; `:name` placeholders take their values from `params`. */
  query!: string;
  /** Values of the `:name` placeholders (strings may use `{name}` templates). */
  params?: Params;
  /** Parameters pasted into the query verbatim, as trusted SQL fragments (see `SQLQuery.rawSql`). */
  rawSql?: readonly string[];
  /** The S3 prefix the files go under, `s3://bucket/prefix/` (ends with `/`). */
  target!: string;
  /** `'csv'` (default, with a header row) or `'parquet'` (not on Aurora). */
  format: UnloadFormat | (string & Record<never, never>) = 'csv';
  /** Redshift: the IAM role ARN the cluster assumes to write to S3, or `'default'`. */
  iamRole?: string;
  /** Aurora PostgreSQL: the bucket's region (required); Redshift: the bucket's region when not the cluster's. */
  region?: string;
  /** Snowflake: the storage integration granting access to the bucket. */
  storageIntegration?: string;
  /** BigQuery: the AWS connection, `project.location.connection_id`. */
  connection?: string;

  async run(db: SQLSession): Promise<string> {
    let statement;
    try {
      statement = unloadStatement({
        dialect: this.dialect as UnloadDialect,
        query: this.query,
        params: this.params,
        target: this.target,
        format: this.format as UnloadFormat,
        iamRole: this.iamRole,
        region: this.region,
        storageIntegration: this.storageIntegration,
        connection: this.connection,
      });
    } catch (error) {
      if (error instanceof UnloadSpecError) throw sqlTaskError(`${error.attribute}: ${error.message}`, { cause: error });
      throw error;
    }
    const sessionDialect = SESSION_DIALECT[statement.dialect as UnloadDialect];
    if (sessionDialect === undefined) {
      throw sqlTaskError(
        `dialect '${statement.dialect}': bigrays has no ${WAREHOUSE_NAMES[statement.dialect as UnloadDialect] ?? statement.dialect} driver, so this task cannot run the statement. ` +
          `Build it with unloadStatement({ dialect: '${statement.dialect}', ... }) from @bigrays/sql and run it with your own client in a task of yours (see "Unloading to S3" in the @bigrays/sql README)`,
      );
    }
    if (db.dialect !== sessionDialect) {
      throw sqlTaskError(
        `dialect '${statement.dialect}' runs over the PostgreSQL protocol, but BIGRAYS_DB_DSN (${db.dsn}) is not a postgres:// or redshift:// DSN: point the task's SQLSession at the warehouse`,
      );
    }
    await db.query(statement.text, statement.params);
    return statement.target;
  }
}
