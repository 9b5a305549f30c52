/**
 * The sql_mode every MariaDB/MySQL session gets (`MysqlEngine.pinSession`):
 * strict, whatever the server's default.
 *
 * @module
 */

/**
 * The sql_mode flags the value mapping relies on, set on every session
 * whatever the server's default: a value the column cannot hold ('N/A' for
 * an INT, 2026-02-30, a too-long string) is an error, never a 0, a zero
 * date or a truncated string.
 */
export const STRICT_SQL_MODES: readonly string[] = ['STRICT_ALL_TABLES', 'NO_ZERO_DATE', 'NO_ZERO_IN_DATE', 'ERROR_FOR_DIVISION_BY_ZERO'];

/**
 * sql_mode flags taken off the session's default because they change what a
 * value means: invalid dates accepted, '' read as NULL, CHAR padded on read,
 * fractional seconds rounded differently, or (MariaDB's compatibility modes)
 * DATE created as DATETIME.
 */
const UNSAFE_SQL_MODES = new Set([
  'ALLOW_INVALID_DATES',
  'EMPTY_STRING_IS_NULL',
  'PAD_CHAR_TO_FULL_LENGTH',
  'TIME_TRUNCATE_FRACTIONAL',
  'TIME_ROUND_FRACTIONAL',
  'ORACLE',
  'MSSQL',
  'DB2',
  'MAXDB',
  'POSTGRESQL',
]);

/** The session's sql_mode: the server's default, less the unsafe flags, plus the strict ones. */
export function pinnedSqlMode(current: string): string {
  const kept = current
    .split(',')
    .map((m) => m.trim().toUpperCase())
    .filter((m) => /^[A-Z_]+$/.test(m) && !UNSAFE_SQL_MODES.has(m));
  for (const m of STRICT_SQL_MODES) if (!kept.includes(m)) kept.push(m);
  return kept.join(',');
}
