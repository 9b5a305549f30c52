/**
 * The parts of mysql2 bigrays uses (its own types, so the package stays an
 * optional peer dependency).
 *
 * @module
 */

/** The parts of a mysql2 connection bigrays uses. */
export interface MysqlConnection {
  threadId: number | null;
  query(options: object, callback?: (err: unknown, rows: unknown, fields: unknown) => void): MysqlCommand;
  execute(options: object, callback?: (err: unknown, rows: unknown, fields: unknown) => void): MysqlCommand;
  pause(): void;
  resume(): void;
  destroy(): void;
  on(event: string, listener: (...args: unknown[]) => void): unknown;
  _fatalError?: unknown;
  _closing?: boolean;
  stream?: { destroyed?: boolean };
}

interface MysqlCommand {
  on(event: string, listener: (...args: never[]) => void): MysqlCommand;
}

/** What mysql2's `createConnection` needs to open a side connection (for KILL QUERY). */
export interface MysqlDriver {
  createConnection(options: object): MysqlConnection & { end(cb?: (err?: unknown) => void): void; on(event: string, l: (...a: unknown[]) => void): unknown };
}
