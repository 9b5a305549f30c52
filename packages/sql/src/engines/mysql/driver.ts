/**
 * Connecting to MariaDB/MySQL: mysql2 with exact numbers, UTC, JSON as
 * text, and a strict `sql_mode` pinned on each session.
 *
 * @module
 */
import type { DataSourceOptions } from 'typeorm';
import { loadDriver } from '../../load-module.js';
import type { SqlDriver } from '../driver.js';
import { MysqlEngine } from './engine.js';
import type { MysqlDriver } from './mysql2.js';

export const mysqlDriver: SqlDriver = {
  async prepare(spec, timeoutMs) {
    const mysql2 = await loadDriver<MysqlDriver>('mysql', spec.scheme);
    const dsnOptions: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(spec.options)) {
      try {
        dsnOptions[key] = JSON.parse(value);
      } catch {
        dsnOptions[key] = value;
      }
    }
    const connection = {
      host: spec.host ?? 'localhost',
      port: spec.port,
      user: spec.user,
      password: spec.password,
      database: spec.database,
    };
    const options = {
      type: spec.typeormType as 'mysql' | 'mariadb',
      driver: mysql2,
      host: connection.host,
      port: connection.port,
      username: connection.user,
      password: connection.password,
      database: connection.database,
      poolSize: 1,
      logging: false,
      extra: {
        connectionLimit: 1,
        multipleStatements: true,
        timezone: 'Z',
        dateStrings: ['DATE'],
        supportBigNumbers: true,
        bigNumberStrings: true,
        decimalNumbers: false,
        // JSON as text, parsed exactly by bigrays (mysql2's JSON.parse rounds big numbers, reads a JSON null as NULL).
        jsonStrings: true,
        connectTimeout: timeoutMs,
        maxPreparedStatements: 256,
        ...dsnOptions,
      },
    } as DataSourceOptions;
    const sideOptions = { ...connection, connectTimeout: 5000, ...dsnOptions };
    return {
      options,
      makeEngine: async (_runner, conn) => {
        const engine = new MysqlEngine(conn as never, mysql2, sideOptions);
        // UTC and a strict sql_mode, whatever the server's defaults.
        await engine.pinSession();
        return engine;
      },
    };
  },
  openFailure(code) {
    if (code === 'ER_DBACCESS_DENIED_ERROR' || code === 1044) return 'database-access';
    if (code === 'ER_ACCESS_DENIED_ERROR' || code === 1045) return 'login';
    if (code === 'ER_BAD_DB_ERROR' || code === 1049) return 'no-database';
    return undefined;
  },
};
