#!/usr/bin/env node
// bigrays benchmark (issue 6). Plain Node ESM; run it with `pnpm bench` (builds first)
// or `node bench/run.mjs` after `pnpm build`. See `node bench/run.mjs --help`.
import { existsSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { loadavg } from 'node:os';
import { parseArgs, USAGE } from './lib/args.mjs';
import { BENCH_DIR, CLI, DATA_DIR, MY, PG, ROOT, builtPackages, ensureDirs, machineInfo, reachable } from './lib/env.mjs';
import { TIME } from './lib/measure.mjs';
import { ensureMyTable, ensurePgTable, ensureReferenceCsv } from './lib/data.mjs';
import { renderReport, resultsFile } from './lib/report.mjs';
import { postgresToCsv, mariadbToCsv } from './lib/scenarios/db-csv.mjs';
import * as pgS3 from './lib/scenarios/pg-s3.mjs';
import * as csvPg from './lib/scenarios/csv-pg.mjs';
import * as startup from './lib/scenarios/startup.mjs';
import * as planning from './lib/scenarios/planning.mjs';
import * as datasetParquet from './lib/scenarios/dataset-parquet.mjs';
import * as csvLibraries from './lib/scenarios/csv-libraries.mjs';
import * as ledger from './lib/scenarios/ledger.mjs';

const SCENARIOS = [
  { module: postgresToCsv, needs: ['pg'] },
  { module: mariadbToCsv, needs: ['mariadb'] },
  { module: pgS3, needs: ['pg'] },
  { module: csvPg, needs: ['pg'] },
  { module: startup, needs: [] },
  { module: planning, needs: [] },
  { module: datasetParquet, needs: ['pg'] },
  { module: csvLibraries, needs: [] },
  { module: ledger, needs: [] },
];

const argv = process.argv.slice(2);
let opts;
try {
  opts = parseArgs(argv);
} catch (err) {
  console.error(`bench: ${err.message}`);
  process.exit(2);
}
if (opts.help) {
  process.stdout.write(USAGE);
  process.exit(0);
}

const log = (msg) => process.stderr.write(`[bench] ${msg}\n`);

if (!existsSync(TIME)) {
  console.error(`bench: ${TIME} (GNU time) is required to measure peak RSS`);
  process.exit(2);
}
if (!existsSync(CLI)) {
  console.error(`bench: ${relative(ROOT, CLI)} is missing: run \`pnpm build\` (or \`pnpm --filter @bigrays/core build\`) first`);
  process.exit(2);
}
ensureDirs();
const built = builtPackages();
const services = { pg: await reachable(PG.host, PG.port), mariadb: await reachable(MY.host, MY.port) };
log(`N = ${opts.rows.toLocaleString('en-US')} rows, ${opts.runs} run(s) per tool, scenarios: ${opts.only.join(', ')}`);
log(`built: core ${built.core}, sql ${built.sql}, aws ${built.aws}; PostgreSQL ${services.pg ? 'up' : 'DOWN'}, MariaDB ${services.mariadb ? 'up' : 'DOWN'}`);
const machine = machineInfo();

// Tables are generated on first use, so --only scenario5 touches no database.
const memo = (fn) => {
  let value;
  return () => (value ??= fn());
};
const pgTable = memo(() => ensurePgTable(opts.rows, log).table);
const myTable = memo(() => ensureMyTable(opts.rows, log).table);
const referenceCsv = memo(() => {
  pgTable();
  return ensureReferenceCsv(opts.rows, log);
});

const ctx = {
  rows: opts.rows,
  runs: opts.runs,
  startupRuns: opts.startupRuns,
  built,
  log,
  keepOutputs: opts.keep,
  get pgTable() {
    return pgTable();
  },
  get myTable() {
    return myTable();
  },
  referenceCsv,
  profileAll: opts.profile === 'all',
  shouldProfile: (targets) => opts.profile === 'all' || (opts.profile === 'misses' && targets.some((t) => t.pass === false)),
  onRun: (tool, run, which) => {
    const what = run.ok ? `${run.wallS.toFixed(3)} s, peak RSS ${((run.rssKB * 1024) / 1e6).toFixed(0)} MB` : `FAILED: ${run.error}`;
    log(`  ${tool} ${which}: ${what}`);
  },
};

const scenarios = [];
for (const { module, needs } of SCENARIOS) {
  if (!opts.only.includes(module.id)) continue;
  const down = needs.filter((s) => !services[s]);
  if (down.length) {
    log(`${module.id} ${module.title}: skipped, ${down.join(', ')} unreachable`);
    scenarios.push({ id: module.id, title: module.title, tools: [], targets: [], checks: [], notes: [`skipped: ${down.join(', ')} unreachable`] });
    continue;
  }
  log(`${module.id}: ${module.title}`);
  const t0 = Date.now();
  const load = loadavg().map((x) => x.toFixed(2)).join(' ');
  try {
    scenarios.push({ ...(await module.run(ctx)), load });
  } catch (err) {
    log(`${module.id} failed: ${err.stack ?? err}`);
    scenarios.push({ id: module.id, title: module.title, tools: [], targets: [], checks: [], notes: [], error: String(err.message ?? err).split('\n')[0] });
  }
  log(`${module.id} done in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
}

const run = { machine, opts, argv, built, scenarios, loadEnd: loadavg().map((x) => x.toFixed(2)).join(' ') };
const markdown = renderReport(run);
const outFile = opts.out ?? (opts.partial ? join(DATA_DIR, 'RESULTS.partial.md') : join(BENCH_DIR, 'RESULTS.md'));
writeFileSync(outFile, markdown);
// Stored per N for the 1M-vs-5M memory comparison; a partial run does not replace a full one.
if (!opts.partial || !existsSync(resultsFile(opts.rows))) writeFileSync(resultsFile(opts.rows), JSON.stringify(run, null, 1));
process.stdout.write(`${markdown}\n`);
log(`written to ${relative(process.cwd(), outFile) || outFile}`);
