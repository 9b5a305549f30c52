// Markdown report of a benchmark run.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DATA_DIR } from './env.mjs';
import { formatProfile } from './profile.mjs';

const n0 = (x) => (x === undefined || Number.isNaN(x) ? '–' : Math.round(x).toLocaleString('en-US'));
const f2 = (x) => (x === undefined || Number.isNaN(x) ? '–' : x.toFixed(2));
const f0 = (x) => (x === undefined || Number.isNaN(x) ? '–' : x.toFixed(0));
const x2 = (x) => (x === undefined || Number.isNaN(x) ? '–' : `${x.toFixed(2)}×`);
const verdict = (pass) => (pass === true ? '**PASS**' : pass === false ? '**MISS**' : 'not measured');
const esc = (s) => String(s).replace(/\|/g, '\\|').replace(/\n/g, ' ');

const SMALL = 1_000_000;
const LARGE = 5_000_000;
const MEMORY_SCENARIOS = ['scenario1', 'scenario2', 'scenario3', 'scenario4'];

export const resultsFile = (rows) => join(DATA_DIR, `results-${rows}.json`);

/** Peak RSS of each bigrays export/load job at 1M and 5M rows (this run plus the stored run of the other size). */
export function memoryScaling(current) {
  const n = current.opts.rows;
  const other = n === SMALL ? LARGE : n === LARGE ? SMALL : undefined;
  if (other === undefined || !existsSync(resultsFile(other))) return { other, rows: [] };
  const stored = JSON.parse(readFileSync(resultsFile(other), 'utf8'));
  const small = n === SMALL ? current : stored;
  const large = n === LARGE ? current : stored;
  const rss = (run, id) => run.scenarios.find((s) => s.id === id)?.tools?.find((t) => t.role === 'bigrays')?.stats;
  const rows = [];
  for (const id of MEMORY_SCENARIOS) {
    const a = rss(small, id);
    const b = rss(large, id);
    if (!a?.ok || !b?.ok) continue;
    const title = current.scenarios.find((s) => s.id === id)?.title ?? stored.scenarios.find((s) => s.id === id)?.title;
    const change = b.rssMB / a.rssMB - 1;
    rows.push({ id, title, smallMB: a.rssMB, largeMB: b.rssMB, change, pass: Math.abs(change) <= 0.2 });
  }
  return { other, otherDate: stored.machine?.date, rows };
}

export function renderReport(run) {
  const { machine, opts, scenarios } = run;
  const out = [];
  const rowsText = opts.rows.toLocaleString('en-US');
  out.push('# bigrays benchmark results', '');
  out.push(
    `N = **${rowsText} rows** × 10 columns · median of **${opts.runs}** run(s) per tool (start-up: ${opts.startupRuns}) · ${machine.date}${opts.quick ? ' · **--quick smoke run**' : ''}`,
    '',
    `Machine: ${machine.cpuModel}, ${machine.cores} cores, ${machine.memGiB} GiB RAM · Node ${machine.node} · PostgreSQL ${machine.postgres} (${machine.psql}) · MariaDB ${machine.mariadb} (${machine.mariadbClient}) · ${machine.awsCli.split(' ')[0]} · bigrays ${machine.bigrays} @ ${machine.commit}`,
    '',
    `Load average (1/5/15 min) at start ${machine.load}, at end ${run.loadEnd ?? '?'}${scenarios.some((s) => s.load) ? ` (per scenario at its start: ${scenarios.filter((s) => s.load).map((s) => `${s.id.replace('scenario', '#')} ${s.load.split(' ')[0]}`).join(', ')})` : ''}. Every process shares the ${machine.cores} cores with whatever else runs; a 1-minute load above ~1 makes the figures noisy.`,
    '',
    ...(busy(run) ? [`> **Warning: the machine was busy** (1-minute load ${busy(run)} on ${machine.cores} cores while measuring): wall times and ratios are noisy; CPU s is the steadier figure. Re-run when the machine is idle for reference numbers.`, ''] : []),
    `Command: \`${['node bench/run.mjs', ...run.argv].join(' ')}\`${run.built ? ` · built: core ${run.built.core ? '✓' : '✗'}, sql ${run.built.sql ? '✓' : '✗'}, aws ${run.built.aws ? '✓' : '✗'}` : ''}`,
    '',
  );

  // Targets
  const scaling = memoryScaling(run);
  const allTargets = scenarios.flatMap((s) => (s.targets ?? []).map((t) => ({ ...t, scenario: s.id })));
  out.push('## Targets', '', '| scenario | target | measured | result |', '|---|---|---|---|');
  for (const t of allTargets) out.push(`| ${t.scenario.replace('scenario', '')} | ${esc(t.label)} | ${esc(t.measured)} | ${verdict(t.pass)} |`);
  if (scaling.rows.length) {
    for (const r of scaling.rows) {
      out.push(`| ${r.id.replace('scenario', '')} | ${esc(r.title)}: bigrays peak RSS at 5M within 20% of 1M | ${f0(r.smallMB)} → ${f0(r.largeMB)} MB (${pctChange(r.change)}) | ${verdict(r.pass)} |`);
    }
  } else {
    out.push(`| 1–4 | bigrays peak RSS at 5M rows within 20% of 1M | needs a stored run at ${scaling.other ? scaling.other.toLocaleString('en-US') : '1,000,000 and 5,000,000'} rows (\`pnpm bench\` and \`pnpm bench --large\`) | not measured |`);
  }
  const pass = allTargets.filter((t) => t.pass === true).length + scaling.rows.filter((r) => r.pass).length;
  const miss = allTargets.filter((t) => t.pass === false).length + scaling.rows.filter((r) => !r.pass).length;
  const unmeasured = allTargets.filter((t) => t.pass === null || t.pass === undefined).length;
  out.push('', `**${pass} PASS · ${miss} MISS${unmeasured ? ` · ${unmeasured} not measured` : ''}**`, '');

  // Exports and loads
  const data = scenarios.filter((s) => s.kind !== 'startup' && s.tools?.length);
  if (data.length) {
    out.push('## Exports and loads', '');
    out.push('| # | scenario | tool | median wall s | rows/s | MB/s | peak RSS MB | CPU s | vs limit | vs naive | targets |', '|---|---|---|--:|--:|--:|--:|--:|--:|--:|---|');
    for (const s of data) {
      for (const t of s.tools) {
        const st = t.stats;
        const tg = (s.targets ?? []).filter((x) => x.tool === t.key).map((x) => `${x.pass === true ? 'PASS' : x.pass === false ? 'MISS' : '–'} ${shortTarget(x.label)}`);
        const role = t.role === 'limit' ? ' *(limit)*' : t.role === 'naive' ? ' *(naive)*' : '';
        if (!st.ok) {
          out.push(`| ${s.id.replace('scenario', '')} | ${esc(s.title)} | ${esc(t.label)}${role} | ${st.error === 'not run' ? 'not run' : 'failed'} | | | | | | | ${tg.join('; ')} |`);
          continue;
        }
        out.push(
          `| ${s.id.replace('scenario', '')} | ${esc(s.title)} | ${esc(t.label)}${role} | ${f2(st.wallS)} | ${n0(t.rowsPerS)} | ${f0(t.mbPerS)} | ${f0(st.rssMB)} | ${f2(st.cpuS)} | ${t.role === 'limit' ? '1.00×' : x2(t.vsLimit)} | ${t.role === 'bigrays' ? x2(t.vsNaive) : ''} | ${tg.join('; ')} |`,
        );
      }
    }
    out.push('', 'rows/s = N ÷ median wall time; MB/s = bytes written (loads: CSV bytes read) ÷ median wall, 1 MB = 10⁶ bytes; peak RSS = the largest of the runs (GNU time, the client process only; for psql+aws the larger of the two); CPU = user+sys of the client; vs limit = rows/s ÷ the limit\'s rows/s (higher is better).', '');
  }

  // Start-up and planning
  const startup = scenarios.filter((s) => s.kind === 'startup' && s.tools?.length);
  if (startup.length) {
    out.push('## Start-up and planning', '');
    out.push('| # | command | median wall ms | min–max ms | peak RSS MB | vs `node -e 0` | targets | detail |', '|---|---|--:|--:|--:|--:|---|---|');
    for (const s of startup) {
      for (const t of s.tools) {
        const st = t.stats;
        const tg = (s.targets ?? []).filter((x) => x.tool === t.key).map((x) => `${x.pass === true ? 'PASS' : x.pass === false ? 'MISS' : '–'} ${shortTarget(x.label)}`);
        if (!st.ok) {
          out.push(`| ${s.id.replace('scenario', '')} | ${esc(t.label)} | ${st.error === 'not run' ? 'not run' : 'failed'} | | | | ${tg.join('; ')} | |`);
          continue;
        }
        out.push(`| ${s.id.replace('scenario', '')} | ${esc(t.label)} | ${f0(st.wallS * 1000)} | ${f0(st.minWallS * 1000)}–${f0(st.maxWallS * 1000)} | ${f0(st.rssMB)} | ${t.vsNode ? x2(t.vsNode) : t.role === 'limit' ? '1.00×' : ''} | ${tg.join('; ')} | ${esc(t.note ?? '')} |`);
      }
    }
    out.push('');
  }

  // Memory scaling detail
  if (scaling.rows.length) {
    out.push(`## Peak memory at 1M vs 5M rows`, '', `The other size is the stored run of ${scaling.otherDate ?? 'an earlier date'} (bench/data/results-${scaling.other}.json).`, '');
    out.push('| scenario | bigrays peak RSS at 1M (MB) | at 5M (MB) | change | within 20% |', '|---|--:|--:|--:|---|');
    for (const r of scaling.rows) out.push(`| ${esc(r.title)} | ${f0(r.smallMB)} | ${f0(r.largeMB)} | ${pctChange(r.change)} | ${verdict(r.pass)} |`);
    out.push('');
  }

  // Task breakdown
  const breakdown = data.flatMap((s) => s.tools.filter((t) => t.tasks?.length).map((t) => ({ s, t })));
  const withNotes = data.flatMap((s) => s.tools.filter((t) => t.note).map((t) => ({ s, t })));
  if (breakdown.length || withNotes.length) {
    out.push('## Where the time goes', '');
    for (const { s, t } of breakdown) out.push(`- ${s.title}, ${t.label} (last run, CLI summary): ${taskList(t.tasks, true)}`);
    for (const { s, t } of withNotes) out.push(`- ${s.title}, ${t.label}: ${t.note}`);
    out.push('');
  }

  // Checks
  const checks = scenarios.flatMap((s) => s.checks ?? []);
  if (checks.length) {
    out.push('## Correctness checks', '', '| check | result | detail |', '|---|---|---|');
    for (const c of checks) out.push(`| ${esc(c.label)} | ${c.ok ? 'OK' : '**DIFFERS**'} | ${esc(c.detail ?? '')} |`);
    out.push('');
  }

  // Failures, notes
  const failures = scenarios.flatMap((s) => (s.tools ?? []).filter((t) => !t.stats.ok && t.stats.error !== 'not run').map((t) => `- ${s.title}, ${t.label}: ${t.stats.error.split('\n')[0]}`));
  const errors = scenarios.filter((s) => s.error).map((s) => `- ${s.title}: ${s.error}`);
  const notes = scenarios.flatMap((s) => (s.notes ?? []).map((n) => `- ${s.title}: ${n}`));
  if (failures.length || errors.length || notes.length) out.push('## Notes', '', ...errors, ...failures, ...notes, '');

  // Profiles
  const profiles = scenarios.flatMap((s) => (s.profiles ?? []).map((p) => ({ s, p })));
  if (profiles.length) {
    out.push('## CPU profiles', '', 'One extra run under `node --cpu-prof` (main thread only; time the process spends waiting for the database or the disk is "(idle)"). Summarise any profile again with `node bench/lib/profile.mjs <file>`.', '');
    for (const { s, p } of profiles) {
      out.push(`### ${s.title}: ${p.name}`, '');
      if (p.error) {
        out.push(p.error, '');
        continue;
      }
      out.push(`\`${p.file}\`, wall ${f2(p.wallS)} s${p.tasks ? ` · ${taskList(p.tasks, false)}` : ''}`, '', '```', formatProfile(p), '```', '');
    }
  }

  // Scenarios that measure in process (scenario 8) bring their own tables.
  for (const s of scenarios.filter((x) => x.markdown)) out.push(s.markdown, '');

  out.push(
    '## How to run',
    '',
    '`pnpm bench` (1M rows, 3 runs) · `pnpm bench --large` (5M rows) · `pnpm bench --quick` (100k rows, 1 run; writes bench/data/RESULTS.partial.md) · `pnpm bench --only scenario1,scenario5` · `pnpm bench --runs 5` · `--no-profile` · see `node bench/run.mjs --help`.',
    '',
  );
  return out.join('\n');
}

/** +8%, -3%, 0% */
function pctChange(c) {
  const p = Math.round(c * 100);
  return `${p > 0 ? '+' : ''}${p}%`;
}

/** "Pull 1.5 s (1,000,000 rows · 98 MiB) · Write 225 ms", at most 6 tasks. */
function taskList(tasks, moved) {
  const shown = tasks.slice(0, 6).map((x) => `${x.task} ${x.duration}${moved && x.moved ? ` (${x.moved})` : ''}`);
  if (tasks.length > 6) shown.push(`… ${tasks.length - 6} more tasks`);
  return shown.join(' · ');
}

/** The highest 1-minute load seen, when it exceeds half the cores (else ''). */
function busy(run) {
  const loads = [run.machine.load, run.loadEnd, ...run.scenarios.map((s) => s.load)].filter(Boolean).map((l) => Number(String(l).split(' ')[0]));
  const max = Math.max(...loads);
  return max > run.machine.cores / 2 ? `up to ${max.toFixed(1)}` : '';
}

function shortTarget(label) {
  // "PG → CSV: bigrays rows/s ≥ 0.8× psql \copy" → "rows/s ≥ 0.8× psql \copy"
  return esc(label.replace(/^[^:]*:\s*/, '').replace(/^bigrays\s+/, '').replace(/^bigrays SQLWrite\s+/, ''));
}
