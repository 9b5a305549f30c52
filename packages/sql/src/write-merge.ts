/**
 * `SQLWrite` with `ifExists = 'merge'` and `key`: rows whose key exists are
 * updated, the others inserted, in one transaction. The rows are loaded into
 * a staging table first with the same fast path as any write (PostgreSQL
 * COPY, batched INSERTs elsewhere), then merged with one statement:
 * PostgreSQL and SQLite `INSERT … SELECT … ON CONFLICT (key) DO UPDATE`,
 * MariaDB/MySQL `INSERT … SELECT … ON DUPLICATE KEY UPDATE`.
 *
 * @module
 */
import { describeValue } from '@bigrays/core/plugin';
import { qualifiedName, type Engine, type TableName } from './engine.js';
import { sqlTaskError } from './errors.js';
import { compileSql } from './sql-text.js';

/** Checks `key` for a merge: a non-empty list of names; each must be a column of the input. */
export function checkMergeKey(key: unknown, ifExists: unknown): readonly string[] | undefined {
  if (ifExists !== 'merge') {
    if (key !== undefined) throw sqlTaskError(`key is used only with ifExists = 'merge' (got ifExists = '${String(ifExists)}'): set ifExists = 'merge', or remove key`);
    return undefined;
  }
  if (!Array.isArray(key) || key.length === 0 || key.some((k) => typeof k !== 'string' || k.trim() === '')) {
    throw sqlTaskError(`ifExists = 'merge' needs key: the columns that identify a row, e.g. key = ['id']; got ${describeValue(key)}`);
  }
  return key as string[];
}

export function checkKeyColumns(key: readonly string[], columns: readonly { name: string }[], shown: string): void {
  const names = new Set(columns.map((c) => c.name));
  const missing = key.filter((k) => !names.has(k));
  if (missing.length > 0) {
    throw sqlTaskError(`key column${missing.length > 1 ? 's' : ''} ${missing.join(', ')} of the merge into ${shown} ${missing.length > 1 ? 'are' : 'is'} not in the input (its columns: ${[...names].join(', ')}); nothing was written`);
  }
}

/** The unique key clause of a table created for a merge (MariaDB/MySQL key a text column by a prefix). */
export function uniqueKeyClause(engine: Engine, key: readonly string[], typeOf: (column: string) => string): string {
  const parts = key.map((k) => (engine.dialect === 'mysql' && /text|blob/i.test(typeOf(k)) ? `${engine.quoteIdent(k)}(191)` : engine.quoteIdent(k)));
  return `, UNIQUE (${parts.join(', ')})`;
}

/** The statement that merges `staging` into `target`. */
export function mergeStatement(engine: Engine, target: TableName, staging: TableName, columns: readonly string[], key: readonly string[]): string {
  const q = (t: TableName) => qualifiedName(engine, t);
  const cols = columns.map((c) => engine.quoteIdent(c)).join(', ');
  const rest = columns.filter((c) => !key.includes(c));
  if (engine.dialect === 'mysql') {
    if (rest.length === 0) return `INSERT IGNORE INTO ${q(target)} (${cols}) SELECT ${cols} FROM ${q(staging)}`;
    const set = rest.map((c) => `${engine.quoteIdent(c)} = VALUES(${engine.quoteIdent(c)})`).join(', ');
    return `INSERT INTO ${q(target)} (${cols}) SELECT ${cols} FROM ${q(staging)} ON DUPLICATE KEY UPDATE ${set}`;
  }
  const conflict = `ON CONFLICT (${key.map((k) => engine.quoteIdent(k)).join(', ')})`;
  const action = rest.length === 0 ? 'DO NOTHING' : `DO UPDATE SET ${rest.map((c) => `${engine.quoteIdent(c)} = excluded.${engine.quoteIdent(c)}`).join(', ')}`;
  // "WHERE true": SQLite would otherwise read ON CONFLICT as part of the SELECT's join.
  return `INSERT INTO ${q(target)} (${cols}) SELECT ${cols} FROM ${q(staging)} WHERE true ${conflict} ${action}`;
}

/**
 * MariaDB/MySQL insert a duplicate silently when the table has no unique
 * key on exactly these columns; PostgreSQL and SQLite fail. Checked first,
 * so that every database says the same thing.
 */
export async function checkUniqueKey(engine: Engine, target: TableName, key: readonly string[], shown: string): Promise<void> {
  let keys: string[][];
  if (engine.dialect === 'mysql') {
    const sql = compileSql(
      'SELECT index_name AS i, column_name AS c FROM information_schema.statistics WHERE table_schema = COALESCE(:schema, DATABASE()) AND table_name = :name AND non_unique = 0 ORDER BY index_name, seq_in_index',
      'mysql',
    );
    const result = await engine.query(sql, [target.schema ?? null, target.name]);
    keys = groupKeys(result.rows.map((r) => [String(r[0]), String(r[1])]));
  } else if (engine.dialect === 'postgres') {
    const sql = compileSql(
      `SELECT CAST(i.indexrelid AS text) AS i, a.attname AS c FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)
       WHERE i.indrelid = to_regclass(:qualified) AND i.indisunique`,
      'postgres',
    );
    const result = await engine.query(sql, [qualifiedName(engine, target)]);
    keys = groupKeys(result.rows.map((r) => [String(r[0]), String(r[1])]));
  } else {
    const lists = await engine.query(compileSql(`SELECT name FROM pragma_index_list(:name) WHERE "unique" = 1`, 'sqlite'), [target.name]);
    keys = [];
    for (const row of lists.rows) {
      const cols = await engine.query(compileSql('SELECT name FROM pragma_index_info(:index)', 'sqlite'), [String(row[0])]);
      keys.push(cols.rows.map((c) => String(c[0])));
    }
    const pk = await engine.query(compileSql('SELECT name FROM pragma_table_info(:name) WHERE pk > 0 ORDER BY pk', 'sqlite'), [target.name]);
    if (pk.rows.length > 0) keys.push(pk.rows.map((c) => String(c[0])));
  }
  const wanted = [...key].sort().join('\u0000');
  if (!keys.some((k) => [...k].sort().join('\u0000') === wanted)) {
    throw sqlTaskError(
      `the merge into ${shown} needs a unique key on (${key.join(', ')}), and the table has none; nothing was written. ` +
        `Add one (CREATE UNIQUE INDEX ... ON ${shown} (${key.join(', ')})), or let SQLWrite create the table (it adds the key)`,
    );
  }
}

function groupKeys(pairs: [string, string][]): string[][] {
  const byIndex = new Map<string, string[]>();
  for (const [i, c] of pairs) byIndex.set(i, [...(byIndex.get(i) ?? []), c]);
  return [...byIndex.values()];
}
