/**
 * `{name}` templates inside SQL text (issue 10, finding 13), in-process on
 * SQLite: values pasted into `query`/`statement` must be identifiers unless
 * the task lists the parameter in `rawSql`; the check runs at plan time, so
 * nothing runs; values bound as `:name` and `SQLWrite.table` are untouched.
 */
import { afterAll, beforeEach, describe, expect, it } from '@jest/globals';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { BigraysConfig, PlanError, Task, bigraysRun, resetFormatKws, resetJobs, updateFormatKws } from '@bigrays/core';
import { SQLExecute, SQLQuery, sqlExecute, sqlQuery } from '@bigrays/sql';
import { SQL_IDENTIFIER, sqlTemplateProblem } from '../src/sql-templates.js';
import { sqliteDir } from './helpers.js';

const dir = sqliteDir();
const saved = BigraysConfig.DB_DSN;
afterAll(() => {
  BigraysConfig.DB_DSN = saved;
  rmSync(dir, { recursive: true, force: true });
});
beforeEach(() => {
  resetJobs();
  resetFormatKws();
  BigraysConfig.DB_DSN = `sqlite:${join(dir, 'db.sqlite')}`;
});

const refusal = (task: string, attr: string, p: string, shown: string) =>
  `${task}.${attr}: {${p}} = ${shown} is pasted into the SQL text, which takes only an identifier (a table or schema.table: letters, digits, _ and $). ` +
  `Bind the value instead: :${p} in the SQL and params = { ${p}: '{${p}}' }; or, for a trusted SQL fragment, set rawSql = ['${p}'] in ${task}`;

describe('SQL_IDENTIFIER', () => {
  it.each(['sales', 'analytics.sales_2026', '_t$1', 'A.B'])('accepts %j', (v) => expect(SQL_IDENTIFIER.test(v)).toBe(true));
  it.each(['', '1abc', 'a.b.c', 'a;b', 'a b', "a'", 'a--', '"a"', 'a.', '(a)', 'a\n'])('refuses %j', (v) => expect(SQL_IDENTIFIER.test(v)).toBe(false));
});

describe('sqlTemplateProblem', () => {
  const use = (value: unknown, instance: Record<string, unknown> = {}, parameter = 'table') =>
    sqlTemplateProblem({ task: 'Pull', attribute: 'query', parameter, value: value as string, instance });

  it('accepts identifiers, and anything listed in rawSql', () => {
    expect(use('sales')).toBeUndefined();
    expect(use('x; drop table y', { rawSql: ['table'] })).toBeUndefined();
  });
  it('refuses other values, with the task, attribute, parameter and fixes; numbers and dates too', () => {
    expect(use('x; drop table y')).toBe(refusal('Pull', 'query', 'table', '"x; drop table y"'));
    expect(use(5)).toBe(refusal('Pull', 'query', 'table', '"5"'));
    expect(use(new Date('2026-01-02T00:00:00Z'))).toBe(refusal('Pull', 'query', 'table', '"2026-01-02T00:00:00.000Z"'));
    expect(use('x y', { rawSql: ['other'] })).toBe(refusal('Pull', 'query', 'table', '"x y"'));
  });
  it('masks the value of a parameter named like a secret, and shortens long values', () => {
    expect(use('hunter2 pw', {}, 'db_password')).toBe(refusal('Pull', 'query', 'db_password', '"****"'));
    expect(use('x'.repeat(200) + ' y')).toContain(`"${'x'.repeat(77)}..."`);
  });
  it('refuses a rawSql that is not a list of names', () => {
    expect(use('sales', { rawSql: 'table' })).toBe(`Pull.rawSql must be a list of parameter names such as ['where_clause']; got "table"`);
  });
});

describe('at plan time', () => {
  it('a value that is not an identifier stops the job before any task runs; all refusals are listed', async () => {
    const ran: string[] = [];
    updateFormatKws({ table: 't; drop table t; --', day: '2026-01-01' });
    @Task() class First { run() { ran.push('First'); } }
    @Task() class Pull extends SQLQuery { query = 'select * from {table}'; }
    @Task() class Purge extends SQLExecute { statement = "delete from x where day < '{day}'"; }
    void [First, Pull, Purge];
    const error = await bigraysRun().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PlanError);
    expect((error as PlanError).problems).toEqual([
      refusal('Pull', 'query', 'table', '"t; drop table t; --"'),
      refusal('Purge', 'statement', 'day', '"2026-01-01"'),
    ]);
    expect((error as Error).message).toBe(`template values refused:\n  - ${refusal('Pull', 'query', 'table', '"t; drop table t; --"')}\n  - ${refusal('Purge', 'statement', 'day', '"2026-01-01"')}`);
    expect(ran).toEqual([]);
  });

  it('identifiers, bound values and opted-in fragments run', async () => {
    updateFormatKws({ table: 'items', since: "2026'; drop table items; --", filter: 'id > 1' });
    @Task() class Create extends SQLExecute { statement = 'create table {table} (id integer, day text); insert into {table} values (1, :d), (2, :d), (3, :d)'; params = { d: '{since}' }; }
    @Task() class Pull extends SQLQuery { query = 'select count(*) as n from {table} where day = :since and {filter}'; params = { since: '{since}' }; rawSql = ['filter']; }
    void [Create, Pull];
    const result = await bigraysRun();
    expect(result.output(Pull)).toEqual([{ n: 2 }]);
  });

  it('the functional interface checks too, and takes rawSql', async () => {
    updateFormatKws({ t: 'fn_items', cond: '1 = 1' });
    await sqlExecute({ statement: 'create table {t} (id integer); insert into {t} values (1)' });
    await expect(sqlQuery({ query: 'select * from {t} where {cond}' })).rejects.toThrow(refusal('SQLQuery', 'query', 'cond', '"1 = 1"'));
    await expect(sqlQuery({ query: 'select * from {t} where {cond}', rawSql: ['cond'] })).resolves.toEqual([{ id: 1 }]);
  });
});
