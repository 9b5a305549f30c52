// Scenario 1: PostgreSQL → CSV file.
//   bigrays  SQLQuery(spool) → ToCSV      (bench/jobs/db-to-csv.ts)
//   limit    psql \copy (select ...) to file csv header
//   naive    pg: every row in memory, CSV built in memory, written
import { join } from 'node:path';
import { rmSync, existsSync } from 'node:fs';
import { OUT_DIR, PG, psqlArgs, fileSize, lineCount, sameBytes, firstDifference, BENCH_DIR } from '../env.mjs';
import { measureTools } from '../measure.mjs';
import { NODE, bigraysSpec, logFile, memoryTarget, profileRun, ratio, target, toolRow, fmtX, taskDurations } from './common.mjs';
import { precompile } from './common.mjs';

export const id = 'scenario1';
export const title = 'PostgreSQL → CSV file';

export async function run(ctx) {
  const { rows, runs, built, onRun } = ctx;
  const table = ctx.pgTable;
  const query = `select * from ${table}`;
  const out = (name) => join(OUT_DIR, `s1-${name}-${rows}.csv`);
  const notes = [];
  const bigraysJob = bigraysSpec({ job: 'db-to-csv.ts', params: { table, out: out('bigrays') }, env: { BIGRAYS_DB_DSN: PG.dsn }, log: `s1-bigrays-${rows}.log` });
  const expectLines = (file) => () => {
    if (!existsSync(file)) return { error: `${file} was not written` };
    const lines = lineCount(file);
    return lines === rows + 1 ? undefined : { error: `${file} has ${lines} lines, expected ${rows + 1}` };
  };
  const tools = [
    {
      key: 'psql',
      prepare: () => rmSync(out('psql'), { force: true }),
      steps: [{ cmd: 'psql', args: psqlArgs('-c', `\\copy (${query}) to '${out('psql')}' csv header`), log: logFile(`s1-psql-${rows}.log`) }],
      check: expectLines(out('psql')),
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
      steps: [{ cmd: NODE, args: ['--max-old-space-size=16384', join(BENCH_DIR, 'lib/naive/pg-to-csv.mjs'), PG.dsn, query, out('naive')], log: logFile(`s1-naive-${rows}.log`) }],
      check: expectLines(out('naive')),
    },
  ];
  if (!built.sql) notes.push('bigrays job not run: packages/sql/dist is missing (build @bigrays/sql first).');
  if (!tools.find((t) => t.key === 'bigrays').disabled) precompile('db-to-csv.ts');
  const results = await measureTools(tools, { runs, onRun });

  const psqlBytes = fileSize(out('psql'));
  const limit = toolRow({ key: 'psql', label: 'psql \\copy … csv header', role: 'limit', result: results.get('psql'), rows, bytes: psqlBytes });
  const naive = toolRow({ key: 'naive', label: 'naive Node (pg, all in memory)', role: 'naive', result: results.get('naive'), rows, bytes: fileSize(out('naive')) });
  const bigrays = toolRow({ key: 'bigrays', label: 'bigrays SQLQuery(spool) → ToCSV', role: 'bigrays', result: results.get('bigrays'), rows, bytes: fileSize(out('bigrays')) });
  bigrays.vsLimit = ratio(bigrays, limit);
  bigrays.vsNaive = ratio(bigrays, naive);
  naive.vsLimit = ratio(naive, limit);
  bigrays.tasks = taskDurations(bigraysJob.log);

  const targets = [
    target('PG → CSV: bigrays rows/s ≥ 0.8× psql \\copy', fmtX(bigrays.vsLimit), bigrays.vsLimit === undefined ? null : bigrays.vsLimit >= 0.8, 'bigrays'),
    target('PG → CSV: bigrays rows/s ≥ 5× naive', fmtX(bigrays.vsNaive), bigrays.vsNaive === undefined ? null : bigrays.vsNaive >= 5, 'bigrays'),
    memoryTarget(bigrays),
  ];

  const checks = [];
  if (bigrays.stats.ok && limit.stats.ok) {
    const a = lineCount(out('bigrays'));
    const b = lineCount(out('psql'));
    checks.push({ label: 'PG: bigrays CSV and psql CSV have the same number of lines', ok: a === b, detail: `${a} vs ${b}` });
    const same = sameBytes(out('bigrays'), out('psql'));
    checks.push({
      label: 'PG: bigrays CSV is byte-identical to psql \\copy csv header',
      ok: same,
      detail: same ? `${psqlBytes} bytes` : `differ (${fileSize(out('bigrays'))} vs ${psqlBytes} bytes): ${firstDifference(out('bigrays'), out('psql'))}`,
    });
  }

  const profiles = [];
  if (ctx.shouldProfile(targets) && built.sql) profiles.push(await profileRun(`s1-bigrays-${rows}`, bigraysJob));
  if (!ctx.keepOutputs) for (const n of ['psql', 'bigrays', 'naive']) rmSync(out(n), { force: true });
  return { id, title, rows, tools: [bigrays, limit, naive], targets, checks, notes, profiles };
}
