/**
 * SQLTask: custom SQL with the open session. Consecutive SQL tasks share
 * one session, so a temporary table made by one is visible to the next.
 * Zero config: a SQLite file under the temp directory unless
 * BIGRAYS_DB_DSN is set.
 *
 *   pnpm bigrays examples/sql/custom-task.ts
 */
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BigraysConfig, Task } from '@bigrays/core';
import { SQLQuery, SQLSession, SQLTask } from '@bigrays/sql';

const dir = join(tmpdir(), 'bigrays-examples');
mkdirSync(dir, { recursive: true });
BigraysConfig.DB_DSN ??= `sqlite:${join(dir, 'sql-custom.sqlite')}`;

@Task()
class Stage extends SQLTask {
  async run(db: SQLSession) {
    await db.execute('create temporary table staged (id integer, amount decimal(10,2))');
    // db.write streams rows into a table (here the temporary one) in batches.
    const rows = Array.from({ length: 10_000 }, (_, i) => ({ id: i, amount: ((i * 37) % 1000) / 10 }));
    await db.write('staged', rows, { ifExists: 'append' });
    // A transaction: both statements or neither.
    await db.transaction(async () => {
      await db.execute('delete from staged where amount < :floor', { floor: 5 });
      await db.execute('update staged set amount = amount * 2 where id % 100 = 0');
    });
    // Stream rows without holding the result in memory.
    let total = 0;
    for await (const row of db.stream('select amount from staged')) total += Number(row.amount);
    return { dialect: db.dialect, total: Math.round(total * 100) / 100 };
  }
}

@Task()
class Summary extends SQLQuery {
  // Same session as Stage: the temporary table is still there.
  query = 'select count(*) as n, min(amount) as low, max(amount) as high from staged';
}

@Task()
class Print extends SQLTask {
  async run(db: SQLSession) {
    const [summary] = await db.query('select count(*) as n from staged');
    console.log(`${summary!.n} staged rows in this session (${db.dsn})`);
    return summary!.n;
  }
}
void [Stage, Summary, Print];
