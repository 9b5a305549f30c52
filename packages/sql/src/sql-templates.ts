/**
 * `{name}` templates inside SQL text (`SQLQuery.query`, `SQLExecute.statement`):
 * which parameter values may be pasted into the SQL itself.
 *
 * Values are bound, never pasted: `:name` in the SQL, its value in `params`.
 * A `{name}` template in the SQL text is for identifiers (a table,
 * `schema.table`), so the planner refuses any other value, before anything
 * runs (exit 2): `--param day="x'; drop table sales; --"` can no longer
 * change the SQL. A task that really means to paste an SQL fragment opts in
 * per parameter, in the class, with `rawSql = ['where_clause']`; such a
 * parameter must come from someone trusted to write SQL.
 *
 * @module
 */
import { displayValue } from '@bigrays/core/plugin';
import type { FormatValue, TemplateUse } from '@bigrays/core';

/** What a parameter pasted into SQL text may be: an identifier, optionally qualified (`sales`, `analytics.sales_2026`). */
export const SQL_IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_$]*(\.[A-Za-z_][A-Za-z0-9_$]*)?$/;

const render = (value: FormatValue): string => (value instanceof Date ? value.toISOString() : String(value));

/** A value for a message: secrets masked, one line, at most ~80 characters. */
function shown(parameter: string, text: string): string {
  const masked = displayValue(parameter, text);
  return JSON.stringify(masked.length > 80 ? `${masked.slice(0, 77)}...` : masked);
}

/**
 * The problem with pasting `use.value` into the SQL text of `use.attribute`,
 * or `undefined` when it is an identifier or the task lists the parameter in
 * `rawSql`. The message names the task, the attribute, the parameter and
 * both fixes.
 */
export function sqlTemplateProblem(use: TemplateUse): string | undefined {
  const { task, attribute, parameter } = use;
  const raw = use.instance.rawSql;
  if (raw !== undefined && !(Array.isArray(raw) && raw.every((name) => typeof name === 'string'))) {
    return `${task}.rawSql must be a list of parameter names such as ['where_clause']; got ${JSON.stringify(raw) ?? String(raw)}`;
  }
  if (Array.isArray(raw) && raw.includes(parameter)) return undefined;
  const text = render(use.value);
  if (SQL_IDENTIFIER.test(text)) return undefined;
  return (
    `${task}.${attribute}: {${parameter}} = ${shown(parameter, text)} is pasted into the SQL text, which takes only an identifier ` +
    `(a table or schema.table: letters, digits, _ and $). Bind the value instead: :${parameter} in the SQL and ` +
    `params = { ${parameter}: '{${parameter}}' }; or, for a trusted SQL fragment, set rawSql = ['${parameter}'] in ${task}`
  );
}
