/**
 * SQLExecute: a script in one transaction, with bound parameters; its
 * output is the number of rows it affected. A failing statement rolls the
 * whole script back. Zero config: a SQLite file under the temp directory
 * unless BIGRAYS_DB_DSN is set.
 *
 *   pnpm bigrays examples/sql/execute.ts --param cutoff=2026-02-01
 */
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BigraysConfig, Input, Task, updateFormatKws } from '@bigrays/core';
import { SQLExecute, SQLQuery, type Row } from '@bigrays/sql';

const dir = join(tmpdir(), 'bigrays-examples');
mkdirSync(dir, { recursive: true });
BigraysConfig.DB_DSN ??= `sqlite:${join(dir, 'sql-execute.sqlite')}`;
updateFormatKws({ cutoff: '2026-02-01' });

@Task()
class Setup extends SQLExecute {
  statement = `
    drop table if exists events;
    create table events (id integer, kind varchar(20), happened_on date);
    insert into events values (1, 'signup', '2026-01-05'), (2, 'login', '2026-01-20'),
                              (3, 'login', '2026-02-03'), (4, 'logout', '2026-02-28');`;
}

@Task()
class Archive extends SQLExecute {
  // Several statements, the same parameter in two of them: all bound, all in one transaction.
  statement = `
    create table if not exists events_archive (id integer, kind varchar(20), happened_on date);
    insert into events_archive select * from events where happened_on < :cutoff;
    delete from events where happened_on < :cutoff;`;
  params = { cutoff: '{cutoff}' };
}

@Task()
class Remaining extends SQLQuery {
  query = 'select count(*) as n from events';
}

@Task()
class Report {
  @Input(Archive) affected!: number;
  @Input(Remaining) remaining!: Row[];
  run() {
    console.log(`rows affected by the archive script: ${this.affected}; events left: ${this.remaining[0]!.n}`);
    return this.affected;
  }
}
void [Setup, Report];
