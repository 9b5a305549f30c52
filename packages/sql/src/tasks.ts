/**
 * The SQL task base classes. Extend one and decorate the subclass with
 * `@Task()`; each already requires `SQLSession` (subclasses inherit it).
 *
 * @module
 */
import { Requires, withCursor, type Dataset, type Row, type TemplateUse } from '@bigrays/core';
import { SQLSession, type Params } from './session.js';
import { sqlTemplateProblem } from './sql-templates.js';
import type { IfExists } from './write.js';

/**
 * Base class for custom SQL: implement `run(db)` with the open session,
 * `db.query`, `db.execute`, `db.write`, `db.stream`, `db.spool`,
 * `db.transaction`. Its output is whatever `run` returns.
 *
 * @example
 * \@Task()
 * class Refresh extends SQLTask {
 *   async run(db: SQLSession) {
 *     await db.execute('create temporary table recent as select * from sales where day > :since', { since: '2026-01-01' });
 *     return db.query('select count(*) as n from recent');
 *   }
 * }
 */
@Requires(SQLSession)
export abstract class SQLTask {
  abstract run(db: SQLSession): unknown;
}

/**
 * Runs `query` and outputs its rows (`Row[]`), or with `spool = true` a
 * `Dataset` spooled to a local file without holding the rows in memory.
 * `:name` placeholders are bound from `params`. A `{name}` template in the
 * query itself takes only an identifier (checked at plan time), unless the
 * parameter is listed in `rawSql`.
 *
 * @example
 * \@Task()
 * class PullSales extends SQLQuery {
 *   query = 'select * from sales where day between :begin and :end';
 *   params = { begin: '{begin}', end: '{end}' };
 * }
 */
@Requires(SQLSession)
export class SQLQuery extends SQLTask {
  static requiredAttributes: readonly string[] = ['query'];
  static templateAttributes: readonly string[] = ['query'];
  static templateObjectAttributes: readonly string[] = ['params'];

  /** Refuses, at plan time, a parameter value pasted into the query that is not an identifier (see `rawSql`). */
  static checkTemplateValue(use: TemplateUse): string | undefined {
    return sqlTemplateProblem(use);
  }

  /**
   * The query; `:name` placeholders are bound from `params`; `{name}` templates are filled from job
   * parameters and take identifiers only (a table, `schema.table`), unless listed in `rawSql`.
   */
  query!: string;
  /** Values of the `:name` placeholders (string values may use `{name}` templates). */
  params?: Params;
  /**
   * Parameters pasted into the query verbatim, as trusted SQL fragments (e.g. `['where_clause']`).
   * Opting in means whoever sets the parameter may run any SQL: never list a value that comes from users.
   */
  rawSql?: readonly string[];
  /** Output a `Dataset` (spooled to disk) instead of `Row[]`. */
  spool = false;

  run(db: SQLSession): Promise<Row[] | Dataset> {
    // An incremental task (@Task({ incremental })) binds :cursor to its cursor.
    const params = withCursor(this.params);
    return this.spool ? db.spool(this.query, params) : db.query(this.query, params);
  }
}

/**
 * Runs `statement` (one statement or a script) in a transaction, rolled
 * back on error; outputs the number of rows affected by its DML.
 *
 * @example
 * \@Task()
 * class Purge extends SQLExecute {
 *   statement = 'delete from events where day < :cutoff';
 *   params = { cutoff: '{cutoff}' };
 * }
 */
@Requires(SQLSession)
export class SQLExecute extends SQLTask {
  static requiredAttributes: readonly string[] = ['statement'];
  static templateAttributes: readonly string[] = ['statement'];
  static templateObjectAttributes: readonly string[] = ['params'];

  /** Refuses, at plan time, a parameter value pasted into the statement that is not an identifier (see `rawSql`). */
  static checkTemplateValue(use: TemplateUse): string | undefined {
    return sqlTemplateProblem(use);
  }

  /**
   * The statement or script; `:name` placeholders are bound from `params`; `{name}` templates are filled
   * from job parameters and take identifiers only, unless listed in `rawSql`.
   */
  statement!: string;
  /** Values of the `:name` placeholders. */
  params?: Params;
  /** Parameters pasted into the statement verbatim, as trusted SQL fragments (see `SQLQuery.rawSql`). */
  rawSql?: readonly string[];

  run(db: SQLSession): Promise<number> {
    return db.execute(this.statement, withCursor(this.params));
  }
}

/**
 * Writes `input` (rows, an iterable or async iterable of rows, or a
 * `Dataset`) into `table`, creating it from the rows' columns when missing;
 * outputs the number of rows written.
 *
 * `ifExists`: `'fail'` (default; the table is left untouched), `'append'`,
 * or `'replace'` (the new rows are loaded into a staging table that is then
 * swapped in, so the table is never half-written).
 *
 * @example
 * \@Task()
 * class SavePredictions extends SQLWrite {
 *   \@Input(MakePredictions) input!: Row[];
 *   table = 'predictions_{run_date}';
 *   ifExists = 'replace' as const;
 * }
 */
// `input` is declared through this interface rather than as a class field, so that a subclass can
// redeclare it with a precise type (`@Input(Upstream) input!: Row[]`) without TypeScript's error TS2612.
export interface SQLWrite {
  /** Rows (array, iterable or async iterable of objects) or a `Dataset`. Usually an `@Input`. */
  input: unknown;
}

@Requires(SQLSession)
export class SQLWrite extends SQLTask {
  static requiredAttributes: readonly string[] = ['table', 'input'];
  static templateAttributes: readonly string[] = ['table'];
  /** Python bigrays / pandas `to_sql` names a user may port; each is a plan error naming what to write instead. */
  static portedAttributes: Readonly<Record<string, string>> = {
    tablename: "write table = '...'",
    if_exists: "write ifExists = 'fail' | 'append' | 'replace'",
    schema: "put the schema in the table name: table = 'schema.name'",
    index: 'rows have no index here: add the column to the rows you write',
    index_label: 'rows have no index here: add the column to the rows you write',
    chunksize: 'not needed: rows are written in batches of 1,000 in one transaction',
    dtype: 'column types come from the values (see "Values and types" in the README); create the table first with SQLExecute to choose them',
    method: 'not needed: the dialect chooses the fastest insert',
    to_sql_kws: "set ifExists on the task; the other pandas options have no equivalent",
  };

  /** The table, `name` or `schema.name` (quote a part with `"..."` to keep dots or case). */
  table!: string;
  /**
   * What to do when the table exists: `'fail'` (default), `'append'` or
   * `'replace'`. Typed loosely so that `ifExists = 'replace'` in a subclass
   * needs no `as const`; other values are an error when the task runs.
   */
  ifExists: IfExists | (string & Record<never, never>) = 'fail';
  /**
   * With `ifExists = 'merge'`: the columns that identify a row. Rows whose
   * key exists are updated, the others inserted, in one transaction; a table
   * created by the write gets a unique key on them.
   */
  key?: readonly string[];

  run(db: SQLSession): Promise<number> {
    return db.write(this.table, this.input, { ifExists: this.ifExists as IfExists, ...(this.key !== undefined ? { key: this.key } : {}) });
  }
}
