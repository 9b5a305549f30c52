/**
 * Errors of SQL work: they name the task, say which database rejected what,
 * and show the SQL near the error.
 *
 * @module
 */
import { runningTaskError, runningTaskName, MASK, currentTask, isSecretKey, redact } from '@bigrays/core/plugin';
import { TaskError } from '@bigrays/core';
import { databaseName } from './drivers.js';
import type { CompiledSql, Dialect } from './sql-text.js';

/** The name of the task running now, or `SQLSession` outside a task. */
export function taskLabel(): string {
  return runningTaskName('SQLSession');
}

/** A TaskError naming the running task: `Task: message`. */
export function sqlTaskError(message: string, options: { cause?: unknown; userError?: boolean } = {}): TaskError {
  return runningTaskError('SQLSession', message, { cause: options.cause, userError: options.userError ?? true });
}

interface DriverError {
  message?: string;
  code?: string | number;
  errno?: number;
  sqlState?: string;
  sqlMessage?: string;
  position?: string;
  detail?: string;
  hint?: string;
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
  const raw = dialect === 'mysql' ? (e.sqlMessage ?? e.message) : e.message;
  let message = typeof raw === 'string' && raw !== '' ? raw : String(error);
  const code = dialect === 'postgres' ? e.code : dialect === 'mysql' ? (e.code ?? e.errno) : e.code;
  let where = '';
  if (sql !== undefined) {
    const offset = errorOffset(e, dialect, sql, textOffset);
    where = offset === undefined ? showSql(sql.source) : showPosition(sql.source, offset);
  }
  if (dialect === 'postgres') {
    if (e.detail) message += `\n  detail: ${e.detail}`;
    if (e.hint) message += `\n  hint: ${e.hint}`;
  }
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

/** The 0-based offset in the source SQL where the error is, when the database says. */
function errorOffset(e: DriverError, dialect: Dialect, sql: CompiledSql, textOffset: number): number | undefined {
  if (dialect === 'postgres' && e.position !== undefined) {
    const p = Number(e.position) - 1 - textOffset;
    if (p >= 0 && p <= sql.text.length) return sql.sourceOffset(p);
    return undefined;
  }
  const text = sql.text;
  if (dialect === 'mysql') {
    const m = /near '([\s\S]*)' at line (\d+)\s*$/.exec(e.sqlMessage ?? e.message ?? '');
    if (m) {
      const near = m[1]!;
      const lineStart = nthLineStart(text, Number(m[2]));
      if (near === '') return sql.sourceOffset(text.length);
      // The reported line is where the parser stopped, which may be past the offending text: take the
      // last occurrence of the "near" text that starts before the end of that line.
      const probe = near.slice(0, 40);
      let lineEnd = text.indexOf('\n', lineStart);
      if (lineEnd < 0) lineEnd = text.length;
      let best = -1;
      for (let at = text.indexOf(probe); at >= 0 && at <= lineEnd; at = text.indexOf(probe, at + 1)) best = at;
      return sql.sourceOffset(best >= 0 ? best : lineStart);
    }
    return undefined;
  }
  if (dialect === 'sqlite') {
    const m = /near "([\s\S]*?)": syntax error/.exec(e.message ?? '');
    if (m) {
      const at = indexOfToken(text, m[1]!);
      if (at >= 0) return sql.sourceOffset(at);
    }
    if (/incomplete input/.test(e.message ?? '')) return sql.sourceOffset(text.trimEnd().length);
  }
  return undefined;
}

function indexOfToken(text: string, token: string): number {
  const re = new RegExp(`(^|[^A-Za-z0-9_])(${token.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')})(?![A-Za-z0-9_])`, 'i');
  const m = re.exec(text);
  return m ? m.index + m[1]!.length : text.indexOf(token);
}

function nthLineStart(text: string, line: number): number {
  let at = 0;
  for (let i = 1; i < line; i++) {
    const nl = text.indexOf('\n', at);
    if (nl < 0) return at;
    at = nl + 1;
  }
  return at;
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
