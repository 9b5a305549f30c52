/**
 * The functional interface: run one SQL task and get its output, outside
 * the job being defined (the original's `sql_query(...)` and friends). Each
 * call opens (and closes) its own session.
 *
 * @module
 */
import { runTask, type Dataset, type Row } from '@bigrays/core';
import type { Params } from './session.js';
import { SQLExecute, SQLQuery, SQLWrite } from './tasks.js';
import type { UnloadDialect, UnloadFormat } from './unload/request.js';
import { UnloadToS3 } from './unload/task.js';
import type { IfExists } from './write.js';

/** Runs a query; resolves to its rows, or with `spool: true` to a Dataset. */
export function sqlQuery(attributes: { query: string; params?: Params; rawSql?: readonly string[]; spool?: false }): Promise<Row[]>;
export function sqlQuery(attributes: { query: string; params?: Params; rawSql?: readonly string[]; spool: true }): Promise<Dataset>;
export function sqlQuery(attributes: { query: string; params?: Params; rawSql?: readonly string[]; spool?: boolean }): Promise<Row[] | Dataset>;
export function sqlQuery(attributes: { query: string; params?: Params; rawSql?: readonly string[]; spool?: boolean }): Promise<Row[] | Dataset> {
  return runTask(SQLQuery, attributes);
}

/** Runs a statement or script in a transaction; resolves to the rows affected. */
export function sqlExecute(attributes: { statement: string; params?: Params; rawSql?: readonly string[] }): Promise<number> {
  return runTask(SQLExecute, attributes);
}

/** Writes rows or a Dataset into a table; resolves to the rows written. */
export function sqlWrite(attributes: { table: string; input: unknown; ifExists?: IfExists }): Promise<number> {
  return runTask(SQLWrite, attributes);
}

/** Makes the warehouse unload a query's result to S3 (see `UnloadToS3`); resolves to the target prefix. */
export function unloadToS3(attributes: {
  dialect: UnloadDialect;
  query: string;
  params?: Params;
  target: string;
  format?: UnloadFormat;
  iamRole?: string;
  region?: string;
  storageIntegration?: string;
  connection?: string;
}): Promise<string> {
  return runTask<string>(UnloadToS3, attributes);
}
