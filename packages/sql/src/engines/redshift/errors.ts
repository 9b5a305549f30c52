/**
 * Redshift's errors, worded like the other databases' (the database, the
 * code, the SQL near the error), plus what to do about the ones that are
 * Redshift's own: load errors kept in a system table, serializable
 * isolation violations, WLM cancellations, VARCHAR byte lengths.
 *
 * @internal
 * @module
 */
import { TaskError } from '@bigrays/core';
import { sqlError, sqlTaskError, taskLabel } from '../../errors.js';
import type { CompiledSql } from '../../sql-text.js';

const HINTS: readonly { code?: string; message?: RegExp; hint: string }[] = [
  {
    message: /stl_load_errors|sys_load_error_detail/i,
    hint: 'the rejected rows and the reasons are in a system table: select * from sys_load_error_detail order by start_time desc limit 10 (stl_load_errors on older clusters)',
  },
  {
    message: /serializable isolation violation/i,
    hint: 'another transaction wrote the same table at the same time (Redshift error 1023): run the writers one after the other, or run the task again',
  },
  {
    code: '57014',
    hint: 'the statement was cancelled: by bigrays (timeout, interruption) or, if nobody asked, by a WLM timeout or query monitoring rule of the cluster; raise the queue timeout or make the query cheaper',
  },
  { code: '22001', hint: 'Redshift VARCHAR lengths count bytes, not characters; bigrays creates text columns as VARCHAR(65535), the most Redshift holds' },
  { code: '53100', hint: 'the cluster is out of disk space: free space (VACUUM, drop unused tables) or resize the cluster' },
  { code: '0A000', hint: 'Redshift supports part of PostgreSQL only: rewrite the statement without the feature it names' },
];

/** The task error for a driver error on Redshift. */
export function redshiftError(error: unknown, sql: CompiledSql | undefined, textOffset = 0): Error {
  if (error instanceof TaskError) return error;
  const translated = sqlError(error, 'postgres', sql, textOffset);
  const prefix = `${taskLabel()}: `;
  let message = translated.message.startsWith(prefix) ? translated.message.slice(prefix.length) : translated.message;
  message = message.replace(/^PostgreSQL error/, 'Redshift error');
  const e = (error ?? {}) as { code?: string; message?: string };
  const hint = HINTS.find((h) => (h.code !== undefined && h.code === e.code) || (h.message !== undefined && h.message.test(e.message ?? '')));
  if (hint !== undefined) {
    // After the first line (the driver's message), before the SQL excerpt.
    const nl = message.indexOf('\n');
    message = nl < 0 ? `${message}\n  hint: ${hint.hint}` : `${message.slice(0, nl)}\n  hint: ${hint.hint}${message.slice(nl)}`;
  }
  return sqlTaskError(message, { cause: error });
}
