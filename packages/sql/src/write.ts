/**
 * `SQLWrite`'s and `db.write()`'s table loading: infer the columns, create
 * the table when missing, and load the rows (PostgreSQL COPY, batched
 * INSERTs elsewhere), never leaving a half-written table.
 *
 * @module
 */
import { randomBytes } from 'node:crypto';
import { describeValue } from '@bigrays/core/plugin';
import { getLogger } from '@bigrays/core';
import { qualifiedName, within, type Engine, type ProgressSink, type TableName } from './engine.js';
import { sqlTaskError } from './errors.js';
import { databaseName, dialectOf, type Dialect } from './engines/dialects.js';
import { checkKeyColumns, checkMergeKey, checkUniqueKey, mergeStatement, uniqueKeyClause } from './write-merge.js';
import { openSource } from './write-source.js';

/** What `SQLWrite` does when the table exists already. */
export type IfExists = 'fail' | 'append' | 'replace' | 'merge';

/** Options of `db.write()`. */
export interface WriteOptions {
  /**
   * When the table exists: `'fail'` (default) is an error and leaves it
   * untouched, `'append'` adds the rows, `'replace'` replaces the table
   * (dropped and recreated from the input's columns) atomically; an input
   * with no rows and no columns (an empty array) cannot replace a table and
   * is an error that leaves it untouched.
   */
  ifExists?: IfExists;
  /** `ifExists = 'merge'`: the columns that identify a row (a unique key; created with the table). */
  key?: readonly string[];
}

const IF_EXISTS: readonly IfExists[] = ['fail', 'append', 'replace', 'merge'];

/** MariaDB/MySQL: "Table already exists". */
const ER_TABLE_EXISTS = 1050;

/** What the session lends to a write. */
export interface WriteContext {
  engine: Engine;
  /** Runs `fn` in a transaction (a savepoint when one is open). */
  transaction<T>(fn: () => Promise<T>): Promise<T>;
  /** Runs one statement without parameters. */
  run(sql: string): Promise<void>;
  progress: ProgressSink;
  signal: AbortSignal;
}

/**
 * Splits `schema.table` into its parts. Parts may be quoted (`"My Table"`,
 * or with backticks on MariaDB/MySQL) to hold dots or other characters.
 */
export function parseTableName(table: unknown, dialect: Dialect): TableName {
  if (typeof table !== 'string' || table.trim() === '') {
    throw sqlTaskError(`the table name must be a non-empty string such as 'sales' or 'analytics.sales'; got ${describeValue(table)}`);
  }
  const parts: string[] = [];
  let i = 0;
  const s = table.trim();
  const backticks = dialectOf(dialect).syntax.backtickIdentifiers;
  while (i <= s.length) {
    const c = s[i];
    let part: string;
    if (c === '"' || (c === '`' && backticks)) {
      let j = i + 1;
      part = '';
      for (;;) {
        if (j >= s.length) throw sqlTaskError(`the table name ${JSON.stringify(table)} has an unclosed ${c}`);
        if (s[j] === c) {
          if (s[j + 1] === c) {
            part += c;
            j += 2;
            continue;
          }
          break;
        }
        part += s[j];
        j++;
      }
      i = j + 1;
    } else {
      let j = s.indexOf('.', i);
      if (j < 0) j = s.length;
      part = s.slice(i, j).trim();
      i = j;
    }
    if (part === '') throw sqlTaskError(`the table name ${JSON.stringify(table)} has an empty part; expected 'table' or 'schema.table'`);
    parts.push(part);
    if (i >= s.length) break;
    if (s[i] !== '.') throw sqlTaskError(`the table name ${JSON.stringify(table)} is malformed; expected 'table' or 'schema.table' (quote parts with "...")`);
    i++;
  }
  if (parts.length === 1) return { name: parts[0]! };
  if (parts.length === 2) return { schema: parts[0]!, name: parts[1]! };
  throw sqlTaskError(`the table name ${JSON.stringify(table)} has ${parts.length} parts; expected 'table' or 'schema.table'`);
}

/** The longest prefix of `s` within `bytes` bytes of UTF-8, never cutting a character. */
function utf8Prefix(s: string, bytes: number): string {
  const buf = Buffer.from(s, 'utf8');
  if (buf.length <= bytes) return s;
  let end = bytes;
  // Step back over continuation bytes (10xxxxxx) to the start of the character that does not fit.
  while (end > 0 && (buf[end]! & 0xc0) === 0x80) end--;
  return buf.subarray(0, end).toString('utf8');
}

/**
 * Staging tables are `<table, cut to 40 bytes of UTF-8>_bigrays_<new|old>_<tag>`: at most 61 bytes, within
 * every database's limit (PostgreSQL: 63 bytes, cut by bytes; MySQL: 64 characters).
 */
const STAGING_PREFIX_BYTES = 40;

/** The part of the table's name that starts its staging tables' names. */
const stagingPrefix = (table: TableName): string => utf8Prefix(table.name, STAGING_PREFIX_BYTES);

function stagingName(table: TableName, what: 'new' | 'old', tag: string): TableName {
  const name = `${stagingPrefix(table)}_bigrays_${what}_${tag}`;
  return table.schema === undefined ? { name } : { schema: table.schema, name };
}

/** A fresh staging tag: 8 hex digits. */
const newTag = (): string => randomBytes(4).toString('hex');

/** The tag of a staging table of `table` (any run's), or undefined when `name` is not one. */
function stagingTagOf(table: TableName, name: string): string | undefined {
  const prefix = stagingPrefix(table);
  if (!name.startsWith(prefix)) return undefined;
  return /^_bigrays_(?:new|old)_([0-9a-f]{8})$/.exec(name.slice(prefix.length))?.[1];
}

/** A LIKE pattern (escape `\\`) matching the names of `table`'s staging tables. */
function stagingLike(table: TableName): string {
  return `${stagingPrefix(table).replace(/[\\%_]/g, (c) => `\\${c}`)}\\_bigrays\\_%`;
}

/**
 * Writes `input` into `table`; resolves to the number of rows written.
 *
 * - The table is created from the input's columns when missing (types
 *   inferred from the values, or a Dataset's column types).
 * - `fail` (default): an existing table is an error and is left untouched.
 * - `append`: rows are added in one transaction (all or nothing).
 * - `replace`: the rows go into a staging table that is then swapped in
 *   (PostgreSQL, SQLite: in one transaction with the drop; MariaDB/MySQL:
 *   with one atomic `RENAME TABLE`), so readers see the old table or the new
 *   one, never a half-written one.
 */
export async function writeTable(ctx: WriteContext, table: unknown, input: unknown, ifExists: unknown = 'fail', label = 'input', mergeKey?: unknown): Promise<number> {
  const { engine } = ctx;
  const dialect = engine.dialect;
  if (!IF_EXISTS.includes(ifExists as IfExists)) {
    throw sqlTaskError(`ifExists must be 'fail', 'append', 'replace' or 'merge'; got ${typeof ifExists === 'string' ? `'${ifExists}'` : describeValue(ifExists)}`);
  }
  const key = checkMergeKey(mergeKey, ifExists);
  let name = parseTableName(table, dialect);
  const shown = String(table);
  const maxBytes = engine.maxIdentifierBytes;
  for (const part of maxBytes === undefined ? [] : [name.schema, name.name]) {
    if (part !== undefined && Buffer.byteLength(part) > maxBytes!) {
      throw sqlTaskError(
        `the table name ${shown}: ${JSON.stringify(part)} is ${Buffer.byteLength(part)} bytes in UTF-8; ` +
          `${databaseName(dialect)} names are at most ${maxBytes} bytes (a longer one would be cut silently); use a shorter name`,
      );
    }
  }
  const source = await openSource(input, label);
  ctx.signal.throwIfAborted();
  const exists = await engine.tableExists(name);
  // Stage and swap beside the existing table, not wherever an unqualified name would be created.
  if (exists && name.schema === undefined && engine.resolveTable !== undefined) name = (await engine.resolveTable(name)) ?? name;
  if (exists && ifExists === 'fail') {
    throw sqlTaskError(
      `table ${shown} already exists and was left untouched; set ifExists = 'append' to add the rows, or 'replace' to replace the table`,
    );
  }
  const q = (t: TableName) => qualifiedName(engine, t);

  const columns = source.columns;
  if (columns === undefined) {
    if (!exists) {
      throw sqlTaskError(
        `the input has no rows, so the columns of the new table ${shown} cannot be inferred and nothing was created; ` +
          'pass at least one row, or a Dataset (which knows its columns)',
      );
    }
    if (ifExists === 'append' || ifExists === 'merge') return 0;
    // A replace rebuilds the table from the input's columns; without any, emptying the old table instead
    // would keep its schema only in this case (and wipe a table because an upstream step came back empty).
    throw sqlTaskError(
      `the input has no rows, so the columns to rebuild ${shown} from are unknown; the table was left untouched. ` +
        'Pass a Dataset (an empty one still has its columns), or empty the table with SQLExecute (DELETE FROM / TRUNCATE) if that is what you mean',
    );
  }

  // Column types first (a Dataset's decimals are sized over all its rows): a column no type can hold fails before any DDL.
  const sizes = (dialectOf(dialect).sizesDecimals || engine.sizedDecimals === true) && columns.some((c) => c.type === 'decimal') ? await source.decimalSizes() : [];
  const types = columns.map((c, i) => {
    try {
      return engine.sqlType(c.type, sizes[i]);
    } catch (error) {
      if (!(error instanceof RangeError)) throw error;
      throw sqlTaskError(
        `the column '${c.name}' of the ${label} ${error.message}; nothing was written. ` +
          'Round the values or cast the column to text in the query that makes the input',
        { cause: error },
      );
    }
  });
  ctx.signal.throwIfAborted();
  if (key) checkKeyColumns(key, columns, shown);
  // A table created for a merge gets its unique key, so that the next merge can match rows.
  const keyClause = key ? uniqueKeyClause(engine, key, (c) => types[columns.findIndex((col) => col.name === c)]!) : '';
  const create = (t: TableName) =>
    ctx.run(`CREATE TABLE ${q(t)} (${columns.map((c, i) => `${engine.quoteIdent(c.name)} ${types[i]}`).join(', ')}${keyClause})`);
  // Every table this write loads into is created from the inferred types (the target, a staging table), except an appended one.
  const created = !(exists && ifExists === 'append');
  const load = (t: TableName) => engine.load(t, columns, source.writeSource(dialect, created), ctx.progress, ctx.signal);
  if (exists && key) {
    // Stage, then merge in one statement, all in one transaction.
    await checkUniqueKey(engine, name, key, shown);
    const columnDefs = columns.map((c, i) => `${engine.quoteIdent(c.name)} ${types[i]}`).join(', ');
    const staging = stagingName(name, 'new', newTag());
    const merge = async (stage: TableName) => {
      const written = await load(stage);
      await ctx.run(mergeStatement(engine, name, stage, columns.map((c) => c.name), key));
      return written;
    };
    if (engine.transactionalDdl) {
      return ctx.transaction(async () => {
        await ctx.run(`CREATE TABLE ${q(staging)} (${columnDefs})`);
        const written = await merge(staging);
        await ctx.run(`DROP TABLE ${q(staging)}`);
        return written;
      });
    }
    // MariaDB/MySQL: a TEMPORARY table commits nothing and goes with the connection.
    const temp: TableName = { name: staging.name };
    await ctx.run(`CREATE TEMPORARY TABLE ${q(temp)} (${columnDefs})`);
    try {
      return await ctx.transaction(() => merge(temp));
    } finally {
      await ctx.run(`DROP TEMPORARY TABLE IF EXISTS ${q(temp)}`).catch(() => undefined);
    }
  }

  if (engine.transactionalDdl) {
    return ctx.transaction(async () => {
      if (!exists) {
        await create(name);
        return load(name);
      }
      if (ifExists === 'append') return load(name);
      const staging = stagingName(name, 'new', newTag());
      await create(staging);
      const written = await load(staging);
      await ctx.run(`DROP TABLE ${q(name)}`);
      await engine.renameTable(staging, name.name);
      return written;
    });
  }
  return writeWithoutTransactionalDdl(ctx, name, shown, exists, ifExists as IfExists, create, load);
}

/**
 * MariaDB/MySQL: DDL commits implicitly, so a new table (or the new version
 * of a replaced one) is created and filled under a staging name, in a
 * transaction, and only then renamed into place: the target never exists
 * empty or half-filled. The run holds a claim on its staging tag (a server
 * lock, gone with its connection), so that the staging tables of a run
 * that died (SIGKILL, a lost connection) are swept by the next write to the
 * same table.
 */
async function writeWithoutTransactionalDdl(
  ctx: WriteContext,
  name: TableName,
  shown: string,
  exists: boolean,
  ifExists: IfExists,
  create: (t: TableName) => Promise<void>,
  load: (t: TableName) => Promise<number>,
): Promise<number> {
  const { engine } = ctx;
  const q = (t: TableName) => qualifiedName(engine, t);
  const claims = engine.staging;
  if (exists && ifExists === 'append') return ctx.transaction(() => load(name));
  // Swept only where this write does DDL anyway (which commits): an append inside the caller's transaction stays in it.
  if (claims !== undefined) {
    try {
      const swept = await claims.sweep(name, stagingLike(name), (n) => stagingTagOf(name, n));
      if (swept.length > 0) getLogger().info(`dropped ${swept.length} staging table(s) left by an earlier run that ended before cleaning up: ${swept.join(', ')}`);
    } catch (error) {
      // Not this write's business: it goes on, and the next write tries again.
      getLogger().debug(`could not sweep old staging tables of ${shown}: ${(error as Error)?.message ?? String(error)}`);
    }
  }

  let tag = newTag();
  if (claims !== undefined && !(await claims.claim(tag))) {
    tag = newTag();
    if (!(await claims.claim(tag))) throw sqlTaskError(`could not take a staging lock for the table ${shown}; try again`, { userError: false });
  }
  const staging = stagingName(name, 'new', tag);
  try {
    await create(staging);
    let written: number;
    try {
      written = await ctx.transaction(() => load(staging));
      if (!exists) {
        await engine.renameTable(staging, name.name).catch((error: unknown) => {
          if ((error as { cause?: { errno?: number } })?.cause?.errno === ER_TABLE_EXISTS) {
            throw sqlTaskError(`table ${shown} was created by someone else while the rows were loading; it was left untouched and nothing was written`, {
              cause: error,
            });
          }
          throw error;
        });
        return written;
      }
      // One RENAME TABLE statement swaps both names atomically.
      const old = stagingName(name, 'old', tag);
      await ctx.run(`RENAME TABLE ${q(name)} TO ${q(old)}, ${q(staging)} TO ${q(name)}`);
      // From here on the new rows are in place: the write succeeded, whatever happens to the old table.
      await dropBestEffort(ctx, q(old), `the replaced rows of ${shown} were kept as ${old.name}`);
      return written;
    } catch (error) {
      // Undo the CREATE (committed at once by MariaDB/MySQL).
      await dropBestEffort(ctx, q(staging));
      throw error;
    }
  } finally {
    await claims?.release(tag);
  }
}

/** Drops a table; when the session's connection is what failed (killed, network), through a short-lived connection of its own. */
async function dropBestEffort(ctx: WriteContext, table: string, leftover?: string): Promise<void> {
  const { engine } = ctx;
  const drop = `DROP TABLE IF EXISTS ${table}`;
  const aside = async () => {
    const done = await within(engine.runAside?.(drop) ?? Promise.reject(new Error('no side connection')), 5000);
    if (done.timedOut) throw new Error('no answer within 5 s');
  };
  try {
    if (engine.healthy()) await ctx.run(drop).catch(aside);
    else await aside();
  } catch (error) {
    if (leftover !== undefined) {
      getLogger().warn(
        `${leftover}: dropping it failed (${(error as Error)?.message ?? String(error)}); ` + 'the next write to the table drops it, or drop it yourself',
      );
    }
  }
}
