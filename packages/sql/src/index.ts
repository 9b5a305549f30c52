/**
 * @bigrays/sql: SQL tasks on TypeORM against PostgreSQL, MariaDB/MySQL and
 * SQLite. `SQLSession` (the resource), `SQLQuery`, `SQLExecute`, `SQLWrite`,
 * `SQLTask`, and the functional `sqlQuery`, `sqlExecute`, `sqlWrite`.
 *
 * Importing this module loads neither TypeORM nor a driver: they are
 * imported when a session opens.
 *
 * @packageDocumentation
 */
export { SQLSession, type Params } from './session.js';
export { SQLTask, SQLQuery, SQLExecute, SQLWrite } from './tasks.js';
export { sqlQuery, sqlExecute, sqlWrite } from './functional.js';
export type { IfExists, WriteOptions } from './write.js';
export type { Dialect } from './sql-text.js';
export type { Row, Dataset, ColumnType } from '@bigrays/core';
