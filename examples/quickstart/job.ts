/**
 * bigrays quickstart: runs with zero configuration.
 *
 *   pnpm bigrays examples/quickstart/job.ts
 *   pnpm bigrays examples/quickstart/job.ts --param since=2026-03-01
 *
 * It creates a small SQLite shop database (unless BIGRAYS_DB_DSN points
 * elsewhere), queries revenue per country, adds each country's share in a
 * custom task, writes a CSV with ToCSV and prints where the file is.
 */
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BigraysConfig, Input, Task, ToCSV, updateFormatKws } from '@bigrays/core';
import { SQLExecute, SQLQuery, type Row } from '@bigrays/sql';

const workDir = join(tmpdir(), 'bigrays-quickstart');
mkdirSync(workDir, { recursive: true });
BigraysConfig.DB_DSN ??= `sqlite:${join(workDir, 'shop.sqlite')}`;
updateFormatKws({ since: '2026-01-01', out: join(workDir, 'revenue-by-country.csv') });

@Task()
class CreateShop extends SQLExecute {
  statement = `
    drop table if exists orders;
    create table orders (id integer primary key, country text not null, amount numeric not null, ordered_at text not null);
    insert into orders (country, amount, ordered_at) values
      ('FR', 120.50, '2026-01-03'), ('FR', 80.00, '2026-02-11'), ('DE', 300.00, '2026-02-14'),
      ('DE', 45.25, '2026-03-02'), ('US', 999.99, '2026-03-05'), ('US', 10.00, '2025-12-30'),
      ('JP', 64.00, '2026-03-09');`;
}

@Task()
class RevenueByCountry extends SQLQuery {
  // :since is a bound parameter: its value never becomes part of the SQL text.
  query = `select country, count(*) as orders, sum(amount) as revenue
           from orders where ordered_at >= :since
           group by country order by revenue desc`;
  params = { since: '{since}' };
}

@Task()
class AddShare {
  @Input(RevenueByCountry) rows!: Row[];
  run() {
    const total = this.rows.reduce((sum, r) => sum + Number(r.revenue), 0);
    return this.rows.map((r) => ({ ...r, share: `${((Number(r.revenue) / total) * 100).toFixed(1)}%` }));
  }
}

@Task()
class WriteReport extends ToCSV {
  @Input(AddShare) input!: Row[];
  filename = '{out}';
  overwrite = true;
}

@Task()
class Announce {
  @Input(WriteReport) path!: string;
  run() {
    console.log(`Wrote ${this.path}`);
  }
}
