/**
 * `unloadStatement()`: the statement one warehouse needs, from the dialect's
 * own generator.
 *
 * @module
 */
import { auroraPostgresUnload } from '../engines/aurora-postgres/unload.js';
import { bigqueryUnload } from '../engines/bigquery/unload.js';
import { redshiftUnload } from '../engines/redshift/unload.js';
import { snowflakeUnload } from '../engines/snowflake/unload.js';
import { UnloadSpecError, type UnloadDialect, type UnloadRequest, type UnloadStatement } from './request.js';

const GENERATORS: Readonly<Record<UnloadDialect, (request: UnloadRequest) => UnloadStatement>> = {
  redshift: redshiftUnload,
  snowflake: snowflakeUnload,
  bigquery: bigqueryUnload,
  'aurora-postgres': auroraPostgresUnload,
};

/** The dialects, for messages. */
export const UNLOAD_DIALECTS = Object.keys(GENERATORS) as UnloadDialect[];

/**
 * The statement that makes `dialect`'s warehouse write the query's result
 * under `target` itself. Pure: nothing runs. Values are bound where the
 * dialect can bind them (`params` of the result) and escaped literals
 * otherwise; a value never changes the statement.
 *
 * @throws UnloadSpecError naming the attribute that is wrong and the fix.
 */
export function unloadStatement(request: UnloadRequest & { dialect: UnloadDialect }): UnloadStatement {
  const generate = Object.prototype.hasOwnProperty.call(GENERATORS, request.dialect) ? GENERATORS[request.dialect] : undefined;
  if (generate === undefined) {
    throw new UnloadSpecError('dialect', `dialect must be one of ${UNLOAD_DIALECTS.map((d) => `'${d}'`).join(', ')}; got ${JSON.stringify(request.dialect) ?? String(request.dialect)}`);
  }
  return generate(request);
}
