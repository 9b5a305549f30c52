/**
 * Opening a SQLite database file with better-sqlite3.
 *
 * @module
 */
import { existsSync } from 'node:fs';
import { dirname, isAbsolute, resolve as resolvePath } from 'node:path';
import { ResourceError } from '@bigrays/core';
import type { DataSourceOptions } from 'typeorm';
import { loadDriver } from '../../load-module.js';
import type { SqlDriver } from '../driver.js';
import { SqliteEngine } from './engine.js';

export const sqliteDriver: SqlDriver = {
  async prepare(spec) {
    const BetterSqlite3 = await loadDriver<unknown>('sqlite', spec.scheme);
    const path = spec.path!;
    const database = path === ':memory:' || isAbsolute(path) ? path : resolvePath(path);
    // SQLite creates a missing file, not a missing directory (TypeORM would create those too): a mistyped path must not "work".
    if (database !== ':memory:' && !existsSync(dirname(database))) {
      throw new ResourceError(
        'SQLSession',
        `cannot open the SQLite database ${path}: the directory ${dirname(database)} does not exist (create it first; bigrays creates the database file, not directories)`,
      );
    }
    const options = { type: 'better-sqlite3', driver: BetterSqlite3, database, logging: false } as DataSourceOptions;
    return { options, makeEngine: async (_runner, conn) => new SqliteEngine(conn as never) };
  },
  openFailure: () => undefined,
  openErrorMessage: (spec, reason, codeText) => `cannot open the SQLite database ${spec.path}: ${reason}${codeText}`,
};
