/**
 * `{name}` templates inside SQL text (issue 10, finding 13). A `--param`
 * pasted into `SQLExecute.statement` or `SQLQuery.query` used to go in
 * verbatim: `--param table="t; drop table t; --"` ran the DROP and the job
 * exited 0. Now a value pasted into SQL text must be an identifier (or the
 * task lists the parameter in `rawSql`): anything else stops the plan, exit
 * 2, nothing runs, and the message names the task, attribute, parameter and
 * the fixes. Runs the real CLI against PostgreSQL.
 */
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { REPO, runCliAsync } from '../support/cli.js';
import { requireService } from '../support/services.js';
import { fixture } from './paths.js';
import { expectNoStack } from '../support/output.js';
import { PG_DSN_SECRET, dropPgDatabase, ensurePgDatabase, pgConnect } from '../support/pg-database.js';
import { expectNoSecrets, secretEnv } from '../support/secrets.js';

const ready = existsSync(join(REPO, 'packages', 'sql', 'dist', 'index.js')) && (await requireService('postgres', 'reliability: SQL templates'));
const test = ready ? it : it.skip;

let scratch: string;
let victim: string;
type Observer = Awaited<ReturnType<typeof pgConnect>>;
let observer: Observer;

beforeAll(async () => {
  if (!ready) return;
  await ensurePgDatabase();
  observer = await pgConnect();
  scratch = mkdtempSync(join(tmpdir(), 'bigrays-reli-sql-template-'));
  victim = `reli_victim_${randomBytes(4).toString('hex')}`;
  await observer.query(`create table ${victim} (id integer)`);
  await observer.query(`insert into ${victim} values (1), (2), (3)`);
});
afterAll(async () => {
  if (!ready) return;
  await observer.end();
  await dropPgDatabase();
  rmSync(scratch, { recursive: true, force: true });
});

async function run(params: Record<string, string>, env: Record<string, string> = {}) {
  const out = join(scratch, `out-${randomBytes(3).toString('hex')}.json`);
  const args = [fixture('sql-template.ts'), ...Object.entries(params).flatMap(([k, v]) => ['--param', `${k}=${v}`])];
  const r = await runCliAsync(args, { cwd: scratch, env: secretEnv({ BIGRAYS_DB_DSN: PG_DSN_SECRET, RELI_OUT: out, ...env }) });
  expectNoSecrets(r.stdout + r.stderr);
  return { ...r, out: existsSync(out) ? JSON.parse(readFileSync(out, 'utf8')) : undefined };
}
const victimRows = async () => (await observer.query<{ n: number }>(`select count(*)::int as n from ${victim}`)).rows[0]!.n;

describe('parameters pasted into SQL text', () => {
  test('an identifier (and schema.table) is pasted; a bound value stays a value; a raw fragment the task opted into is pasted', async () => {
    const r = await run({ table: victim, cutoff: '0', filter: 'id > 1' });
    expect({ code: r.code, stderr: r.code === 0 ? '' : r.stderr }).toEqual({ code: 0, stderr: '' });
    expect(r.out).toEqual([{ n: 2 }]);
    const q = await run({ table: `public.${victim}`, cutoff: '0', filter: 'true' });
    expect(q.code).toBe(0);
    expect(q.out).toEqual([{ n: 3 }]);
  });

  test.each([
    ['a script that drops the table', (t: string) => `${t}; drop table ${t}; --`],
    ['a comment that cuts the WHERE', (t: string) => `${t} --`],
    ['a quote', (t: string) => `${t}' or '1'='1`],
    ['a subquery', (t: string) => `(select * from ${t})`],
    ['a newline', (t: string) => `${t}\ndrop table ${t}`],
  ])('%s: exit 2 before anything runs, the table is intact', async (_name, value) => {
    const hostile = value(victim);
    const r = await run({ table: hostile, cutoff: '100', filter: 'true' });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expectNoStack(r.stderr);
    const lines = r.stderr.trim().split('\n');
    expect(lines[0]).toBe('bigrays: template values refused:');
    expect(lines).toHaveLength(3);
    expect(lines[1]).toBe(
      `  - Purge.statement: {table} = ${JSON.stringify(hostile)} is pasted into the SQL text, which takes only an identifier ` +
        "(a table or schema.table: letters, digits, _ and $). Bind the value instead: :table in the SQL and params = { table: '{table}' }; " +
        "or, for a trusted SQL fragment, set rawSql = ['table'] in Purge",
    );
    expect(lines[2]).toMatch(/^ {2}- Count\.query: \{table\} = .* set rawSql = \['table'\] in Count$/);
    // Nothing ran: not the DELETE (cutoff 100 would empty the table), not the DROP.
    expect(await victimRows()).toBe(3);
    expect(r.out).toBeUndefined();
  });

  test('a fragment in a task that did not opt in: exit 2, naming the fix', async () => {
    const r = await run({ table: victim, cutoff: '0', filter: 'id > 1' }, { RELI_RAW: '0' });
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe(
      'bigrays: Count.query: {filter} = "id > 1" is pasted into the SQL text, which takes only an identifier ' +
        "(a table or schema.table: letters, digits, _ and $). Bind the value instead: :filter in the SQL and params = { filter: '{filter}' }; " +
        "or, for a trusted SQL fragment, set rawSql = ['filter'] in Count",
    );
    expect(await victimRows()).toBe(3);
  });
});
