// Command-line flags of bench/run.mjs.
export const SCENARIOS = ['scenario1', 'scenario2', 'scenario3', 'scenario4', 'scenario5', 'scenario6', 'scenario7', 'scenario8', 'scenario9'];

export const USAGE = `Usage: pnpm bench [flags]     (or: node bench/run.mjs [flags] after pnpm build)

  --rows N          rows in the generated tables (default 1000000)
  --large           same as --rows 5000000
  --runs N          measured runs per tool, median reported (default 3; scenario 5 uses max(N, 10))
  --only LIST       comma-separated subset: scenario1..scenario9 (or 1..9), e.g. --only scenario1,scenario5
  --quick           smoke check: --rows 100000 --runs 1 (scenario 5: 3 runs)
  --profile         CPU-profile (node --cpu-prof) one extra run of every bigrays job, missed target or not
  --no-profile      profile nothing (default: one profiled run of each bigrays job that misses a target; none with --quick)
  --keep            keep the exported files and loaded tables (bench/data/out/, bench_load_*) for inspection
  --out FILE        where to write the markdown (default bench/RESULTS.md for a full run, bench/data/RESULTS.partial.md with --quick or --only)
  --help            this text

Scenarios:
  scenario1  PostgreSQL -> CSV file      bigrays SQLQuery(spool) -> ToCSV  vs psql \\copy (limit) and naive pg
  scenario2  MariaDB -> CSV file         bigrays SQLQuery(spool) -> ToCSV  vs mariadb --batch (limit) and naive mysql2
  scenario3  PostgreSQL -> S3 (moto)     bigrays SQLQuery(spool) -> ToS3   vs psql \\copy + aws s3 cp
  scenario4  CSV file -> PostgreSQL      bigrays (CSV -> Dataset) -> SQLWrite  vs psql \\copy from
  scenario5  start-up                    bigrays --version / plan / one-task job  vs node -e 0
  scenario6  planning                    generated 10,000-task chain: plan and run
  scenario7  Dataset -> Parquet          bigrays ToParquet(Dataset)  vs ToCSV of the same decoded rows (and ToCSV's file copy)
  scenario8  CSV libraries (in process)  bigrays CSV encoder/parser  vs @json2csv, csv-stringify, csv-parse, papaparse, udsv, csv-parser
                                         (rows capped at 200,000; also: node --expose-gc bench/csv-libraries.mjs)
  scenario9  run ledger                  one-task job with the default ledger vs BIGRAYS_STATE=off; 10,000-task chain with the ledger
`;

export function parseArgs(argv) {
  const opts = { rows: 1_000_000, runs: 3, only: [...SCENARIOS], quick: false, profile: undefined, keep: false, out: undefined, partial: false };
  let rowsGiven = false;
  let runsGiven = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const [flag, inline] = arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = () => {
      if (inline !== undefined) return inline;
      const next = argv[++i];
      if (next === undefined) throw new Error(`${flag} needs a value`);
      return next;
    };
    switch (flag) {
      case '--':
        break;
      case '--rows':
        opts.rows = positiveInt(flag, value());
        rowsGiven = true;
        break;
      case '--large':
        opts.rows = 5_000_000;
        rowsGiven = true;
        break;
      case '--runs':
        opts.runs = positiveInt(flag, value());
        runsGiven = true;
        break;
      case '--only':
        opts.only = value()
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean)
          .map((s) => (/^\d$/.test(s) ? `scenario${s}` : s));
        for (const s of opts.only) if (!SCENARIOS.includes(s)) throw new Error(`--only: unknown scenario ${s}; use ${SCENARIOS.join(', ')}`);
        opts.partial = true;
        break;
      case '--quick':
        opts.quick = true;
        break;
      case '--profile':
        opts.profile = 'all';
        break;
      case '--no-profile':
        opts.profile = 'none';
        break;
      case '--keep':
        opts.keep = true;
        break;
      case '--out':
        opts.out = value();
        break;
      case '--help':
      case '-h':
        opts.help = true;
        break;
      default:
        throw new Error(`unknown flag ${arg}\n\n${USAGE}`);
    }
  }
  if (opts.quick) {
    if (!rowsGiven) opts.rows = 100_000;
    if (!runsGiven) opts.runs = 1;
    opts.partial = true;
  }
  opts.profile ??= opts.quick ? 'none' : 'misses';
  opts.startupRuns = opts.quick && !runsGiven ? 3 : Math.max(opts.runs, 10);
  return opts;
}

function positiveInt(flag, text) {
  const n = Number(String(text).replace(/[_,]/g, ''));
  if (!Number.isInteger(n) || n <= 0) throw new Error(`${flag} needs a positive integer, got ${text}`);
  return n;
}
