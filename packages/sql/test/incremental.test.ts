import { describe, it, expect, beforeEach, afterAll } from '@jest/globals';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Task, BigraysConfig, resetJobs, runJob, type JobResult, type TaskClass } from '@bigrays/core';
import { FileLedgerStore } from '@bigrays/core/plugin';
import { SQLExecute, SQLQuery, SQLSession, type Row } from '@bigrays/sql';
import { requireService } from '../../../test/support/services.js';
import { PG_DSN, sqliteDir, uniqueTable, dropCreatedTables } from './helpers.js';

const pgUp = await requireService('postgres', 'sql/incremental');
let ledger: string;
beforeEach(() => {
  resetJobs();
  ledger = mkdtempSync(join(tmpdir(), 'bigrays-sql-ledger-'));
});
afterAll(() => {
  delete BigraysConfig.DB_DSN;
});

const run = (job: string, task: TaskClass) => runJob({ tasks: [task], jobName: job, state: ledger, deferCleanup: true });

/**
 * An incremental SQLQuery over `table`: rows with `:cursor` bound directly; the spooled
 * variant with `{cursor}` templated into a bound parameter (a value is never pasted into SQL text).
 */
function defineJob(table: string, spool: boolean) {
  @Task({ incremental: { cursor: 'updated_at', initial: '2026-01-01T00:00:00Z' } })
  class PullNew extends SQLQuery {
    query = spool ? `select id, updated_at from ${table} where updated_at > :since order by id` : `select id, updated_at from ${table} where updated_at > :cursor order by id`;
    params = spool ? { since: '{cursor}' } : undefined;
    spool = spool;
  }
  return PullNew;
}

describe.each([
  ['sqlite', (): string => `sqlite:${join(sqliteDir(), 'db.sqlite')}`, 'text', true],
  ['postgres', (): string => PG_DSN, 'timestamptz', pgUp],
] as const)('%s: an incremental SQLQuery', (dialect, dsn, type, up) => {
  (up ? it : it.skip)('binds :cursor to the committed cursor and reads only new rows, rows or Dataset', async () => {
    BigraysConfig.DB_DSN = dsn();
    for (const spool of [false, true]) {
      const table = uniqueTable('inc');
      const insert = (rows: string) => {
        @Task() class Insert extends SQLExecute { statement = `insert into ${table} (id, updated_at) values ${rows}`; }
        return runJob({ tasks: [Insert], state: 'off' });
      };
      @Task() class Create extends SQLExecute { statement = `create table ${table} (id integer primary key, updated_at ${type})`; }
      await runJob({ tasks: [Create], state: 'off' });
      await insert(`(1, '2026-01-01T10:00:00.000Z'), (2, '2026-01-02T10:00:00.000Z')`);
      resetJobs();
      const PullNew = defineJob(table, spool);
      const job = `${dialect}-${spool}`;
      const ids = async (result: JobResult) => {
        const out = result.output<Row[] | { toArray(): Promise<Row[]> }>(PullNew);
        return (Array.isArray(out) ? out : await out.toArray()).map((r) => Number(r.id));
      };
      expect(await ids(await run(job, PullNew))).toEqual([1, 2]);
      const first = (await new FileLedgerStore(ledger).getCursors(job))[0]!;
      expect(Date.parse(first.value!)).toBe(Date.parse('2026-01-02T10:00:00.000Z'));
      expect(await ids(await run(job, PullNew))).toEqual([]);
      await insert(`(3, '2026-01-03T10:00:00.000Z')`);
      expect(await ids(await run(job, PullNew))).toEqual([3]);
    }
    const session = new SQLSession();
    await session.open({ DB_DSN: BigraysConfig.DB_DSN! });
    await dropCreatedTables(session);
    await session.close();
  });
});
