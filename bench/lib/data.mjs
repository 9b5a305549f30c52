// Generates the benchmark tables server-side (generate_series in PostgreSQL,
// the Sequence engine in MariaDB) and reuses them when they already hold the
// right number of rows of the current schema version.
import { execFileSync } from 'node:child_process';
import { existsSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { DATA_DIR, mariadbArgs, mySql, pgSql, psqlArgs, fileSize } from './env.mjs';

/** Bump when the columns or the generated values change: tables of another version are regenerated. */
const SCHEMA_VERSION = 1;

export const tableName = (rows) => `bench_rows_${rows}`;
const marker = (rows) => `bigrays-bench v${SCHEMA_VERSION} rows=${rows}`;

/**
 * The 10 columns: two ints, three texts (one with commas, quotes and
 * non-ASCII; one with NULLs and empty strings), a numeric, a float (with
 * NULLs), a timestamp with milliseconds and a boolean. ~100 bytes per row
 * as CSV. No value contains a newline, so "lines" = rows + 1 in every
 * output format (CSV and mariadb's tab-separated batch output).
 */
export const COLUMNS = [
  { name: 'id', pg: 'bigint NOT NULL', my: 'BIGINT NOT NULL', type: 'bigint' },
  { name: 'qty', pg: 'integer NOT NULL', my: 'INT NOT NULL', type: 'integer' },
  { name: 'name', pg: 'text NOT NULL', my: 'VARCHAR(40) NOT NULL', type: 'text' },
  { name: 'city', pg: 'text', my: 'VARCHAR(40)', type: 'text' },
  { name: 'amount', pg: 'numeric(12,2)', my: 'DECIMAL(12,2)', type: 'decimal' },
  { name: 'score', pg: 'double precision', my: 'DOUBLE', type: 'float' },
  { name: 'created_at', pg: 'timestamp(3)', my: 'DATETIME(3)', type: 'timestamp' },
  { name: 'active', pg: 'boolean', my: 'BOOLEAN', type: 'boolean' },
  { name: 'note', pg: 'text', my: 'VARCHAR(64)', type: 'text' },
  { name: 'batch', pg: 'integer', my: 'INT', type: 'integer' },
];

const CITIES = ['Lisbon', 'São Paulo', 'Zürich', 'New York, NY', 'Tokyo 東京', 'say "hi"'];
const sqlList = (values) => values.map((v) => `'${v.replace(/'/g, "''")}'`).join(', ');

function pgCreate(table) {
  return `CREATE TABLE ${table} (${COLUMNS.map((c) => `${c.name} ${c.pg}`).join(', ')})`;
}

function pgInsert(table, rows) {
  return `INSERT INTO ${table}
    SELECT i,
           (i * 7919) % 1000,
           'customer ' || i,
           (ARRAY[${sqlList(CITIES)}])[1 + (i % ${CITIES.length})::int],
           round((i % 100000) * 1.37, 2),
           CASE WHEN i % 11 = 0 THEN NULL ELSE (i % 1000) / 7.0::float8 END,
           timestamp '2026-01-01' + i * interval '1237 milliseconds',
           i % 3 = 0,
           CASE i % 4 WHEN 0 THEN NULL WHEN 1 THEN '' WHEN 2 THEN 'note ' || md5(i::text) ELSE 'ok' END,
           i / 1000
    FROM generate_series(1::bigint, ${rows}::bigint) AS i`;
}

function myCreate(table, rows) {
  return `CREATE TABLE ${table} (${COLUMNS.map((c) => `${c.name} ${c.my}`).join(', ')})
    ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COMMENT='${marker(rows)}'`;
}

function myInsert(table, from, to) {
  return `INSERT INTO ${table}
    SELECT seq,
           (seq * 7919) % 1000,
           CONCAT('customer ', seq),
           ELT(1 + seq % ${CITIES.length}, ${sqlList(CITIES)}),
           ROUND((seq % 100000) * 1.37, 2),
           IF(seq % 11 = 0, NULL, CAST(seq % 1000 AS DOUBLE) / 7),
           TIMESTAMP('2026-01-01') + INTERVAL (seq * 1237) * 1000 MICROSECOND,
           seq % 3 = 0,
           CASE seq % 4 WHEN 0 THEN NULL WHEN 1 THEN '' WHEN 2 THEN CONCAT('note ', MD5(seq)) ELSE 'ok' END,
           seq DIV 1000
    FROM seq_${from}_to_${to}`;
}

/** Creates (or reuses) the PostgreSQL table; returns { table, reused, seconds }. */
export function ensurePgTable(rows, log) {
  const table = tableName(rows);
  const t0 = Date.now();
  const comment = pgSql(`select coalesce(obj_description(to_regclass('${table}'), 'pg_class'), '')`);
  if (comment === marker(rows) && Number(pgSql(`select count(*) from ${table}`)) === rows) {
    log(`PostgreSQL: reusing ${table} (${rows.toLocaleString('en-US')} rows)`);
    pgSql(`select count(*) from ${table}`); // warm the cache
    return { table, reused: true, seconds: (Date.now() - t0) / 1000 };
  }
  log(`PostgreSQL: generating ${table} (${rows.toLocaleString('en-US')} rows) with generate_series ...`);
  execFileSync('psql', psqlArgs('-c', `DROP TABLE IF EXISTS ${table}`, '-c', pgCreate(table), '-c', pgInsert(table, rows), '-c', `VACUUM ANALYZE ${table}`, '-c', `COMMENT ON TABLE ${table} IS '${marker(rows)}'`), {
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, PGOPTIONS: '-c client_min_messages=warning' },
  });
  const seconds = (Date.now() - t0) / 1000;
  log(`PostgreSQL: ${table} generated in ${seconds.toFixed(1)} s`);
  return { table, reused: false, seconds };
}

/** Creates (or reuses) the MariaDB table; returns { table, reused, seconds }. */
export function ensureMyTable(rows, log) {
  const table = tableName(rows);
  const t0 = Date.now();
  const comment = mySql(`select table_comment from information_schema.tables where table_schema = database() and table_name = '${table}'`);
  if (comment === marker(rows) && Number(mySql(`select count(*) from ${table}`)) === rows) {
    log(`MariaDB: reusing ${table} (${rows.toLocaleString('en-US')} rows)`);
    return { table, reused: true, seconds: (Date.now() - t0) / 1000 };
  }
  log(`MariaDB: generating ${table} (${rows.toLocaleString('en-US')} rows) with the Sequence engine ...`);
  const statements = [`DROP TABLE IF EXISTS ${table}`, myCreate(table, rows)];
  const chunk = 1_000_000;
  for (let from = 1; from <= rows; from += chunk) statements.push(myInsert(table, from, Math.min(rows, from + chunk - 1)));
  statements.push(`ANALYZE TABLE ${table}`);
  execFileSync('mariadb', mariadbArgs('--batch', '--skip-column-names'), { input: statements.join(';\n') + ';\n', stdio: ['pipe', 'ignore', 'inherit'] });
  const seconds = (Date.now() - t0) / 1000;
  log(`MariaDB: ${table} generated in ${seconds.toFixed(1)} s`);
  return { table, reused: false, seconds };
}

/**
 * The reference CSV of the PostgreSQL table (psql \copy ... csv header), the
 * input of scenario 4. Written once per session (untimed).
 */
export function ensureReferenceCsv(rows, log) {
  const path = join(DATA_DIR, `rows-${rows}.csv`);
  if (existsSync(path) && fileSize(path) > 0) return path;
  const table = tableName(rows);
  log(`PostgreSQL: exporting ${table} to ${path} (input of scenario 4) ...`);
  const tmp = `${path}.tmp`;
  rmSync(tmp, { force: true });
  execFileSync('psql', psqlArgs('-c', `\\copy (select * from ${table}) to '${tmp}' csv header`), { stdio: ['ignore', 'ignore', 'inherit'] });
  renameSync(tmp, path);
  return path;
}
