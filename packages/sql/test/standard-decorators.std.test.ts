/** The SQL base classes with TypeScript's standard decorators (no experimentalDecorators). */
import { describe, it, expect, beforeEach } from '@jest/globals';
import { join } from 'node:path';
import { BigraysConfig, Input, Task, bigraysRun, resetJobs, type Dataset, type Row } from '@bigrays/core';
import { SQLExecute, SQLQuery, SQLSession, SQLTask, SQLWrite } from '@bigrays/sql';
import { sqliteDir } from './helpers.js';

beforeEach(() => {
  resetJobs();
  BigraysConfig.DB_DSN = `sqlite:${join(sqliteDir(), 'std.db')}`;
});

describe('standard decorators', () => {
  it('runs SQLExecute, SQLWrite, SQLQuery (spool) and SQLTask subclasses', async () => {
    @Task() class Create extends SQLExecute {
      statement = 'create table t (id integer, name text)';
    }
    @Task() class Rows {
      run() {
        return [{ id: 1, name: 'a' }, { id: 2, name: 'b' }];
      }
    }
    @Task() class Save extends SQLWrite {
      @Input(Rows) input!: Row[];
      table = 't';
      ifExists = 'append';
    }
    @Task() class Pull extends SQLQuery {
      query = 'select * from t where id >= :min order by id';
      params = { min: 1 };
      spool = true;
    }
    @Task() class Count extends SQLTask {
      @Input(Pull) ds!: Dataset;
      async run(db: SQLSession) {
        return { spooled: await this.ds.toArray(), n: (await db.query('select count(*) as n from t'))[0]!.n };
      }
    }
    const result = await bigraysRun();
    expect(result.output(Create)).toBe(0);
    expect(result.output(Save)).toBe(2);
    expect(result.output(Count)).toEqual({ spooled: [{ id: 1, name: 'a' }, { id: 2, name: 'b' }], n: 2 });
  });
});
