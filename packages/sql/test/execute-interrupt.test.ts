/**
 * `SQLExecute` runs its script in a transaction: an interrupted script
 * (timeout, SIGINT/SIGTERM/SIGHUP) leaves nothing of it behind (issue 10
 * new-3). On MariaDB `KILL QUERY` of a running `DO SLEEP(…)` (or `SELECT
 * SLEEP(…)`) does not fail the statement: SLEEP just returns early, the
 * script "succeeded", and its earlier INSERT was committed.
 */
import { describe, it, expect, beforeEach, beforeAll, afterAll } from '@jest/globals';
import { BigraysConfig, Task, resetJobs } from '@bigrays/core';
import { SQLExecute, type SQLSession } from '@bigrays/sql';
import { requireService } from '../../../test/support/services.js';
import { MARIADB_DSN, PG_DSN, dropCreatedTables, failureOf, openSession, run, uniqueTable } from './helpers.js';

const pgUp = await requireService('postgres', 'sql/postgres');
const mariaUp = await requireService('mariadb', 'sql/mariadb');

const SERVERS = [
  { name: 'postgres', dsn: PG_DSN, up: pgUp, sleep: 'select pg_sleep(20)' },
  { name: 'mariadb', dsn: MARIADB_DSN, up: mariaUp, sleep: 'do sleep(20)' },
];

for (const server of SERVERS) {
  (server.up ? describe : describe.skip)(`an interrupted SQLExecute on ${server.name}`, () => {
    let admin: SQLSession;
    beforeAll(async () => {
      admin = await openSession(server.dsn);
    });
    afterAll(async () => {
      if (admin) await dropCreatedTables(admin);
      await admin?.close();
    });
    beforeEach(() => {
      resetJobs();
      BigraysConfig.DB_DSN = server.dsn;
    });

    it('rolls back the statements of the script that ran before the interrupted one', async () => {
      const t = uniqueTable('ix');
      await admin.execute(`create table ${t} (id integer)`);
      await admin.execute(`insert into ${t} values (1)`);
      @Task({ timeout: 700 }) class Script extends SQLExecute {
        statement = `insert into ${t} values (-1); ${server.sleep}`;
      }
      const result = await run(Script);
      expect(failureOf(result, 'Script')).toMatch(/timed out after 700 ms/);
      expect((await admin.query(`select id from ${t} order by id`)).map((r) => Number(r.id))).toEqual([1]);
    });
  });
}
