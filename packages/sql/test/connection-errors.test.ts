/**
 * Opening a session: bad DSNs, unreachable servers, wrong credentials and
 * missing drivers each give one clear ResourceError, never with the password.
 */
import { describe, it, expect, beforeEach, afterEach } from '@jest/globals';
import { join } from 'node:path';
import { BigraysConfig, ConfigurationError, ResourceError, Task, bigraysRun, resetJobs } from '@bigrays/core';
import { existsSync } from 'node:fs';
import { SQLQuery, SQLSession } from '@bigrays/sql';
import { moduleLoader } from '../src/load-module.js';
import { MARIADB_DSN, mariadbDsn, pgDsn, requireService } from '../../../test/support/services.js';
import { failureOf, run, sqliteDir } from './helpers.js';

const pgUp = await requireService('postgres', 'sql/postgres');
const mariaUp = await requireService('mariadb', 'sql/mariadb');

const SECRET = 'S3cr3t-Pa55word';

/** Opens a session with `config` and returns the ResourceError it fails with. */
async function openError(config: Record<string, string>): Promise<ResourceError> {
  const session = new SQLSession();
  try {
    await session.open(config);
  } catch (error) {
    await session.close(error);
    expect(error).toBeInstanceOf(ResourceError);
    return error as ResourceError;
  }
  await session.close();
  throw new Error('the session opened');
}

/** The whole text of an error and its causes, to prove a secret is nowhere in it. */
function everything(error: unknown): string {
  const parts: string[] = [];
  let e: unknown = error;
  while (e !== undefined && e !== null) {
    parts.push(e instanceof Error ? `${e.message}\n${e.stack ?? ''}` : String(e));
    e = e instanceof Error ? e.cause : undefined;
  }
  return parts.join('\n');
}

describe('DSN errors', () => {
  it('an unknown scheme names the scheme and lists the supported ones', async () => {
    const error = await openError({ DB_DSN: `oracle://scott:${SECRET}@db:1521/orcl` });
    expect(error.message).toMatch(/unsupported scheme 'oracle:'; supported: postgres:\/\/, postgresql:\/\/, mysql:\/\/, mariadb:\/\/, sqlite:<path>, sqlite::memory:/);
    expect(everything(error)).not.toContain(SECRET);
  });

  it('a DSN that is not a URL is a clear error without the password', async () => {
    for (const dsn of [`postgres://user:${SECRET}@db:notaport/x`, `mysql://user:${SECRET}@[bad/x`, `postgres:user:${SECRET}@db/x`, 'no scheme at all']) {
      const error = await openError({ DB_DSN: dsn });
      expect(error.message).toMatch(/BIGRAYS_DB_DSN is not a/);
      expect(everything(error)).not.toContain(SECRET);
    }
  });

  it('a malformed DSN or an unknown scheme stops the job at plan time: nothing runs', async () => {
    resetJobs();
    const ran: string[] = [];
    @Task() class First {
      run() {
        ran.push('First');
      }
    }
    @Task() class Pull extends SQLQuery {
      query = 'select 1';
    }
    for (const dsn of [`not a dsn ${SECRET}`, `oracle://scott:${SECRET}@db/orcl`, `postgres://u:${SECRET}@h:notaport/db`]) {
      BigraysConfig.DB_DSN = dsn;
      let error: unknown;
      try {
        await bigraysRun(First, Pull);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(ConfigurationError);
      expect((error as Error).message).toMatch(/^BIGRAYS_DB_DSN (is not a|has the unsupported scheme)/);
      expect(everything(error)).not.toContain(SECRET);
    }
    expect(ran).toEqual([]);
    delete BigraysConfig.DB_DSN;
  });

  it('an SQLite database in a directory that does not exist is an error (no directory is created)', async () => {
    const missing = join(sqliteDir(), 'no', 'such', 'dir');
    const error = await openError({ DB_DSN: `sqlite:${join(missing, 'x.db')}` });
    expect(error.message).toBe(
      `cannot open the SQLite database ${join(missing, 'x.db')}: the directory ${missing} does not exist (create it first; bigrays creates the database file, not directories)`,
    );
    expect(existsSync(missing)).toBe(false);
  });

  it('sqlite: without a path is an error', async () => {
    expect((await openError({ DB_DSN: 'sqlite:' })).message).toMatch(/names no database file: use sqlite:<path>/);
  });

  it('an SQLite file that cannot be opened names the path', async () => {
    const dir = sqliteDir();
    const error = await openError({ DB_DSN: `sqlite:${dir}` });
    expect(error.message).toContain(`cannot open the SQLite database ${dir}`);
  });

  it('requires DB_DSN (checked by the planner before any task runs)', () => {
    expect(SQLSession.requiredConfig).toEqual(['DB_DSN']);
    expect(SQLSession.missingConfig({})).toEqual(['DB_DSN']);
  });
});

describe('unreachable servers', () => {
  it('PostgreSQL on a closed port: cannot reach, no password', async () => {
    const error = await openError({ DB_DSN: `postgres://postgres:${SECRET}@127.0.0.1:1/test` });
    expect(error.message).toMatch(/^cannot reach PostgreSQL at postgres:\/\/postgres@127\.0\.0\.1:1\/test: .*ECONNREFUSED.*Is the server running/);
    expect(everything(error)).not.toContain(SECRET);
  });

  it('MariaDB on a closed port: cannot reach, no password', async () => {
    const error = await openError({ DB_DSN: `mysql://root:${SECRET}@127.0.0.1:1/test` });
    expect(error.message).toMatch(/^cannot reach MariaDB\/MySQL at mysql:\/\/root@127\.0\.0\.1:1\/test: .*ECONNREFUSED/);
    expect(everything(error)).not.toContain(SECRET);
  });

  it('through a job: the task fails with the resource error, password masked', async () => {
    resetJobs();
    BigraysConfig.DB_DSN = `postgres://postgres:${SECRET}@127.0.0.1:1/test`;
    @Task() class Pull extends SQLQuery {
      query = 'select 1';
    }
    const result = await run(Pull);
    const message = failureOf(result, 'Pull');
    expect(message).toMatch(/could not open SQLSession: cannot reach PostgreSQL/);
    expect(message).not.toContain(SECRET);
    delete BigraysConfig.DB_DSN;
  });
});

(mariaUp ? describe : describe.skip)('wrong credentials (MariaDB)', () => {
  it('a user that does not exist', async () => {
    const error = await openError({ DB_DSN: mariadbDsn({ user: 'no_such_user_bigrays', password: SECRET }) });
    expect(error.message).toMatch(/^MariaDB\/MySQL at mysql:\/\/no_such_user_bigrays@127\.0\.0\.1:3306\/test rejected the login of user 'no_such_user_bigrays': Access denied/);
    expect(error.message).toMatch(/Check the user and password in BIGRAYS_DB_DSN \(or BIGRAYS_DB_USER \/ BIGRAYS_DB_PWD\)/);
    expect(everything(error)).not.toContain(SECRET);
  });

  it('a wrong password, given through DB_USER / DB_PWD', async () => {
    const session = await (async () => {
      // A user with a password, so that a wrong one is rejected.
      const admin = new SQLSession();
      await admin.open({ DB_DSN: MARIADB_DSN });
      return admin;
    })();
    try {
      await session.execute(`create user if not exists 'bigrays_pw_test'@'%' identified by 'right-password'`);
      await session.execute(`create user if not exists 'bigrays_pw_test'@'localhost' identified by 'right-password'`);
      await session.execute(`grant select on test.* to 'bigrays_pw_test'@'%'`);
      await session.execute(`grant select on test.* to 'bigrays_pw_test'@'localhost'`);
      const error = await openError({ DB_DSN: 'mysql://127.0.0.1:3306/test', DB_USER: 'bigrays_pw_test', DB_PWD: SECRET });
      expect(error.message).toMatch(/rejected the login of user 'bigrays_pw_test'/);
      expect(everything(error)).not.toContain(SECRET);
      // And the right one works.
      const ok = new SQLSession();
      await ok.open({ DB_DSN: mariadbDsn({ user: 'bigrays_pw_test', password: SECRET }), DB_PWD: 'right-password' });
      expect(await ok.query('select current_user() as u')).toEqual([{ u: expect.stringMatching(/^bigrays_pw_test@/) }]);
      await ok.close();
    } finally {
      await session.execute(`drop user if exists 'bigrays_pw_test'@'%', 'bigrays_pw_test'@'localhost'`).catch(() => undefined);
      await session.close();
    }
  });

  it('a database that does not exist', async () => {
    const error = await openError({ DB_DSN: mariadbDsn({ database: 'no_such_db_bigrays' }) });
    expect(error.message).toMatch(/the database 'no_such_db_bigrays' does not exist/);
  });
});

(pgUp ? describe : describe.skip)('wrong credentials (PostgreSQL)', () => {
  it('a role that does not exist', async () => {
    const error = await openError({ DB_DSN: pgDsn({ user: 'no_such_role_bigrays', password: SECRET }) });
    expect(error.message).toMatch(/rejected the login of user 'no_such_role_bigrays'/);
    expect(everything(error)).not.toContain(SECRET);
  });

  it('a database that does not exist', async () => {
    const error = await openError({ DB_DSN: pgDsn({ database: 'no_such_db_bigrays' }) });
    expect(error.message).toMatch(/the database 'no_such_db_bigrays' does not exist/);
  });
});

describe('missing drivers', () => {
  const original = moduleLoader.importModule;
  beforeEach(() => {
    // Simulate a project without the driver package: its import fails as Node's would.
    moduleLoader.importModule = async (specifier: string) => {
      if (['pg', 'mysql2', 'better-sqlite3'].includes(specifier)) {
        throw Object.assign(new Error(`Cannot find package '${specifier}' imported from /app/node_modules/@bigrays/sql/dist/drivers.js`), {
          code: 'ERR_MODULE_NOT_FOUND',
        });
      }
      return original(specifier);
    };
  });
  afterEach(() => {
    moduleLoader.importModule = original;
  });

  it.each([
    ['postgres://u@h/db', 'PostgreSQL', 'pg'],
    ['mariadb://u@h/db', 'MariaDB/MySQL', 'mysql2'],
    [`sqlite:${join(sqliteDir(), 'x.db')}`, 'SQLite', 'better-sqlite3'],
  ])('%s needs %s: one clear error naming the package', async (dsn, database, pkg) => {
    const error = await openError({ DB_DSN: dsn });
    expect(error.message).toBe(
      `the ${database} driver is not installed: BIGRAYS_DB_DSN is a ${dsn.startsWith('sqlite') ? 'sqlite:' : dsn.split('//')[0] + '//'} DSN, ` +
        `which needs the npm package '${pkg}'. Install it next to @bigrays/sql: npm install ${pkg} (or pnpm add ${pkg}).`,
    );
  });
});
