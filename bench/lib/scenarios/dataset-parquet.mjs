// Scenario 7: a 1M-row Dataset → Parquet vs → CSV (issue 13).
//   bigrays  bench/jobs/dataset-to-file.ts with BENCH_WRITE_AS = parquet | csv-rows | csv
// The Dataset is made from the reference CSV (scenario 4's input) in each run; the comparison is the Write
// task's duration (from the run log), plus whole-process peak RSS. `csv-rows` decodes and re-encodes the rows
// (the same per-row work as Parquet); `csv` is ToCSV's own Dataset path, a file copy, shown for information.
import { join } from 'node:path';
import { rmSync } from 'node:fs';
import { OUT_DIR, fileSize } from '../env.mjs';
import { measureTools } from '../measure.mjs';
import { bigraysSpec, precompile, profileRun, target, taskDurations, toolRow } from './common.mjs';

export const id = 'scenario7';
export const title = 'Dataset → Parquet vs → CSV';
const JOB = 'dataset-to-file.ts';

/** Seconds of the Write task in a run log ("12.3 s", "850 ms"). */
function writeSeconds(log) {
  const write = taskDurations(log)?.find((t) => t.task === 'Write');
  if (!write) return undefined;
  const [n, unit] = write.duration.split(' ');
  const v = Number(n.replace(/,/g, ''));
  return unit === 'ms' ? v / 1000 : unit === 'min' ? v * 60 : v;
}

export async function run(ctx) {
  const { rows, runs, built, onRun, log } = ctx;
  const input = ctx.referenceCsv();
  const outputs = { parquet: join(OUT_DIR, `ds-${rows}.parquet`), 'csv-rows': join(OUT_DIR, `ds-rows-${rows}.csv`), csv: join(OUT_DIR, `ds-copy-${rows}.csv`) };
  const specs = Object.fromEntries(
    Object.entries(outputs).map(([as, out]) => [
      as,
      bigraysSpec({ job: JOB, params: { in: input, out }, env: { BENCH_WRITE_AS: as }, log: `ds-${as}-${rows}.log` }),
    ]),
  );
  precompile(JOB);
  const tools = Object.keys(outputs).map((as) => ({ key: as, disabled: !built.core, prepare: () => rmSync(outputs[as], { force: true }), steps: [specs[as]] }));
  const results = await measureTools(tools, { runs, onRun });
  const labels = { parquet: 'bigrays Dataset → ToParquet', 'csv-rows': 'bigrays Dataset rows → ToCSV (re-encoded)', csv: 'bigrays Dataset → ToCSV (file copy)' };
  const rowsOut = Object.keys(outputs).map((as) => {
    const row = toolRow({ key: as, label: labels[as], role: as === 'parquet' ? 'bigrays' : 'reference', result: results.get(as), rows, bytes: fileSize(outputs[as]) });
    row.tasks = taskDurations(specs[as].log);
    row.writeS = writeSeconds(specs[as].log);
    row.note = row.writeS === undefined ? undefined : `Write task ${row.writeS.toFixed(2)} s; file ${(fileSize(outputs[as]) / 1e6).toFixed(1)} MB`;
    return row;
  });
  const [parquet, csvRows, csvCopy] = rowsOut;
  const targets = [];
  const within = parquet.writeS !== undefined && csvRows.writeS !== undefined ? parquet.writeS / csvRows.writeS : undefined;
  targets.push(
    target(
      'Parquet Write ≤ 2× the CSV Write of the same decoded rows',
      within === undefined ? 'not run' : `${within.toFixed(2)}× (${parquet.writeS.toFixed(2)} s vs ${csvRows.writeS.toFixed(2)} s)`,
      within === undefined ? null : within <= 2,
      'parquet',
    ),
  );
  targets.push(
    target('Dataset → Parquet: peak RSS < 300 MB', parquet.stats.ok ? `${parquet.stats.rssMB.toFixed(0)} MB` : 'not run', parquet.stats.ok ? parquet.stats.rssMB < 300 : null, 'parquet'),
  );
  const notes = [];
  if (csvCopy.writeS !== undefined && parquet.writeS !== undefined) {
    notes.push(`ToCSV of a Dataset copies its spool file (${csvCopy.writeS.toFixed(2)} s); Parquet must decode every value, so the fair comparison is the re-encoded CSV.`);
  }
  if (parquet.stats.ok && csvRows.stats.ok) {
    // On a shared machine wall time depends on what else runs; CPU time (user + sys, whole process) does not.
    notes.push(
      `CPU time (whole process, user + sys): Parquet ${parquet.stats.cpuS.toFixed(2)} s vs re-encoded CSV ${csvRows.stats.cpuS.toFixed(2)} s (${(parquet.stats.cpuS / csvRows.stats.cpuS).toFixed(2)}×).`,
    );
  }
  const profiles = [];
  if (ctx.shouldProfile(targets) && built.core) profiles.push(await profileRun(`ds-parquet-${rows}`, specs.parquet));
  if (!ctx.keepOutputs) for (const f of Object.values(outputs)) rmSync(f, { force: true });
  return { id, title, rows, tools: rowsOut, targets, checks: [], notes, profiles };
}
