// Scenarios 1 and 2: a database table → a CSV file, one scenario per database.
//   bigrays  SQLQuery(spool) → ToCSV   (bench/jobs/db-to-csv.ts, BIGRAYS_DB_DSN picks the database)
//   limit    the database's own export tool (psql \copy … csv header; mariadb --batch > file)
//   naive    the database's Node driver: every row in memory, CSV built in memory, written
import { join } from 'node:path';
import { rmSync, existsSync } from 'node:fs';
import { OUT_DIR, PG, MY, psqlArgs, mariadbArgs, fileSize, lineCount, sameBytes, firstDifference, BENCH_DIR } from '../env.mjs';
import { measureTools } from '../measure.mjs';
import { NODE, bigraysSpec, logFile, memoryTarget, profileRun, ratio, target, toolRow, fmtX, taskDurations, precompile } from './common.mjs';

/** What differs between the databases: everything else in the scenario is shared. */
const DATABASES = {
  postgres: {
    id: 'scenario1',
    title: 'PostgreSQL → CSV file',
    prefix: 's1',
    name: 'PG',
    dsn: PG.dsn,
    table: (ctx) => ctx.pgTable,
    limit: {
      key: 'psql',
      label: 'psql \\copy … csv header',
      short: 'psql \\copy',
      ext: 'csv',
      step: (query, file) => ({ cmd: 'psql', args: psqlArgs('-c', `\\copy (${query}) to '${file}' csv header`) }),
      output: 'psql CSV',
    },
    naive: { script: 'pg-to-csv.mjs', label: 'naive Node (pg, all in memory)' },
    speedTarget: 0.8,
    // psql writes CSV too: the files must be byte-identical.
    sameBytes: true,
    notes: [],
  },
  mariadb: {
    id: 'scenario2',
    title: 'MariaDB → CSV file',
    prefix: 's2',
    name: 'MariaDB',
    dsn: MY.dsn,
    table: (ctx) => ctx.myTable,
    limit: {
      key: 'mariadb',
      label: 'mariadb --batch > file',
      short: 'mariadb --batch',
      ext: 'tsv',
      step: (query, file) => ({ cmd: 'mariadb', args: mariadbArgs('--batch', '-e', query), stdout: file }),
      output: 'mariadb --batch output',
    },
    naive: { script: 'mysql-to-csv.mjs', label: 'naive Node (mysql2, all in memory)' },
    speedTarget: 0.5,
    sameBytes: false,
    notes: ['`mariadb --batch` writes tab-separated text, not CSV: the outputs are compared by line count only.'],
  },
};

/**
 * The three tools of a database's export scenario (its limit, bigrays, naive)
 * and where each writes, for `measureTools`.
 */
export function dbToCsvTools(db, ctx) {
  const { rows, built } = ctx;
  const table = db.table(ctx);
  const query = `select * from ${table}`;
  const files = {
    [db.limit.key]: join(OUT_DIR, `${db.prefix}-${db.limit.key}-${rows}.${db.limit.ext}`),
    bigrays: join(OUT_DIR, `${db.prefix}-bigrays-${rows}.csv`),
    naive: join(OUT_DIR, `${db.prefix}-naive-${rows}.csv`),
  };
  const bigraysJob = bigraysSpec({ job: 'db-to-csv.ts', params: { table, out: files.bigrays }, env: { BIGRAYS_DB_DSN: db.dsn }, log: `${db.prefix}-bigrays-${rows}.log` });
  const expectLines = (file) => () => {
    if (!existsSync(file)) return { error: `${file} was not written` };
    const lines = lineCount(file);
    return lines === rows + 1 ? undefined : { error: `${file} has ${lines} lines, expected ${rows + 1}` };
  };
  const tool = (key, steps, extra = {}) => ({ key, prepare: () => rmSync(files[key], { force: true }), steps, check: expectLines(files[key]), ...extra });
  const tools = [
    tool(db.limit.key, [{ ...db.limit.step(query, files[db.limit.key]), log: logFile(`${db.prefix}-${db.limit.key}-${rows}.log`) }]),
    tool('bigrays', [bigraysJob], { disabled: !built.sql }),
    tool('naive', [{ cmd: NODE, args: ['--max-old-space-size=16384', join(BENCH_DIR, 'lib/naive', db.naive.script), db.dsn, query, files.naive], log: logFile(`${db.prefix}-naive-${rows}.log`) }]),
  ];
  return { tools, files, bigraysJob };
}

async function runDbToCsv(db, ctx) {
  const { id, title } = db;
  const { rows, runs, built, onRun } = ctx;
  const notes = [...db.notes];
  const { tools, files, bigraysJob } = dbToCsvTools(db, ctx);
  if (!built.sql) notes.push('bigrays job not run: packages/sql/dist is missing (build @bigrays/sql first).');
  else precompile('db-to-csv.ts');
  const results = await measureTools(tools, { runs, onRun });

  const limitBytes = fileSize(files[db.limit.key]);
  const limit = toolRow({ key: db.limit.key, label: db.limit.label, role: 'limit', result: results.get(db.limit.key), rows, bytes: limitBytes });
  const naive = toolRow({ key: 'naive', label: db.naive.label, role: 'naive', result: results.get('naive'), rows, bytes: fileSize(files.naive) });
  const bigrays = toolRow({ key: 'bigrays', label: 'bigrays SQLQuery(spool) → ToCSV', role: 'bigrays', result: results.get('bigrays'), rows, bytes: fileSize(files.bigrays) });
  bigrays.vsLimit = ratio(bigrays, limit);
  bigrays.vsNaive = ratio(bigrays, naive);
  naive.vsLimit = ratio(naive, limit);
  bigrays.tasks = taskDurations(bigraysJob.log);

  const prefix = `${db.name} → CSV`;
  const targets = [
    target(`${prefix}: bigrays rows/s ≥ ${db.speedTarget}× ${db.limit.short}`, fmtX(bigrays.vsLimit), bigrays.vsLimit === undefined ? null : bigrays.vsLimit >= db.speedTarget, 'bigrays'),
    target(`${prefix}: bigrays rows/s ≥ 5× naive`, fmtX(bigrays.vsNaive), bigrays.vsNaive === undefined ? null : bigrays.vsNaive >= 5, 'bigrays'),
    memoryTarget(bigrays),
  ];

  const checks = [];
  if (bigrays.stats.ok && limit.stats.ok) {
    const a = lineCount(files.bigrays);
    const b = lineCount(files[db.limit.key]);
    checks.push({ label: `${db.name}: bigrays CSV and ${db.limit.output} have the same number of lines`, ok: a === b, detail: `${a} vs ${b}` });
    if (db.sameBytes) {
      const same = sameBytes(files.bigrays, files[db.limit.key]);
      checks.push({
        label: `${db.name}: bigrays CSV is byte-identical to ${db.limit.label}`,
        ok: same,
        detail: same ? `${limitBytes} bytes` : `differ (${fileSize(files.bigrays)} vs ${limitBytes} bytes): ${firstDifference(files.bigrays, files[db.limit.key])}`,
      });
    }
  }

  const profiles = [];
  if (ctx.shouldProfile(targets) && built.sql) profiles.push(await profileRun(`${db.prefix}-bigrays-${rows}`, bigraysJob));
  if (!ctx.keepOutputs) for (const f of Object.values(files)) rmSync(f, { force: true });
  return { id, title, rows, tools: [bigrays, limit, naive], targets, checks, notes, profiles };
}

/** One scenario module per database, as bench/run.mjs expects (id, title, run). */
const scenario = (db) => ({ id: db.id, title: db.title, run: (ctx) => runDbToCsv(db, ctx) });
export const postgresToCsv = scenario(DATABASES.postgres);
export const mariadbToCsv = scenario(DATABASES.mariadb);
