/**
 * Large results: 200,000 rows (~30 MB as CSV, several times that as row
 * objects) spooled into a Dataset and written back to a table, on every
 * driver: correct, typed, with progress, and without the heap growing
 * anywhere near the size of the rows.
 *
 * The memory check runs in a child Node process (small heap, `--expose-gc`)
 * so that it measures only the spool and is not slowed or skewed by Jest's
 * own heap: it samples the live heap (after a forced GC) while the work runs.
 */
import { describe, it, expect, beforeEach, beforeAll, afterAll } from '@jest/globals';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { BigraysConfig, Dataset, Input, Task, resetJobs, runJob, type Progress, type RunEvent } from '@bigrays/core';
import { SQLQuery, SQLWrite } from '@bigrays/sql';
import { requireService } from '../../../test/support/services.js';
import { MARIADB_DSN, PACKAGE_DIR, PG_DSN, bundleSql, openSession, sqliteDir, uniqueTable } from './helpers.js';

const pgUp = await requireService('postgres', 'sql/postgres');
const mariaUp = await requireService('mariadb', 'sql/mariadb');

const ROWS = 200_000;
/** ~120 characters of text per row. */
const PAD = 'x'.repeat(100);

const DRIVERS = [
  {
    name: 'postgres',
    dsn: PG_DSN,
    up: pgUp,
    create: (t: string) => `
      create table ${t} as
      select g as id, 'row ' || g || ' ${PAD}' as label, g / 4.0::float8 as x, (g % 2 = 0) as even,
             timestamp '2026-01-01' + g * interval '1 second' as at
      from generate_series(1, ${ROWS}) g`,
  },
  {
    name: 'mariadb',
    dsn: MARIADB_DSN,
    up: mariaUp,
    create: (t: string) => `
      create table ${t} (id int, label text, x double, even boolean, at datetime(3));
      insert into ${t}
      select seq, concat('row ', seq, ' ${PAD}'), seq / 4e0, seq % 2 = 0, timestamp '2026-01-01 00:00:00' + interval seq second
      from seq_1_to_${ROWS}`,
  },
  {
    name: 'sqlite',
    dsn: `sqlite:${join(sqliteDir(), 'spool.db')}`,
    up: true,
    create: (t: string) => `
      create table ${t} (id integer, label text, x real, even boolean, at timestamp);
      insert into ${t}
      with recursive g(n) as (select 1 union all select n + 1 from g where n < ${ROWS})
      select n, 'row ' || n || ' ${PAD}', n / 4.0, n % 2 = 0, strftime('%Y-%m-%dT%H:%M:%SZ', '2026-01-01', '+' || n || ' seconds') from g`,
  },
];

/** What the child process does: spool (COPY/streaming path, then the parameter path), read, write back. */
const CHILD = `
const { SQLSession } = await import(process.env.SQL_BUNDLE);
const gc = globalThis.gc;
const heap = () => { gc(); return process.memoryUsage().heapUsed; };
async function measure(fn) {
  const base = heap();
  let peak = base;
  const timer = setInterval(() => { peak = Math.max(peak, heap()); }, 100);
  try {
    const value = await fn();
    peak = Math.max(peak, heap());
    return { value, growth: peak - base };
  } finally {
    clearInterval(timer);
  }
}
const session = new SQLSession();
await session.open({ DB_DSN: process.env.DB_DSN });
const out = {};
try {
  const spooled = await measure(async () => {
    const ds = await session.spool('select * from ' + process.env.SOURCE + ' order by id');
    let n = 0;
    for await (const batch of ds.batches({ arrays: true })) n += batch.length;
    return { ds, n };
  });
  out.spool = { rows: spooled.value.n, bytes: spooled.value.ds.byteLength, growth: spooled.growth };
  const written = await measure(() => session.write(process.env.TARGET, spooled.value.ds));
  out.write = { rows: written.value, growth: written.growth };
  const withParams = await measure(async () => {
    const ds = await session.spool('select * from ' + process.env.SOURCE + ' where id > :min order by id', { min: 0 });
    return { rows: ds.rowCount, bytes: ds.byteLength };
  });
  out.spoolWithParams = { ...withParams.value, growth: withParams.growth };
  await session.execute('drop table ' + process.env.TARGET);
} finally {
  await session.close();
}
console.log(JSON.stringify(out));
`;

interface ChildReport {
  spool: { rows: number; bytes: number; growth: number };
  write: { rows: number; growth: number };
  spoolWithParams: { rows: number; bytes: number; growth: number };
}

function runChild(env: Record<string, string>): Promise<ChildReport> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--expose-gc', '--max-old-space-size=256', '--input-type=module', '-e', CHILD], {
      cwd: PACKAGE_DIR,
      env: { ...process.env, ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => {
      if (code !== 0) reject(new Error(`child exited with ${code}: ${stderr}`));
      else resolve(JSON.parse(stdout.trim().split('\n').pop()!) as ChildReport);
    });
  });
}

let bundle: Awaited<ReturnType<typeof bundleSql>> | undefined;
afterAll(() => bundle?.cleanup());

for (const d of DRIVERS) {
  (d.up ? describe : describe.skip)(`spooling ${ROWS} rows on ${d.name}`, () => {
    const source = uniqueTable('big_src');
    beforeAll(async () => {
      const admin = await openSession(d.dsn);
      await admin.execute(d.create(source));
      await admin.close();
    }, 60_000);
    afterAll(async () => {
      const admin = await openSession(d.dsn);
      await admin.execute(`drop table ${source}`);
      await admin.close();
    });
    beforeEach(() => {
      resetJobs();
      BigraysConfig.DB_DSN = d.dsn;
    });

    it('SQLQuery(spool) → Dataset → SQLWrite: every row, typed, with progress reported', async () => {
      const target = uniqueTable('big');
      const progress: Progress[] = [];
      @Task() class Extract extends SQLQuery {
        query = `select * from ${source} order by id`;
        spool = true;
      }
      @Task() class Check {
        @Input(Extract) ds!: Dataset;
        async run() {
          let n = 0;
          let sum = 0;
          let first: unknown;
          for await (const batch of this.ds.batches()) {
            first ??= batch[0];
            n += batch.length;
            for (const row of batch) sum += row.id as number;
          }
          return { n, sum, first, rowCount: this.ds.rowCount, byteLength: this.ds.byteLength, types: this.ds.columnTypes };
        }
      }
      @Task() class Load extends SQLWrite {
        @Input(Extract) input!: Dataset;
        table = target;
      }
      const observer = (e: RunEvent) => {
        if (e.type === 'task-progress' && e.task === 'Extract') progress.push({ rows: e.rows, bytes: e.bytes });
      };
      const result = await runJob({ tasks: [Extract, Check, Load], observer });
      const check = result.output<{ n: number; sum: number; first: Record<string, unknown>; rowCount: number; byteLength: number; types: string[] }>(Check);
      expect(check.n).toBe(ROWS);
      expect(check.rowCount).toBe(ROWS);
      expect(check.sum).toBe((ROWS * (ROWS + 1)) / 2);
      expect(check.first).toEqual({ id: 1, label: `row 1 ${PAD}`, x: 0.25, even: false, at: new Date('2026-01-01T00:00:01Z') });
      expect(check.types).toEqual(['integer', 'text', 'float', 'boolean', 'timestamp']);
      expect(check.byteLength).toBeGreaterThan(25_000_000);
      expect(result.output(Load)).toBe(ROWS);
      expect(progress.length).toBeGreaterThan(0);
      expect(progress[progress.length - 1]!.rows).toBe(ROWS);

      const admin = await openSession(d.dsn);
      try {
        const [stats] = await admin.query(`select count(*) as n, sum(id) as s from ${target}`);
        expect(Number(stats!.n)).toBe(ROWS);
        expect(Number(stats!.s)).toBe((ROWS * (ROWS + 1)) / 2);
        expect(await admin.query(`select * from ${target} where id = 2`)).toEqual([
          { id: 2, label: `row 2 ${PAD}`, x: 0.5, even: true, at: new Date('2026-01-01T00:00:02Z') },
        ]);
        await admin.execute(`drop table ${target}`);
      } finally {
        await admin.close();
      }
    }, 120_000);

    it('the live heap grows by a small fraction of the rows (spool, spool with params, write back)', async () => {
      bundle ??= await bundleSql('spool-check');
      const report = await runChild({ SQL_BUNDLE: bundle.file, DB_DSN: d.dsn, SOURCE: source, TARGET: uniqueTable('big') });
      process.stdout.write(`${d.name}: ${JSON.stringify(report)}\n`);
      expect(report.spool.rows).toBe(ROWS);
      expect(report.write.rows).toBe(ROWS);
      expect(report.spoolWithParams.rows).toBe(ROWS);
      const size = report.spool.bytes; // ~30 MB; as row objects it would be several times more
      expect(report.spool.growth).toBeLessThan(size / 5);
      expect(report.write.growth).toBeLessThan(size / 5);
      expect(report.spoolWithParams.growth).toBeLessThan(size / 5);
    }, 120_000);
  });
}
