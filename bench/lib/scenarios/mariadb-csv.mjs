// Scenario 2: MariaDB → CSV file.
//   bigrays  SQLQuery(spool) → ToCSV      (bench/jobs/db-to-csv.ts, BIGRAYS_DB_DSN=mysql://…)
//   limit    mariadb --batch -e "select ..." > file  (tab-separated, one line per row)
//   naive    mysql2: every row in memory, CSV built in memory, written
import { join } from 'node:path';
import { rmSync, existsSync } from 'node:fs';
import { OUT_DIR, MY, mariadbArgs, fileSize, lineCount, BENCH_DIR } from '../env.mjs';
import { measureTools } from '../measure.mjs';
import { NODE, bigraysSpec, logFile, memoryTarget, profileRun, ratio, target, toolRow, fmtX, taskDurations } from './common.mjs';
import { precompile } from './common.mjs';

export const id = 'scenario2';
export const title = 'MariaDB → CSV file';

export async function run(ctx) {
  const { rows, runs, built, onRun } = ctx;
  const table = ctx.myTable;
  const query = `select * from ${table}`;
  const out = (name, ext = 'csv') => join(OUT_DIR, `s2-${name}-${rows}.${ext}`);
  const notes = ['`mariadb --batch` writes tab-separated text, not CSV: the outputs are compared by line count only.'];
  const bigraysJob = bigraysSpec({ job: 'db-to-csv.ts', params: { table, out: out('bigrays') }, env: { BIGRAYS_DB_DSN: MY.dsn }, log: `s2-bigrays-${rows}.log` });
  const expectLines = (file) => () => {
    if (!existsSync(file)) return { error: `${file} was not written` };
    const lines = lineCount(file);
    return lines === rows + 1 ? undefined : { error: `${file} has ${lines} lines, expected ${rows + 1}` };
  };
  const tools = [
    {
      key: 'mariadb',
      steps: [{ cmd: 'mariadb', args: mariadbArgs('--batch', '-e', query), stdout: out('mariadb', 'tsv'), log: logFile(`s2-mariadb-${rows}.log`) }],
      check: expectLines(out('mariadb', 'tsv')),
    },
    {
      key: 'bigrays',
      disabled: !built.sql,
      prepare: () => rmSync(out('bigrays'), { force: true }),
      steps: [bigraysJob],
      check: expectLines(out('bigrays')),
    },
    {
      key: 'naive',
      prepare: () => rmSync(out('naive'), { force: true }),
      steps: [{ cmd: NODE, args: ['--max-old-space-size=16384', join(BENCH_DIR, 'lib/naive/mysql-to-csv.mjs'), MY.dsn, query, out('naive')], log: logFile(`s2-naive-${rows}.log`) }],
      check: expectLines(out('naive')),
    },
  ];
  if (!built.sql) notes.push('bigrays job not run: packages/sql/dist is missing (build @bigrays/sql first).');
  if (!tools.find((t) => t.key === 'bigrays').disabled) precompile('db-to-csv.ts');
  const results = await measureTools(tools, { runs, onRun });

  const limit = toolRow({ key: 'mariadb', label: 'mariadb --batch > file', role: 'limit', result: results.get('mariadb'), rows, bytes: fileSize(out('mariadb', 'tsv')) });
  const naive = toolRow({ key: 'naive', label: 'naive Node (mysql2, all in memory)', role: 'naive', result: results.get('naive'), rows, bytes: fileSize(out('naive')) });
  const bigrays = toolRow({ key: 'bigrays', label: 'bigrays SQLQuery(spool) → ToCSV', role: 'bigrays', result: results.get('bigrays'), rows, bytes: fileSize(out('bigrays')) });
  bigrays.vsLimit = ratio(bigrays, limit);
  bigrays.vsNaive = ratio(bigrays, naive);
  naive.vsLimit = ratio(naive, limit);
  bigrays.tasks = taskDurations(bigraysJob.log);

  const targets = [
    target('MariaDB → CSV: bigrays rows/s ≥ 0.5× mariadb --batch', fmtX(bigrays.vsLimit), bigrays.vsLimit === undefined ? null : bigrays.vsLimit >= 0.5, 'bigrays'),
    target('MariaDB → CSV: bigrays rows/s ≥ 5× naive', fmtX(bigrays.vsNaive), bigrays.vsNaive === undefined ? null : bigrays.vsNaive >= 5, 'bigrays'),
    memoryTarget(bigrays),
  ];
  const checks = [];
  if (bigrays.stats.ok && limit.stats.ok) {
    const a = lineCount(out('bigrays'));
    const b = lineCount(out('mariadb', 'tsv'));
    checks.push({ label: 'MariaDB: bigrays CSV and mariadb --batch output have the same number of lines', ok: a === b, detail: `${a} vs ${b}` });
  }
  const profiles = [];
  if (ctx.shouldProfile(targets) && built.sql) profiles.push(await profileRun(`s2-bigrays-${rows}`, bigraysJob));
  if (!ctx.keepOutputs) for (const f of [out('mariadb', 'tsv'), out('bigrays'), out('naive')]) rmSync(f, { force: true });
  return { id, title, rows, tools: [bigrays, limit, naive], targets, checks, notes, profiles };
}
