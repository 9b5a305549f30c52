/**
 * examples/sql: one example per SQL task, run through the CLI as written
 * (zero config: SQLite under a private temp directory). query.ts and
 * write.ts, which promise the same values on every database, also run on
 * PostgreSQL and MariaDB (BIGRAYS_DB_DSN set); the other two are
 * driver-independent enough that SQLite alone keeps the suite short.
 */
import { afterAll, describe, expect, it } from '@jest/globals';
import { join } from 'node:path';
import { BigraysConfig } from '@bigrays/core';
import { sqlExecute } from '@bigrays/sql';
import { requireService } from '../support/services.js';
import { MARIADB_DSN, PG_DSN, REPO, expectExit, run } from './support.js';

const example = (name: string) => join(REPO, 'examples', 'sql', `${name}.ts`);

interface Case {
  name: string;
  args: string[];
  stdout: string | RegExp;
  everywhere: boolean;
}

const CASES: Case[] = [
  {
    name: 'query.ts: bound parameters, the same value types everywhere',
    args: [example('query')],
    stdout: 'Alan: 300.00 on 2026-02-14\nAda: 120.50 on 2026-01-03\nGrace: 80.00 on 2026-02-11 (unpaid)\n',
    everywhere: true,
  },
  {
    name: 'query.ts --param min_amount=100',
    args: [example('query'), '--param', 'min_amount=100'],
    stdout: 'Alan: 300.00 on 2026-02-14\nAda: 120.50 on 2026-01-03\n',
    everywhere: false,
  },
  {
    name: 'execute.ts: a script in one transaction, rows affected',
    args: [example('execute')],
    stdout: 'rows affected by the archive script: 4; events left: 2\n',
    everywhere: false,
  },
  {
    name: 'write.ts: rows into a new table, then a copy through a spooled Dataset',
    args: [example('write')],
    stdout: 'wrote 5000 readings, copied 4615 good ones to readings_ok\n',
    everywhere: true,
  },
  {
    name: 'custom-task.ts: SQLTask; a temporary table shared by consecutive SQL tasks',
    args: [example('custom-task')],
    stdout: /^9500 staged rows in this session \(sqlite:.*sql-custom\.sqlite\)\n$/,
    everywhere: false,
  },
];

const check = (c: Case, env: Record<string, string>) => () => {
  const r = run(c.args, { env });
  expectExit(r, 0);
  if (typeof c.stdout === 'string') expect(r.stdout).toBe(c.stdout);
  else expect(r.stdout).toMatch(c.stdout);
};

describe('examples/sql, zero config (SQLite)', () => {
  for (const c of CASES) it(c.name, check(c, {}));
});

const servers: [string, string, boolean][] = [
  ['PostgreSQL', PG_DSN, await requireService('postgres', 'examples/sql on PostgreSQL')],
  ['MariaDB', MARIADB_DSN, await requireService('mariadb', 'examples/sql on MariaDB')],
];

for (const [name, dsn, up] of servers) {
  (up ? describe : describe.skip)(`examples/sql on ${name}`, () => {
    for (const c of CASES.filter((c) => c.everywhere)) it(c.name, check(c, { BIGRAYS_DB_DSN: dsn }));
    afterAll(async () => {
      // The tables these examples leave in the shared test database.
      BigraysConfig.DB_DSN = dsn;
      await sqlExecute({ statement: 'drop table if exists orders; drop table if exists readings; drop table if exists readings_ok' });
      delete BigraysConfig.DB_DSN;
    });
  });
}
