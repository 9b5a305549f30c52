/**
 * SQLQuery: rows out of a database, with bound parameters. Zero config:
 * uses a SQLite file under the temp directory unless BIGRAYS_DB_DSN is set.
 *
 *   pnpm bigrays examples/sql/query.ts
 *   pnpm bigrays examples/sql/query.ts --param min_amount=100
 */
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BigraysConfig, Input, Task, updateFormatKws } from '@bigrays/core';
import { SQLExecute, SQLQuery, type Row } from '@bigrays/sql';

const dir = join(tmpdir(), 'bigrays-examples');
mkdirSync(dir, { recursive: true });
BigraysConfig.DB_DSN ??= `sqlite:${join(dir, 'sql-query.sqlite')}`;
updateFormatKws({ min_amount: 50 });

@Task()
class CreateOrders extends SQLExecute {
  statement = `
    drop table if exists orders;
    create table orders (id integer primary key, customer varchar(40), amount decimal(10,2), paid boolean, ordered_on date);
    insert into orders (id, customer, amount, paid, ordered_on) values
      (1, 'Ada', 120.50, true, '2026-01-03'),
      (2, 'Grace', 80.00, false, '2026-02-11'),
      (3, 'Alan', 300.00, true, '2026-02-14'),
      (4, 'Edsger', 45.25, true, '2026-03-02');`;
}

@Task()
class BigOrders extends SQLQuery {
  // :min is bound by the driver: whatever --param min_amount holds, it is a value, never SQL.
  query = 'select id, customer, amount, paid, ordered_on from orders where amount >= :min order by amount desc';
  params = { min: '{min_amount}' };
}

@Task()
class Show {
  @Input(BigOrders) rows!: Row[];
  run() {
    // Types are the same on every database: amount is an exact string, paid a boolean, ordered_on 'YYYY-MM-DD'.
    for (const r of this.rows) console.log(`${r.customer}: ${r.amount} on ${r.ordered_on}${r.paid ? '' : ' (unpaid)'}`);
    return this.rows.length;
  }
}
void [CreateOrders, Show];
