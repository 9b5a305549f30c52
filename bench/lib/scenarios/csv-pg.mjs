// Scenario 4: CSV file → PostgreSQL (a new table each run).
//   bigrays  CSV file → Dataset → SQLWrite(ifExists='replace')   (bench/jobs/csv-to-pg.ts)
//   limit    psql: drop/create the table, then \copy … from file csv header
// The CSV is the psql export of the bench table (bench/data/rows-N.csv).
import { PG, psqlArgs, pgSql, fileSize } from '../env.mjs';
import { measureTools } from '../measure.mjs';
import { bigraysSpec, logFile, memoryTarget, profileRun, ratio, target, toolRow, fmtX, taskDurations } from './common.mjs';
import { precompile } from './common.mjs';

export const id = 'scenario4';
export const title = 'CSV file → PostgreSQL';

const QUIET = { PGOPTIONS: '-c client_min_messages=warning' };

export async function run(ctx) {
  const { rows, runs, built, onRun } = ctx;
  const source = ctx.pgTable;
  const csv = ctx.referenceCsv();
  const refTable = 'bench_load_psql';
  const bigTable = 'bench_load_bigrays';
  const notes = [];
  const bigraysJob = bigraysSpec({ job: 'csv-to-pg.ts', params: { in: csv, table: bigTable }, env: { BIGRAYS_DB_DSN: PG.dsn }, log: `s4-bigrays-${rows}.log` });
  const expectCount = (table) => () => {
    const n = Number(pgSql(`select count(*) from ${table}`));
    return n === rows ? undefined : { error: `${table} has ${n} rows, expected ${rows}` };
  };
  const tools = [
    {
      key: 'psql',
      steps: [
        {
          cmd: 'psql',
          args: psqlArgs('-c', `DROP TABLE IF EXISTS ${refTable}`, '-c', `CREATE TABLE ${refTable} (LIKE ${source})`, '-c', `\\copy ${refTable} from '${csv}' csv header`),
          env: QUIET,
          log: logFile(`s4-psql-${rows}.log`),
        },
      ],
      check: expectCount(refTable),
    },
    { key: 'bigrays', disabled: !built.sql, steps: [bigraysJob], check: expectCount(bigTable) },
  ];
  if (!built.sql) notes.push('bigrays job not run: packages/sql/dist is missing (build @bigrays/sql first).');
  if (!tools.find((t) => t.key === 'bigrays').disabled) precompile('csv-to-pg.ts');
  const results = await measureTools(tools, { runs, onRun });

  const bytes = fileSize(csv);
  const limit = toolRow({ key: 'psql', label: 'psql \\copy … from file csv header', role: 'limit', result: results.get('psql'), rows, bytes });
  const bigrays = toolRow({ key: 'bigrays', label: 'bigrays CSV → Dataset → SQLWrite', role: 'bigrays', result: results.get('bigrays'), rows, bytes });
  bigrays.vsLimit = ratio(bigrays, limit);
  bigrays.tasks = taskDurations(bigraysJob.log);
  const targets = [
    target('CSV → PG: bigrays SQLWrite rows/s ≥ 0.5× psql \\copy from', fmtX(bigrays.vsLimit), bigrays.vsLimit === undefined ? null : bigrays.vsLimit >= 0.5, 'bigrays'),
    memoryTarget(bigrays),
  ];
  const checks = [];
  if (bigrays.stats.ok && limit.stats.ok) checks.push(...compareTables(refTable, bigTable));
  const profiles = [];
  if (ctx.shouldProfile(targets) && built.sql) profiles.push(await profileRun(`s4-bigrays-${rows}`, bigraysJob));
  if (!ctx.keepOutputs) pgSql(`DROP TABLE IF EXISTS ${refTable}; DROP TABLE IF EXISTS ${bigTable}`);
  return { id, title, rows, tools: [bigrays, limit], targets, checks, notes, profiles };
}

/** Column types and a per-column content fingerprint (sum of hashtext of the text form) of the two loaded tables. */
function compareTables(a, b) {
  const types = (t) =>
    Object.fromEntries(
      pgSql(`select attname || '=' || format_type(atttypid, atttypmod) from pg_attribute where attrelid = '${t}'::regclass and attnum > 0 and not attisdropped order by attnum`)
        .split('\n')
        .map((l) => l.split('=')),
    );
  const ta = types(a);
  const tb = types(b);
  const cols = Object.keys(ta);
  const typeDiffs = cols.filter((c) => ta[c] !== tb[c]).map((c) => `${c}: ${tb[c] ?? 'missing'} (psql table: ${ta[c]})`);
  // Timestamps compare as epoch seconds, so timestamp vs timestamptz (session time zone UTC) is not a difference of content.
  const expr = (c, type) => (/^timestamp/.test(type ?? '') ? `extract(epoch from ${c})::text` : `${c}::text`);
  const fp = (t, types) => pgSql(`select ${cols.map((c) => `coalesce(sum(hashtext(${expr(c, types[c])})::bigint), 0) || ':' || count(${c})`).join(` || ',' || `)} from ${t}`).split(',');
  const fa = fp(a, ta);
  let fb;
  try {
    fb = fp(b, tb);
  } catch (err) {
    fb = cols.map(() => 'error');
  }
  const contentDiffs = cols.filter((c, i) => fa[i] !== fb[i]);
  return [
    { label: 'CSV → PG: bigrays table has the columns and types of the source table', ok: typeDiffs.length === 0, detail: typeDiffs.length ? typeDiffs.join('; ') : `${cols.length} columns` },
    {
      label: 'CSV → PG: both loaded tables have the same content (per-column fingerprint of the text form; timestamps as epoch)',
      ok: contentDiffs.length === 0,
      detail: contentDiffs.length ? `differs in: ${contentDiffs.join(', ')}${typeDiffs.length ? ' (types differ, so text forms may too)' : ''}` : 'identical',
    },
  ];
}
