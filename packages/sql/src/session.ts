/**
 * `SQLSession`: the database session resource, on TypeORM.
 *
 * @module
 */
import {
  ConfigurationError,
  Resource,
  taskSignal,
  type Config,
  type Dataset,
  type Progress,
  type Row,
} from '@bigrays/core';
import type { ConfigKey } from '@bigrays/core';
import { currentTask } from '@bigrays/core/plugin';
import type { DataSource, QueryRunner } from 'typeorm';
import { loadTypeorm } from './load-module.js';
import { parseDsn, type ConnectionSpec } from './dsn.js';
import { within, type Engine } from './engine.js';
import { databaseName, dialectOf } from './engines/dialects.js';
import { driverFor } from './engines/drivers.js';
import { sqlError, sqlTaskError } from './errors.js';
import { openError } from './open-error.js';
import { bindParams, checkParams, checkSql, type Params } from './params.js';
import { compileSql, placeholderNames, splitStatements, type Dialect } from './sql-text.js';
import { spoolBatches } from './spool.js';
import { rowMaker } from './values.js';
import { mapNumbers, numberMode, type NumberMode } from './number-mapping.js';
import { writeTable, type WriteOptions } from './write.js';

export type { Params } from './params.js';

/** Rows per batch when streaming. */
const STREAM_BATCH = 2000;
/** How long `close()` waits for each step before destroying the socket. */
const CLOSE_STEP_MS = 3000;

/**
 * A database session: one physical connection (a TypeORM query runner on a
 * DataSource with a pool of one), shared by consecutive SQL tasks, so
 * temporary tables and session settings carry over from one task to the
 * next. After a swap to another resource the next SQL task gets a new session.
 *
 * `BIGRAYS_DB_DSN` selects the driver: `postgres://`/`postgresql://` (pg),
 * `mysql://`/`mariadb://` (mysql2), `sqlite:<path>`/`sqlite::memory:`
 * (better-sqlite3). `BIGRAYS_DB_USER`/`BIGRAYS_DB_PWD` override the DSN's
 * credentials. TypeORM and the driver are loaded when the session opens,
 * never by `import '@bigrays/sql'`.
 *
 * In a task: `async run(db: SQLSession) { await db.query('select 1') }`.
 */
export class SQLSession extends Resource {
  static override requiredConfig: readonly string[] = ['DB_DSN'];
  static override configKeys: readonly ConfigKey[] = [
    { name: 'DB_DSN', description: 'SQL: connection string (postgres://, mysql://, mariadb://, sqlite:)' },
    { name: 'DB_USER', description: 'SQL: overrides the user in DB_DSN' },
    { name: 'DB_PWD', description: 'SQL: overrides the password in DB_DSN', secret: true },
    { name: 'DB_NUMBERS', description: "SQL: 'number' makes query()/stream() return bigint and numeric as JS numbers when exact (else the task fails); default 'string'" },
  ];

  /**
   * The missing keys, and more: a `DB_DSN` that is malformed or has an
   * unsupported scheme is a `ConfigurationError` at plan time, before any
   * task runs (it names the problem, never the password).
   */
  static override missingConfig(config: Config): string[] {
    const missing = super.missingConfig(config);
    if (missing.length > 0) return missing;
    try {
      parseDsn(config);
    } catch (error) {
      throw new ConfigurationError((error as Error).message, ['BIGRAYS_DB_DSN']);
    }
    numberMode(config);
    return missing;
  }

  #spec: ConnectionSpec | undefined;
  #numbers: NumberMode = 'string';
  #dataSource: DataSource | undefined;
  #runner: QueryRunner | undefined;
  #engine: Engine | undefined;
  #closing: Promise<void> | undefined;
  #active = 0;
  /** Streams (db.stream) not finished yet; between batches they run nothing. */
  #streams = 0;
  #idleWaiters: (() => void)[] = [];
  /** Set while a `stream()` holds the connection (MariaDB/MySQL, SQLite). */
  #streaming = false;

  /** `'postgres'`, `'mysql'` (MariaDB too) or `'sqlite'`. */
  get dialect(): Dialect {
    return this.#open().dialect;
  }

  /** The DSN without its password, e.g. `postgres://app@db:5432/sales`. */
  get dsn(): string {
    return this.#spec?.display ?? '(not open)';
  }

  /** The TypeORM DataSource (pool of one connection). */
  get dataSource(): DataSource {
    this.#open();
    return this.#dataSource!;
  }

  /** The TypeORM query runner holding this session's connection. */
  get queryRunner(): QueryRunner {
    this.#open();
    return this.#runner!;
  }

  /** The driver's connection: a pg `Client`, a mysql2 `PoolConnection`, or a better-sqlite3 `Database`. */
  get connection(): unknown {
    return this.#open().connection;
  }

  // -------------------------------------------------------------------------
  // Resource protocol
  // -------------------------------------------------------------------------

  /** Connects. Errors are `ResourceError`s that never contain the password. */
  async open(config: Config): Promise<void> {
    const spec = parseDsn(config);
    this.#spec = spec;
    this.#numbers = numberMode(config);
    const typeorm = await loadTypeorm();
    const timeoutMs = Math.round(spec.connectTimeoutSeconds * 1000);
    const driver = driverFor(spec);
    const { options, makeEngine } = await driver.prepare(spec, timeoutMs);

    const dataSource = new typeorm.DataSource(options);
    this.#dataSource = dataSource;
    try {
      const init = await within(dataSource.initialize(), timeoutMs + 5000);
      if (init.timedOut) throw Object.assign(new Error(`no answer within ${spec.connectTimeoutSeconds + 5} s`), { code: 'ETIMEDOUT' });
      const runner = dataSource.createQueryRunner('master');
      this.#runner = runner;
      const connection = await runner.connect();
      this.#engine = await makeEngine(runner, connection);
    } catch (error) {
      throw openError(error, spec);
    }
  }

  /**
   * Closes the session: rolls back an open transaction, releases the
   * connection and destroys the DataSource. Never hangs: a statement still
   * running is cancelled, and any step that does not finish within a few
   * seconds (a dead server, a stuck query) ends with the socket destroyed.
   */
  close(error?: unknown): Promise<void> {
    this.#closing ??= this.#close(error);
    return this.#closing;
  }

  async #close(_error?: unknown): Promise<void> {
    const engine = this.#engine;
    const runner = this.#runner;
    const dataSource = this.#dataSource;
    if (engine !== undefined) {
      if (this.#active > 0 || this.#streams > 0) await engine.cancel().catch(() => undefined);
      if (this.#active > 0) await within(this.#idle(), CLOSE_STEP_MS);
      if (this.#active > 0) engine.destroy();
      if (engine.healthy() && runner?.isTransactionActive) {
        const rollback = (async () => {
          for (let i = 0; i < 64 && runner.isTransactionActive; i++) await runner.rollbackTransaction();
        })().catch(() => undefined);
        const done = await within(rollback, CLOSE_STEP_MS);
        if (done.timedOut) engine.destroy();
      }
    }
    if (runner !== undefined && !runner.isReleased) {
      const released = await within(runner.release().catch(() => undefined), CLOSE_STEP_MS);
      if (released.timedOut) engine?.destroy();
    }
    if (dataSource?.isInitialized) {
      const destroyed = await within(dataSource.destroy().catch(() => undefined), CLOSE_STEP_MS);
      if (destroyed.timedOut) {
        engine?.destroy();
        await within(dataSource.destroy().catch(() => undefined), 1000);
      }
    }
  }

  /** False once the connection is broken (the runner reopens the session before the next SQL task). */
  healthy(): boolean {
    return this.#closing === undefined && this.#engine !== undefined && this.#engine.healthy();
  }

  // -------------------------------------------------------------------------
  // SQL
  // -------------------------------------------------------------------------

  /**
   * Runs a query and resolves to its rows (objects keyed by column name;
   * a repeated column name gets a `_2` suffix). `:name` placeholders take
   * their values from `params`, bound by the driver.
   */
  query(sql: string, params?: Params): Promise<Row[]> {
    return this.#op(async (engine) => {
      const { compiled, values } = bindParams(engine.dialect, sql, params);
      const result = await engine.query(compiled, values);
      if (this.#numbers === 'number') mapNumbers(result.rows, result.columns);
      const make = rowMaker(result.columns.map((c) => c.name));
      return result.rows.map(make);
    });
  }

  /**
   * Runs a statement or a script of several statements in a transaction
   * (a savepoint inside an open one): all of it or, on error, none of it.
   * Resolves to the number of rows affected by its INSERT/UPDATE/DELETE
   * statements (0 for DDL).
   *
   * Without placeholders the script goes to the server as is (PostgreSQL's
   * simple query protocol, mysql2 with `multipleStatements`, better-sqlite3
   * `exec`). With placeholders it is split at top-level semicolons and each
   * statement is run with its values bound.
   */
  execute(sql: string, params?: Params): Promise<number> {
    return this.#op(async (engine) => {
      checkSql(sql);
      checkParams(params);
      const dialect = engine.dialect;
      return this.#transaction(engine, async () => {
        if (placeholderNames(sql, dialect).length === 0) return engine.executeScript(compileSql(sql, dialect));
        let affected = 0;
        for (const statement of splitStatements(sql, dialect)) {
          const { compiled, values } = bindParams(dialect, statement.text, params);
          affected += await engine.executeStatement(compiled, values);
        }
        return affected;
      });
    });
  }

  /**
   * Streams a query's rows without holding the result in memory
   * (PostgreSQL: a server-side cursor; MariaDB/MySQL: the row stream;
   * SQLite: `iterate()`). On MariaDB/MySQL and SQLite the connection is busy
   * until the loop ends: run other statements after it (or use `spool`).
   */
  stream(sql: string, params?: Params): AsyncGenerator<Row, void, undefined> {
    return this.#stream(sql, params);
  }

  async *#stream(sql: string, params?: Params): AsyncGenerator<Row, void, undefined> {
    const engine = this.#usable();
    const { compiled, values } = bindParams(engine.dialect, sql, params);
    const exclusive = dialectOf(engine.dialect).exclusiveStreams;
    const signal = taskSignal();
    signal.throwIfAborted();
    if (exclusive) this.#streaming = true;
    const onAbort = () => void engine.cancel();
    signal.addEventListener('abort', onAbort, { once: true });
    this.#streams++;
    try {
      let make: ((values: readonly unknown[]) => Row) | undefined;
      let seen = 0;
      for await (const batch of engine.batches(compiled, values, STREAM_BATCH)) {
        if (this.#numbers === 'number') mapNumbers(batch.rows, batch.columns, seen + 1);
        seen += batch.rows.length;
        make ??= rowMaker(batch.columns.map((c) => c.name));
        for (const row of batch.rows) yield make(row);
        if (signal.aborted) throw signal.reason;
      }
    } finally {
      signal.removeEventListener('abort', onAbort);
      if (exclusive) this.#streaming = false;
      this.#streams--;
    }
  }

  /**
   * Runs a query and spools its result to a local file, returning a
   * `Dataset`; the rows never sit in memory. PostgreSQL without parameters
   * uses `COPY (query) TO STDOUT` (psql `\copy` speed); with parameters, and
   * on the other databases, rows are streamed into the file.
   */
  spool(sql: string, params?: Params): Promise<Dataset> {
    return this.#op(async (engine, signal) => {
      const { compiled, values } = bindParams(engine.dialect, sql, params);
      const scope = currentTask();
      const progress = (p: Progress) => scope?.report(p);
      if (engine.spool !== undefined) {
        const dataset = await engine.spool(compiled, values, progress, signal);
        if (dataset !== undefined) return dataset;
      }
      return spoolBatches(engine, compiled, values, progress, signal);
    });
  }

  /**
   * Writes rows (an array, iterable or async iterable of row objects, or a
   * `Dataset`) into `table`, creating it when missing; resolves to the number
   * of rows written. See `SQLWrite` for `ifExists`.
   */
  write(table: string, input: unknown, options: WriteOptions = {}): Promise<number> {
    return this.#op(async (engine, signal) => {
      const scope = currentTask();
      return writeTable(
        {
          engine,
          transaction: (fn) => this.#transaction(engine, fn),
          run: async (text) => {
            await engine.executeStatement(compileSql(text, engine.dialect), []);
          },
          progress: (p) => scope?.report(p),
          signal,
        },
        table,
        input,
        options.ifExists ?? 'fail',
        'input',
        options.key,
      );
    });
  }

  /**
   * Runs `fn` in a transaction: committed when it resolves, rolled back when
   * it throws. Nested calls (and `execute`/`write` inside) use savepoints.
   */
  transaction<T>(fn: () => Promise<T>): Promise<T> {
    return this.#op((engine) => this.#transaction(engine, fn));
  }

  // -------------------------------------------------------------------------
  // Internals
  // -------------------------------------------------------------------------

  #open(): Engine {
    if (this.#engine === undefined) throw new Error('SQLSession is not open: it is opened by the runner for tasks that @Requires(SQLSession)');
    return this.#engine;
  }

  #usable(): Engine {
    const engine = this.#open();
    if (this.#closing !== undefined) throw sqlTaskError(`the SQL session to ${this.dsn} is closed`, { userError: false });
    if (!engine.healthy()) {
      throw sqlTaskError(`the ${databaseName(engine.dialect)} connection (${this.dsn}) is broken; the next task gets a new session`, {
        userError: false,
      });
    }
    if (this.#streaming) {
      throw sqlTaskError(
        `the ${databaseName(engine.dialect)} connection is busy streaming the rows of db.stream(): ` +
          'finish (or break out of) that loop before running another statement, or use db.spool() to read the rows into a Dataset first',
      );
    }
    return engine;
  }

  async #op<T>(fn: (engine: Engine, signal: AbortSignal) => Promise<T>): Promise<T> {
    const engine = this.#usable();
    const signal = taskSignal();
    signal.throwIfAborted();
    // A timeout or an interruption cancels the statement on the server, not just the wait for it.
    const onAbort = () => void engine.cancel();
    signal.addEventListener('abort', onAbort, { once: true });
    this.#active++;
    try {
      return await fn(engine, signal);
    } catch (error) {
      if (signal.aborted) throw signal.reason ?? error;
      throw error;
    } finally {
      signal.removeEventListener('abort', onAbort);
      this.#done();
    }
  }

  #done(): void {
    this.#active--;
    if (this.#active === 0) for (const wake of this.#idleWaiters.splice(0)) wake();
  }

  #idle(): Promise<void> {
    if (this.#active === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  async #transaction<T>(engine: Engine, fn: () => Promise<T>): Promise<T> {
    const runner = this.#runner!;
    try {
      await runner.startTransaction();
    } catch (error) {
      throw sqlError(error, engine.dialect, undefined);
    }
    let result: T;
    try {
      result = await fn();
      // An interruption (timeout, signal) that did not fail the statement must not commit what ran before it:
      // MariaDB's KILL QUERY of a running SLEEP() just ends it early, and the script "succeeds" (issue 10 new-3).
      const signal = taskSignal();
      if (signal.aborted) throw signal.reason ?? new Error('interrupted');
    } catch (error) {
      if (engine.healthy() && runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
      throw error;
    }
    try {
      await runner.commitTransaction();
    } catch (error) {
      if (engine.healthy() && runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
      throw sqlError(error, engine.dialect, undefined);
    }
    return result;
  }
}
