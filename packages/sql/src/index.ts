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
export { sqlQuery, sqlExecute, sqlWrite, unloadToS3 } from './functional.js';
export { UnloadToS3 } from './unload/task.js';
export { unloadStatement } from './unload/statement.js';
export { UnloadSpecError, type UnloadDialect, type UnloadFormat, type UnloadRequest, type UnloadStatement } from './unload/request.js';
export type { IfExists, WriteOptions } from './write.js';
export type { Dialect } from './sql-text.js';
export type { Row, Dataset, ColumnType } from '@bigrays/core';

// The run ledger in a database: BIGRAYS_STATE=postgres://…, mysql://…, mariadb://…, sqlite:<path>.
// Registering loads nothing: TypeORM and the driver are imported when the ledger opens.
import { registerLedgerStore } from '@bigrays/core/plugin';
import { SqlLedgerStore } from './ledger/sql-ledger-store.js';
registerLedgerStore(['postgres', 'postgresql', 'mysql', 'mariadb', 'sqlite'], '@bigrays/sql', (dsn) => new SqlLedgerStore(dsn));
export { SqlLedgerStore, LEDGER_SCHEMA_VERSION } from './ledger/sql-ledger-store.js';
