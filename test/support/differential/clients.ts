/**
 * The databases' own clients, used as the reference of the differential
 * tests: they create and fill the source tables with bound values, and
 * export tables the way the database itself prints them — PostgreSQL's
 * `COPY … TO STDOUT` text format (what `psql \copy` writes), mysql2's raw
 * text protocol fields (what the `mysql` client prints), better-sqlite3's
 * raw values. These sessions pin their own settings (ISO dates, UTC), so
 * the reference does not move with the server's defaults.
 */
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { REPO } from '../cli.js';
import { canonText, canonValue, type CanonOptions, type CanonTable, type Kind } from './canonical.js';
import type { ColumnSpec, Dialect } from './columns.js';

const sqlRequire = createRequire(join(REPO, 'packages', 'sql', 'package.json'));
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Any = any;

export interface RefClient {
  dialect: Dialect;
  /** Creates `table` (id + the columns) and inserts the rows of bind values. */
  createAndFill(table: string, columns: readonly ColumnSpec[], rows: readonly unknown[][]): Promise<void>;
  /** The table as the client exports it, canonicalized with the kinds given per column (ordered by `id`). */
  exportTable(table: string, kinds: Record<string, Kind>, options?: CanonOptions): Promise<CanonTable>;
  /** Column names of a table, in order (undefined when it does not exist). */
  columnsOf(table: string): Promise<string[] | undefined>;
  drop(table: string): Promise<void>;
  exec(sql: string): Promise<void>;
  end(): Promise<void>;
}

const quoteIdent = (dialect: Dialect, name: string) => (dialect === 'mysql' ? `\`${name}\`` : `"${name}"`);

// ------------------------------------------------------------------ PostgreSQL

/** Unescapes one field of COPY's text format (`\N` is NULL). */
export function unescapeCopyField(field: string): string | null {
  if (field === '\\N') return null;
  return field.replace(/\\(x[0-9a-fA-F]{1,2}|[0-7]{1,3}|.)/g, (_, c: string) => {
    switch (c[0]) {
      case 'b':
        return '\b';
      case 'f':
        return '\f';
      case 'n':
        return '\n';
      case 'r':
        return '\r';
      case 't':
        return '\t';
      case 'v':
        return '\v';
      case 'x':
        return String.fromCharCode(parseInt(c.slice(1), 16));
      default:
        return /^[0-7]/.test(c) ? String.fromCharCode(parseInt(c, 8)) : c;
    }
  });
}

/** Settings the reference session pins, whatever the database's defaults. */
const PG_PINNED = "SET DateStyle = 'ISO, YMD'; SET IntervalStyle = 'postgres'; SET TimeZone = 'UTC'; SET extra_float_digits = 1; SET search_path = public";

export async function pgReference(dsn: string): Promise<RefClient> {
  const pg = sqlRequire('pg') as Any;
  const { to: copyTo } = sqlRequire('pg-copy-streams') as Any;
  const client = new pg.Client({ connectionString: dsn, application_name: 'bigrays-differential-reference' });
  await client.connect();
  await client.query(PG_PINNED);
  const q = (name: string) => quoteIdent('postgres', name);
  const columnsOf = async (table: string): Promise<string[] | undefined> => {
    const { rows } = await client.query(
      `select attname from pg_attribute where attrelid = to_regclass($1) and attnum > 0 and not attisdropped order by attnum`,
      [`public.${q(table)}`],
    );
    return rows.length === 0 ? undefined : rows.map((r: { attname: string }) => r.attname);
  };
  return {
    dialect: 'postgres',
    async createAndFill(table, columns, rows) {
      await client.query(`create table public.${q(table)} (id integer primary key, ${columns.map((col) => `${q(col.name)} ${col.sql}`).join(', ')})`);
      if (rows.length === 0) return;
      const width = columns.length + 1;
      const tuples = rows.map((_, r) => `($${r * width + 1}::integer, ${columns.map((col, i) => `$${r * width + i + 2}::${col.sql}`).join(', ')})`);
      await client.query(`insert into public.${q(table)} values ${tuples.join(', ')}`, rows.flatMap((values, r) => [r + 1, ...values]));
    },
    async exportTable(table, kinds, options) {
      const columns = await columnsOf(table);
      if (!columns) throw new Error(`reference: table ${table} does not exist`);
      const stream = client.query(copyTo(`COPY (select * from public.${q(table)} order by 1) TO STDOUT`));
      const chunks: Buffer[] = [];
      for await (const chunk of stream) chunks.push(chunk as Buffer);
      const text = Buffer.concat(chunks).toString('utf8');
      const lines = text === '' ? [] : text.replace(/\n$/, '').split('\n');
      return {
        columns,
        rows: lines.map((line) =>
          line.split('\t').map((field, i) => {
            const kind = kinds[columns[i]!] ?? 'text';
            return canonText(kind, unescapeCopyField(field), options);
          }),
        ),
      };
    },
    columnsOf,
    async drop(table) {
      await client.query(`drop table if exists public.${q(table)}`);
    },
    async exec(sql) {
      await client.query(sql);
    },
    async end() {
      await client.end();
    },
  };
}

// ------------------------------------------------------------------ MariaDB

export async function mysqlReference(options: { host: string; port: number; user: string; database: string }): Promise<RefClient> {
  const mysql = sqlRequire('mysql2/promise') as Any;
  const conn = await mysql.createConnection({ ...options, multipleStatements: true, charset: 'utf8mb4_general_ci', timezone: 'Z' });
  await conn.query("SET time_zone = '+00:00', sql_mode = 'STRICT_ALL_TABLES,NO_ENGINE_SUBSTITUTION'");
  const q = (name: string) => quoteIdent('mysql', name);
  return {
    dialect: 'mysql',
    async createAndFill(table, columns, rows) {
      await conn.query(
        `create table ${q(table)} (id int primary key, ${columns.map((col) => `${q(col.name)} ${col.sql}`).join(', ')}) default charset=utf8mb4`,
      );
      if (rows.length === 0) return;
      const tuple = `(?, ${columns.map(() => '?').join(', ')})`;
      await conn.query(`insert into ${q(table)} values ${rows.map(() => tuple).join(', ')}`, rows.flatMap((values, r) => [r + 1, ...values]));
    },
    async exportTable(table, kinds, canonOptions) {
      // The text protocol, every field as the server sent it (what the mysql client prints).
      const [rows, fields] = await conn.query({
        sql: `select * from ${q(table)} order by 1`,
        rowsAsArray: true,
        typeCast: (field: Any) => (field.type === 'BLOB' || field.type === 'GEOMETRY' ? field.buffer() : field.string()),
      });
      const columns = (fields as { name: string }[]).map((f) => f.name);
      return {
        columns,
        rows: (rows as unknown[][]).map((row) =>
          row.map((v, i) => {
            const kind = kinds[columns[i]!] ?? 'text';
            if (Buffer.isBuffer(v)) return kind === 'binary' ? canonValue('binary', v) : canonText(kind, v.toString('utf8'), canonOptions);
            return canonText(kind, v as string | null, canonOptions);
          }),
        ),
      };
    },
    async columnsOf(table) {
      const [rows] = await conn.query(
        'select column_name as c from information_schema.columns where table_schema = database() and table_name = ? order by ordinal_position',
        [table],
      );
      return (rows as { c: string }[]).length === 0 ? undefined : (rows as { c: string }[]).map((r) => r.c);
    },
    async drop(table) {
      await conn.query(`drop table if exists ${q(table)}`);
    },
    async exec(sql) {
      await conn.query(sql);
    },
    async end() {
      await conn.end();
    },
  };
}

// ------------------------------------------------------------------ SQLite

/** What better-sqlite3 binds for a generated value (it has no booleans). */
const sqliteBind = (v: unknown, spec: ColumnSpec) =>
  typeof v === 'boolean' ? (v ? 1 : 0) : spec.kind === 'bigint' && typeof v === 'string' ? BigInt(v) : v;

export function sqliteReference(file: string): RefClient {
  const Database = sqlRequire('better-sqlite3') as Any;
  const db = new Database(file);
  db.pragma('busy_timeout = 5000');
  const q = (name: string) => quoteIdent('sqlite', name);
  return {
    dialect: 'sqlite',
    async createAndFill(table, columns, rows) {
      db.exec(`create table ${q(table)} (id INTEGER PRIMARY KEY, ${columns.map((col) => `${q(col.name)} ${col.sql}`).join(', ')})`);
      const insert = db.prepare(`insert into ${q(table)} values (?, ${columns.map(() => '?').join(', ')})`);
      db.transaction(() => rows.forEach((row, r) => insert.run(r + 1, ...row.map((v, i) => sqliteBind(v, columns[i]!)))))();
    },
    async exportTable(table, kinds, options) {
      // Preparing uses the connection's cached schema; reading the schema cookie first reloads it after another
      // connection (bigrays) changed the table, so the column list is not stale.
      db.prepare('select count(*) from sqlite_master').get();
      const stmt = db.prepare(`select * from ${q(table)} order by 1`).safeIntegers(true).raw(true);
      const columns = stmt.columns().map((c: { name: string }) => c.name) as string[];
      const rows = stmt.all() as unknown[][];
      return {
        columns,
        rows: rows.map((row) =>
          row.map((v, i) => {
            const kind = kinds[columns[i]!] ?? 'text';
            if (v === null) return null;
            if (Buffer.isBuffer(v)) return kind === 'binary' ? canonValue('binary', v) : canonText(kind, v.toString('utf8'), options);
            if (typeof v === 'bigint') return canonText(kind, v.toString(), options);
            if (typeof v === 'number') return kind === 'float' ? canonValue('float', v) : canonText(kind, String(v), options);
            return canonText(kind, String(v), options);
          }),
        ),
      };
    },
    async columnsOf(table) {
      const cols = db.prepare(`select name from pragma_table_info(?)`).all(table) as { name: string }[];
      return cols.length === 0 ? undefined : cols.map((c) => c.name);
    },
    async drop(table) {
      db.exec(`drop table if exists ${q(table)}`);
    },
    async exec(sql) {
      db.exec(sql);
    },
    async end() {
      db.close();
    },
  };
}

/** Canonicalizes rows bigrays produced (objects keyed by column) in the reference's column order. */
export function canonRows(rows: readonly Record<string, unknown>[], columns: readonly string[], kinds: Record<string, Kind>, options?: CanonOptions): CanonTable {
  const seen = new Set<string>(columns);
  const extra: string[] = [];
  for (const row of rows) for (const key of Object.keys(row)) if (!seen.has(key)) (seen.add(key), extra.push(key));
  const all = [...columns, ...extra];
  return { columns: all, rows: rows.map((row) => all.map((c) => (c in row ? canonValue(kinds[c] ?? 'text', row[c], options) : '<missing>'))) };
}
