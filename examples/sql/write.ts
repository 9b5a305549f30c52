/**
 * SQLWrite: rows into a table, created from the rows' columns when missing.
 * Then a copy through a spooled Dataset (SQLQuery with spool = true), which
 * streams both ways and keeps the column types. Zero config: a SQLite file
 * under the temp directory unless BIGRAYS_DB_DSN is set.
 *
 *   pnpm bigrays examples/sql/write.ts
 */
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BigraysConfig, Input, Task, type Dataset } from '@bigrays/core';
import { SQLQuery, SQLWrite, type Row } from '@bigrays/sql';

const dir = join(tmpdir(), 'bigrays-examples');
mkdirSync(dir, { recursive: true });
BigraysConfig.DB_DSN ??= `sqlite:${join(dir, 'sql-write.sqlite')}`;

@Task()
class MakeReadings {
  run(): Row[] {
    return Array.from({ length: 5000 }, (_, i) => ({
      sensor: `s${i % 7}`,
      reading: Math.round(Math.sin(i) * 1000) / 10,
      ok: i % 13 !== 0,
      taken_at: new Date(Date.UTC(2026, 0, 1, 0, i)),
      meta: { batch: Math.floor(i / 1000) },
    }));
  }
}

@Task()
class SaveReadings extends SQLWrite {
  @Input(MakeReadings) input!: Row[];
  table = 'readings';
  // Rerunnable: the table is replaced atomically (built beside it, then swapped in).
  ifExists = 'replace';
}

@Task()
class ExtractOk extends SQLQuery {
  query = 'select * from readings where ok = :ok';
  params = { ok: true };
  spool = true;
}

@Task()
class CopyOk extends SQLWrite {
  @Input(ExtractOk) input!: Dataset;
  table = 'readings_ok';
  ifExists = 'replace';
}

@Task()
class Report {
  @Input(SaveReadings) saved!: number;
  @Input(CopyOk) copied!: number;
  run() {
    console.log(`wrote ${this.saved} readings, copied ${this.copied} good ones to readings_ok`);
    return this.copied;
  }
}
void Report;
