/**
 * Named parameters: checking the SQL and the params a task gave, and
 * binding `:name` placeholders to the driver's values.
 *
 * @module
 */
import { bindValue, dialectOf, type Dialect } from './engines/dialects.js';
import { sqlTaskError } from './errors.js';
import { compileSql, type CompiledSql } from './sql-text.js';

/** Values of `:name` placeholders. */
export type Params = Readonly<Record<string, unknown>>;

export function checkSql(sql: unknown): void {
  if (typeof sql !== 'string' || sql.trim() === '') {
    throw sqlTaskError(`the SQL must be a non-empty string; got ${sql === undefined ? 'undefined' : JSON.stringify(sql)}`);
  }
}

export function checkParams(params: unknown): void {
  if (params === undefined || params === null) return;
  if (typeof params !== 'object' || Array.isArray(params)) {
    throw sqlTaskError(`params must be an object of named values, e.g. { begin: '2026-01-01' }; got ${Array.isArray(params) ? 'an array' : typeof params}`);
  }
}

/** Translates `:name` placeholders and collects their values; a name without a value is an error naming it. */
export function bindParams(dialect: Dialect, sql: string, params: Params | undefined): { compiled: CompiledSql; values: unknown[] } {
  checkSql(sql);
  checkParams(params);
  const compiled = compileSql(sql, dialect);
  const values = compiled.names.map((name) => {
    const value = params === undefined || params === null || !Object.prototype.hasOwnProperty.call(params, name) ? undefined : params[name];
    if (value === undefined) {
      const given = params ? Object.keys(params) : [];
      throw sqlTaskError(
        `the SQL uses the parameter :${name}, but params has no value for '${name}' ` +
          `(${given.length === 0 ? 'no params were given' : `params has: ${given.join(', ')}`}). ` +
          `Add it, e.g. params = { ${name}: '{${name}}' } to take it from the job parameter ${name}` +
          dialectOf(dialect).missingParamHint,
      );
    }
    return bindValue(dialect, value);
  });
  if (compiled.names.length > 0 && params) compiled.params = params;
  return { compiled, values };
}
