/**
 * `SQLWrite` with `ifExists = 'merge'` and `key`: rows whose key exists are
 * updated, the others inserted, in one transaction. The rows are loaded into
 * a staging table first with the same fast path as any write (PostgreSQL
 * COPY, batched INSERTs elsewhere), then merged with one statement:
 * `INSERT … SELECT …` made an upsert by the dialect (`engines/<d>/upsert.ts`:
 * PostgreSQL and SQLite `ON CONFLICT (key) DO UPDATE`, MariaDB/MySQL
 * `ON DUPLICATE KEY UPDATE`).
 *
 * @module
 */
import { describeValue } from '@bigrays/core/plugin';
import { qualifiedName, type Engine, type TableName } from './engine.js';
import { sqlTaskError } from './errors.js';
import { compileSql } from './sql-text.js';
import { dialectOf } from './engines/dialects.js';

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

/** The unique key clause of a table created for a merge (each dialect says how a key column is written). */
export function uniqueKeyClause(engine: Engine, key: readonly string[], typeOf: (column: string) => string): string {
  const { upsert } = dialectOf(engine.dialect);
  return `, UNIQUE (${key.map((k) => upsert.keyColumn(engine.quoteIdent(k), typeOf(k))).join(', ')})`;
}

/** The statement that merges `staging` into `target`. */
export function mergeStatement(engine: Engine, target: TableName, staging: TableName, columns: readonly string[], key: readonly string[]): string {
  const q = (t: TableName) => qualifiedName(engine, t);
  const cols = columns.map((c) => engine.quoteIdent(c)).join(', ');
  const rest = columns.filter((c) => !key.includes(c)).map((c) => engine.quoteIdent(c));
  const insert = `INSERT INTO ${q(target)} (${cols}) SELECT ${cols} FROM ${q(staging)}`;
  return dialectOf(engine.dialect).upsert.upsert(insert, key.map((k) => engine.quoteIdent(k)), rest, true);
}

/**
 * MariaDB/MySQL insert a duplicate silently when the table has no unique
 * key on exactly these columns; PostgreSQL and SQLite fail. Checked first,
 * so that every database says the same thing.
 */
export async function checkUniqueKey(engine: Engine, target: TableName, key: readonly string[], shown: string): Promise<void> {
  const keys = await uniqueKeysOf(engine, target);
  const wanted = [...key].sort().join('\u0000');
  if (!keys.some((k) => [...k].sort().join('\u0000') === wanted)) {
    throw sqlTaskError(
      `the merge into ${shown} needs a unique key on (${key.join(', ')}), and the table has none; nothing was written. ` +
        `Add one (CREATE UNIQUE INDEX ... ON ${shown} (${key.join(', ')})), or let SQLWrite create the table (it adds the key)`,
    );
  }
}

/** The column lists of a table's unique keys (primary key included), as the dialect reads them. */
async function uniqueKeysOf(engine: Engine, target: TableName): Promise<string[][]> {
  const how = dialectOf(engine.dialect).upsert.uniqueKeys;
  const query = async (sql: string, values: Record<string, unknown>) => {
    const compiled = compileSql(sql, engine.dialect);
    return (await engine.query(compiled, compiled.names.map((n) => values[n] ?? null))).rows;
  };
  if (how.kind === 'pairs') {
    const rows = await query(how.sql, { schema: target.schema ?? null, name: target.name, qualified: qualifiedName(engine, target) });
    return groupKeys(rows.map((r) => [String(r[0]), String(r[1])]));
  }
  const keys: string[][] = [];
  for (const row of await query(`SELECT name FROM pragma_index_list(:name) WHERE "unique" = 1`, { name: target.name })) {
    keys.push((await query('SELECT name FROM pragma_index_info(:index)', { index: String(row[0]) })).map((c) => String(c[0])));
  }
  const pk = await query('SELECT name FROM pragma_table_info(:name) WHERE pk > 0 ORDER BY pk', { name: target.name });
  if (pk.length > 0) keys.push(pk.map((c) => String(c[0])));
  return keys;
}

function groupKeys(pairs: [string, string][]): string[][] {
  const byIndex = new Map<string, string[]>();
  for (const [i, c] of pairs) byIndex.set(i, [...(byIndex.get(i) ?? []), c]);
  return [...byIndex.values()];
}
