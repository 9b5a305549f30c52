/**
 * SQL cases of the bad-input corpus (see cases.ts). PostgreSQL cases use
 * the dedicated database `bigrays_reliability` with a DSN that carries a
 * password and `DB_PWD` set (trust auth ignores both; neither may appear).
 */
import type { CaseContext, CorpusCase } from './cases.js';
import { pgConnect, pgTableExists } from '../../support/pg-database.js';
import { SECRETS } from '../../support/secrets.js';
import { MARIADB_DSN, mariadbDsn, pgDsn } from '../../support/services.js';

const pg: CorpusCase['needs'] = ['sql', 'postgres'];
const maria: CorpusCase['needs'] = ['sql', 'mariadb'];
const MARIA_DSN_WRONG = mariadbDsn({ password: SECRETS.dsnPwdEncoded });

const tableFor = (ctx: CaseContext) => `reli_corpus_${ctx.unique}`;
function useTable(ctx: CaseContext): void {
  ctx.env.RELI_TABLE_NAME = tableFor(ctx);
}
async function noTable(ctx: CaseContext): Promise<void> {
  const client = await pgConnect();
  try {
    if (await pgTableExists(client, tableFor(ctx))) throw new Error(`table ${tableFor(ctx)} was created`);
  } finally {
    await client.end();
  }
}

const openFailed = (detail: string) => `bigrays: job failed (failed: Pull; skipped: Export)\n  ✖ Pull failed: could not open SQLSession: ${detail}`;
const SCHEMES = 'postgres://, postgresql://, mysql://, mariadb://, sqlite:<path>, sqlite::memory:, redshift://';

export const CASES: CorpusCase[] = [
  {
    id: 's01 DB_DSN missing',
    job: 's06-sql-then-csv.ts',
    needs: ['sql'],
    env: { BIGRAYS_DB_DSN: '' },
    code: 2,
    message:
      'bigrays: missing configuration: set BIGRAYS_DB_DSN (for SQLSession, needed by Pull). Export the environment variables, or assign BigraysConfig.<KEY> in the job',
  },
  {
    id: 's02 DB_DSN malformed (no scheme): invalid configuration, nothing runs',
    job: 's06-sql-then-csv.ts',
    needs: ['sql'],
    env: { BIGRAYS_DB_DSN: `not a dsn ${SECRETS.dsnPwd}` },
    code: 2,
    message: `bigrays: BIGRAYS_DB_DSN is not a DSN: it has no scheme. Expected one of ${SCHEMES}, e.g. postgres://user@host:5432/database`,
  },
  {
    id: 's03 DB_DSN with an unknown scheme: invalid configuration, nothing runs',
    job: 's06-sql-then-csv.ts',
    needs: ['sql'],
    env: { BIGRAYS_DB_DSN: `oracle://scott:${SECRETS.dsnPwdEncoded}@db/orcl` },
    code: 2,
    message: `bigrays: BIGRAYS_DB_DSN has the unsupported scheme 'oracle:'; supported: ${SCHEMES}`,
  },
  {
    id: 's04 DB_DSN that cannot be parsed (bad port): invalid configuration, password not shown',
    job: 's06-sql-then-csv.ts',
    needs: ['sql'],
    env: { BIGRAYS_DB_DSN: `postgres://postgres:${SECRETS.dsnPwdEncoded}@127.0.0.1:notaport/x` },
    code: 2,
    message:
      'bigrays: BIGRAYS_DB_DSN is not a valid postgres DSN (the URL cannot be parsed; a password with characters such as @ / : # must be URL-encoded, or set it in BIGRAYS_DB_PWD): expected postgres://user@host:5432/database',
  },
  {
    id: 's05 wrong password in DB_DSN (MariaDB)',
    job: 's01-sql-query.ts',
    needs: maria,
    env: { BIGRAYS_DB_DSN: MARIA_DSN_WRONG, BIGRAYS_DB_PWD: '' },
    code: 1,
    message: openFailed(
      "MariaDB/MySQL at mysql://root@127.0.0.1:3306/test rejected the login of user 'root': Access denied for user 'root'@'127.0.0.1' (using password: YES) (ER_ACCESS_DENIED_ERROR). Check the user and password in BIGRAYS_DB_DSN (or BIGRAYS_DB_USER / BIGRAYS_DB_PWD).",
    ),
  },
  {
    id: 's06 wrong password in DB_PWD (MariaDB)',
    job: 's01-sql-query.ts',
    needs: maria,
    env: { BIGRAYS_DB_DSN: MARIADB_DSN },
    code: 1,
    message: openFailed(
      "MariaDB/MySQL at mysql://root@127.0.0.1:3306/test rejected the login of user 'root': Access denied for user 'root'@'127.0.0.1' (using password: YES) (ER_ACCESS_DENIED_ERROR). Check the user and password in BIGRAYS_DB_DSN (or BIGRAYS_DB_USER / BIGRAYS_DB_PWD).",
    ),
  },
  {
    id: 's07 database server not listening',
    job: 's01-sql-query.ts',
    needs: ['sql'],
    env: { BIGRAYS_DB_DSN: `postgres://postgres:${SECRETS.dsnPwdEncoded}@127.0.0.1:1/x` },
    code: 1,
    message: openFailed(
      'cannot reach PostgreSQL at postgres://postgres@127.0.0.1:1/x: connect ECONNREFUSED 127.0.0.1:1 (ECONNREFUSED). Is the server running, and are the host and port in BIGRAYS_DB_DSN right?',
    ),
  },
  {
    id: 's08 database does not exist',
    job: 's01-sql-query.ts',
    needs: pg,
    env: { BIGRAYS_DB_DSN: pgDsn({ database: 'reli_no_such_db', password: SECRETS.dsnPwdEncoded }) },
    code: 1,
    message: openFailed(
      "the database 'reli_no_such_db' does not exist on PostgreSQL at postgres://postgres@127.0.0.1:5432/reli_no_such_db: database \"reli_no_such_db\" does not exist (3D000)",
    ),
  },
  {
    id: 's09 SQL syntax error (PostgreSQL): names the task, shows the SQL near the error',
    job: 's01-sql-query.ts',
    needs: pg,
    env: { RELI_SQL: 'select 1 as a,\n  2 as b frm x' },
    code: 1,
    message: [
      'bigrays: job failed (failed: Pull; skipped: Export)',
      '  ✖ Pull: PostgreSQL error 42601: syntax error at or near "frm"',
      '  at line 2, column 10 of the SQL:',
      '      2 as b frm x',
      '             ^',
    ].join('\n'),
  },
  {
    id: 's10 SQL syntax error (MariaDB): names the task, shows the SQL near the error',
    job: 's01-sql-query.ts',
    needs: maria,
    env: { BIGRAYS_DB_DSN: MARIADB_DSN, BIGRAYS_DB_PWD: '', RELI_SQL: 'select * frm dual where 1' },
    code: 1,
    message: [
      'bigrays: job failed (failed: Pull; skipped: Export)',
      "  ✖ Pull: MariaDB/MySQL error ER_PARSE_ERROR: You have an error in your SQL syntax; check the manual that corresponds to your MariaDB server version for the right syntax to use near 'frm dual where 1' at line 1",
      '  at line 1, column 10 of the SQL:',
      '    select * frm dual where 1',
      '             ^',
    ].join('\n'),
  },
  {
    id: 's11 unknown table',
    job: 's01-sql-query.ts',
    needs: pg,
    env: { RELI_SQL: 'select * from reli_no_such_table' },
    code: 1,
    message: [
      'bigrays: job failed (failed: Pull; skipped: Export)',
      '  ✖ Pull: PostgreSQL error 42P01: relation "reli_no_such_table" does not exist',
      '  at line 1, column 15 of the SQL:',
      '    select * from reli_no_such_table',
      '                  ^',
    ].join('\n'),
  },
  {
    id: 's12 a :placeholder without a value in params',
    job: 's01-sql-query.ts',
    needs: pg,
    env: { RELI_SQL: 'select :day as d', RELI_PARAMS: '{"dya":"2026-01-01"}' },
    code: 1,
    message:
      "bigrays: job failed (failed: Pull; skipped: Export)\n  ✖ Pull: the SQL uses the parameter :day, but params has no value for 'day' (params has: dya). Add it, e.g. params = { day: '{day}' } to take it from the job parameter day; for a PostgreSQL cast write '::', as in 'x::int'",
  },
  {
    id: 's13 SQLQuery without query',
    job: 's02-sql-query-missing-query.ts',
    needs: ['sql'],
    code: 2,
    message: "bigrays: Pull lacks required attribute 'query' (required by SQLQuery): set `query = ...` in the class or mark it with @Input(...)",
  },
  {
    id: 's14 SQLWrite without table',
    job: 's04-sql-write-missing-table.ts',
    needs: ['sql'],
    code: 2,
    message: "bigrays: Save lacks required attribute 'table' (required by SQLWrite): set `table = ...` in the class or mark it with @Input(...)",
  },
  {
    id: "s15 SQLWrite onto an existing table with ifExists = 'fail' (left untouched)",
    job: 's03-sql-write.ts',
    needs: pg,
    code: 1,
    message: /^bigrays: job failed \(failed: Save\)\n {2}✖ Save: table reli_corpus_[0-9a-f]{8} already exists and was left untouched; set ifExists = 'append' to add the rows, or 'replace' to replace the table$/,
    setup: async (ctx) => {
      useTable(ctx);
      const client = await pgConnect();
      await client.query(`create table ${tableFor(ctx)} (id integer, label text)`);
      await client.query(`insert into ${tableFor(ctx)} values (7, 'precious')`);
      await client.end();
    },
    nothingWritten: async (ctx) => {
      const client = await pgConnect();
      try {
        const { rows } = await client.query(`select id, label from ${tableFor(ctx)}`);
        if (JSON.stringify(rows) !== '[{"id":7,"label":"precious"}]') throw new Error(`table changed: ${JSON.stringify(rows)}`);
      } finally {
        await client.query(`drop table ${tableFor(ctx)}`);
        await client.end();
      }
    },
  },
  {
    id: "s16 SQLWrite with a bad ifExists value",
    job: 's03-sql-write.ts',
    needs: pg,
    env: { RELI_IF_EXISTS: 'overwrite' },
    code: 1,
    message: "bigrays: job failed (failed: Save)\n  ✖ Save: ifExists must be 'fail', 'append', 'replace' or 'merge'; got 'overwrite'",
    setup: useTable,
    nothingWritten: noTable,
  },
  {
    id: 's17 SQLWrite of an unsupported input type: no table created',
    job: 's03-sql-write.ts',
    needs: pg,
    env: { RELI_INPUT: 'number' },
    code: 1,
    message: 'bigrays: job failed (failed: Save)\n  ✖ Save: input must be rows (an array, iterable or async iterable of row objects) or a Dataset; got number (42)',
    setup: useTable,
    nothingWritten: noTable,
  },
  {
    id: 's18 a failing SQLExecute script leaves nothing (its create table is rolled back)',
    job: 's05-sql-execute-script.ts',
    needs: pg,
    code: 1,
    message: [
      'bigrays: job failed (failed: Setup)',
      '  ✖ Setup: PostgreSQL error 42P01: relation "reli_no_such_table" does not exist',
      '  at line 3, column 13 of the SQL:',
      '    insert into reli_no_such_table values (2);',
      '                ^',
    ].join('\n'),
    setup: useTable,
    nothingWritten: noTable,
  },
  {
    id: 's19 SQLite database in a directory that does not exist',
    job: 's01-sql-query.ts',
    needs: ['sql'],
    env: { BIGRAYS_DB_DSN: 'sqlite:/nonexistent-reli-dir/sub/x.db' },
    code: 1,
    message: openFailed(
      'cannot open the SQLite database /nonexistent-reli-dir/sub/x.db: the directory /nonexistent-reli-dir/sub does not exist (create it first; bigrays creates the database file, not directories)',
    ),
    nothingWritten: async () => {
      const { existsSync, rmSync } = await import('node:fs');
      const created = existsSync('/nonexistent-reli-dir');
      rmSync('/nonexistent-reli-dir', { recursive: true, force: true });
      if (created) throw new Error('/nonexistent-reli-dir/sub/x.db was created');
    },
  },
];

