import { describe, it, expect, beforeEach, afterEach } from '@jest/globals';
import { BigraysConfig, JobFailedError, Task, bigraysRun, resetJobs } from '@bigrays/core';
import { SQLQuery } from '@bigrays/sql';

/** Issue 14, item 17: a SQL error shows the values bound to the statement, secrets masked. */
const saved = BigraysConfig.DB_DSN;
beforeEach(() => {
  resetJobs();
  BigraysConfig.DB_DSN = 'sqlite::memory:';
});
afterEach(() => {
  BigraysConfig.DB_DSN = saved;
});

describe('SQL errors show the bound values', () => {
  it('names each :param with its value; a secret-named one is masked', async () => {
    @Task() class Pull extends SQLQuery {
      query = 'select * from no_such_table where day >= :since and token = :api_token';
      params = { since: '2026-01-01', api_token: 'tok-Very-Secret-1', unused: 'x' };
    }
    const error = (await bigraysRun().catch((e: unknown) => e)) as JobFailedError;
    const message = error.result.report(Pull)!.error!.message;
    expect(message).toContain("\n  params: :since = '2026-01-01', :api_token = ****");
    expect(message).not.toContain('tok-Very-Secret-1');
  });
});
