/**
 * Errors of SQL work: they name the task, say which database rejected what,
 * and show the SQL near the error.
 *
 * @module
 */
import { runningTaskError, runningTaskName, MASK, currentTask, isSecretKey, redact } from '@bigrays/core/plugin';
import { TaskError } from '@bigrays/core';
import type { DriverError } from './engines/dialect.js';
import { databaseName, dialectOf, type Dialect } from './engines/dialects.js';
import type { CompiledSql } from './sql-text.js';

/** The name of the task running now, or `SQLSession` outside a task. */
export function taskLabel(): string {
  return runningTaskName('SQLSession');
}

/** A TaskError naming the running task: `Task: message`. */
export function sqlTaskError(message: string, options: { cause?: unknown; userError?: boolean } = {}): TaskError {
  return runningTaskError('SQLSession', message, { cause: options.cause, userError: options.userError ?? true });
}

const MAX_SQL_SHOWN = 600;

/**
 * Wraps an error a driver raised for `sql` into a TaskError that names the
 * task, the database and the error code, and shows the SQL near the error
 * (a caret under the position when the database reports one).
 *
 * @param textOffset the offset of `sql.text` within what was sent (e.g. the
 *   length of a `COPY (` prefix), to map positions back.
 */
export function sqlError(error: unknown, dialect: Dialect, sql: CompiledSql | undefined, textOffset = 0): TaskError {
  if (error instanceof TaskError) return error;
  const e = (error ?? {}) as DriverError;
  const reader = dialectOf(dialect).errors;
  const raw = reader.message(e);
  let message = typeof raw === 'string' && raw !== '' ? raw : String(error);
  const code = reader.code(e);
  let where = '';
  if (sql !== undefined) {
    const offset = reader.offset(e, sql.text, textOffset);
    where = offset === undefined ? showSql(sql.source) : showPosition(sql.source, sql.sourceOffset(offset));
  }
  message += reader.details?.(e) ?? '';
  const label = `${databaseName(dialect)} error${code === undefined ? '' : ` ${String(code)}`}`;
  return sqlTaskError(`${label}: ${message}${where}${showParams(sql)}`, { cause: error });
}

const MAX_VALUE_SHOWN = 60;

/** The values bound to the statement, one line: a value whose name looks secret is masked, long ones are cut. */
function showParams(sql: CompiledSql | undefined): string {
  if (!sql?.params || sql.names.length === 0) return '';
  const shown = [...new Set(sql.names)].map((name) => {
    const value = sql.params![name];
    if (isSecretKey(name)) return `:${name} = ${MASK}`;
    let text = value instanceof Date ? value.toISOString() : typeof value === 'string' ? `'${value}'` : typeof value === 'bigint' ? `${value}` : JSON.stringify(value) ?? String(value);
    if (text.length > MAX_VALUE_SHOWN) text = `${text.slice(0, MAX_VALUE_SHOWN)}…`;
    return `:${name} = ${redact(text)}`;
  });
  return `\n  params: ${shown.join(', ')}`;
}

/** The line of `sql` holding `offset`, with a caret under it. */
export function showPosition(sql: string, offset: number): string {
  const before = sql.slice(0, offset);
  const lineNo = before.split('\n').length;
  const lineStart = before.lastIndexOf('\n') + 1;
  let lineEnd = sql.indexOf('\n', offset);
  if (lineEnd < 0) lineEnd = sql.length;
  let line = sql.slice(lineStart, lineEnd).replace(/\t/g, ' ');
  let column = offset - lineStart;
  // Keep very long lines readable: a window around the error.
  if (line.length > 160) {
    const from = Math.max(0, column - 80);
    line = (from > 0 ? '…' : '') + line.slice(from, from + 160) + (from + 160 < line.length ? '…' : '');
    column = column - from + (from > 0 ? 1 : 0);
  }
  return `\n  at line ${lineNo}, column ${offset - lineStart + 1} of the SQL:\n    ${line}\n    ${' '.repeat(Math.max(0, column))}^`;
}

/** The SQL, indented (and shortened when long). */
export function showSql(sql: string): string {
  const trimmed = sql.trim();
  const shown = trimmed.length > MAX_SQL_SHOWN ? `${trimmed.slice(0, MAX_SQL_SHOWN)}…` : trimmed;
  return `\n  in the SQL:\n    ${shown.split('\n').join('\n    ')}`;
}
