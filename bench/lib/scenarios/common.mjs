// Helpers shared by the scenarios: the bigrays command line, result rows, targets.
import { existsSync, readFileSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import { spawnSync } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { CLI, JOBS_DIR, LOG_DIR, PROFILE_DIR, ROOT } from '../env.mjs';
import { summarize, measureOnce } from '../measure.mjs';
import { summarizeProfile } from '../profile.mjs';

export const NODE = process.execPath;

/** A CommandSpec running `bigrays <job> --param k=v ...` with the built CLI. */
export function bigraysSpec({ job, params = {}, env = {}, log, args = [], nodeArgs = [] }) {
  const jobPath = job.startsWith('/') ? job : join(JOBS_DIR, job);
  return {
    cmd: NODE,
    args: [...nodeArgs, CLI, ...args, ...(jobPath ? [jobPath] : []), ...Object.entries(params).flatMap(([k, v]) => ['--param', `${k}=${v}`])],
    env,
    cwd: ROOT,
    log: log ? join(LOG_DIR, log) : undefined,
    timeoutMs: 60 * 60 * 1000,
  };
}

export const logFile = (name) => join(LOG_DIR, name);

/**
 * Task durations from the CLI's summary table in a run log:
 * "  Pull   succeeded  1.2 s   1,000,000 rows · 98 MiB".
 */
export function taskDurations(log) {
  if (!log || !existsSync(log)) return undefined;
  const text = readFileSync(log, 'utf8');
  const out = [];
  const re = /^\s{2}(\S+)\s+(succeeded|failed|skipped)\s+(\S+ \S+|-)(?:\s+(.*))?$/gm;
  for (const m of text.matchAll(re)) out.push({ task: m[1], status: m[2], duration: m[3], moved: m[4]?.trim() });
  return out.length ? out : undefined;
}

/**
 * One row of the report: summary statistics plus throughput.
 * `bytes` is what the tool wrote (or, for a load, read).
 */
export function toolRow({ key, label, role, result, rows, bytes, note }) {
  const stats = summarize(result);
  const row = { key, label, role, stats, rows, bytes, note };
  if (stats.ok) {
    row.rowsPerS = rows ? rows / stats.wallS : undefined;
    row.mbPerS = bytes ? bytes / 1e6 / stats.wallS : undefined;
  }
  return row;
}

/** rows/s of a over rows/s of b (= b's wall / a's wall), when both ran. */
export function ratio(a, b) {
  if (!a?.stats?.ok || !b?.stats?.ok) return undefined;
  return b.stats.wallS / a.stats.wallS;
}

export const target = (label, measured, pass, tool) => ({ label, measured, pass, tool });
export const fmtX = (r) => (r === undefined ? 'n/a' : `${r.toFixed(2)}×`);

/** Targets every export/load scenario shares: peak RSS under 200 MB. */
export function memoryTarget(row) {
  if (!row?.stats?.ok) return target(`${row?.label ?? 'bigrays'}: peak RSS < 200 MB`, 'not run', null, row?.key);
  return target(`${row.label}: peak RSS < 200 MB`, `${row.stats.rssMB.toFixed(0)} MB`, row.stats.rssMB < 200, row.key);
}

/**
 * Runs a CommandSpec once under `node --cpu-prof` and summarises the
 * profile (top self time). Only for specs whose command is node.
 */
export async function profileRun(name, spec) {
  const dir = join(PROFILE_DIR, name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const profiled = { ...spec, args: ['--cpu-prof', '--cpu-prof-dir', dir, ...spec.args], log: spec.log ? spec.log.replace(/\.log$/, '.profile.log') : undefined };
  const run = await measureOnce(profiled);
  const files = readdirSync(dir).filter((f) => f.endsWith('.cpuprofile')).sort();
  // The main thread's profile: CPU.<date>.<pid>.0.<seq>.cpuprofile
  const main = files.find((f) => /\.\d+\.0\.\d+\.cpuprofile$/.test(f)) ?? files[0];
  if (!main) return { name, error: `no profile written (${run.ok ? 'run ok' : `run failed: exit ${run.code}`})` };
  const summary = summarizeProfile(join(dir, main));
  return { name, file: relative(ROOT, join(dir, main)), wallS: run.wallS, ok: run.ok, tasks: taskDurations(profiled.log), ...summary };
}

/**
 * Compiles a TypeScript job into the CLI's compiled-job cache (untimed), so
 * that no measured run pays for esbuild; scenario 5 measures the cold case.
 */
export function precompile(job) {
  const jobPath = job.startsWith('/') ? job : join(JOBS_DIR, job);
  const compiler = join(ROOT, 'packages', 'core', 'dist', 'cli', 'compile-job.js');
  if (!existsSync(compiler)) return;
  const r = spawnSync(NODE, ['--input-type=module', '-e', `const { compileJob } = await import(${JSON.stringify(pathToFileURL(compiler).href)}); await compileJob(${JSON.stringify(jobPath)});`], { cwd: ROOT, encoding: 'utf8' });
  if (r.status !== 0) process.stderr.write(`[bench] could not precompile ${jobPath}: ${(r.stderr || '').trim().split('\n').slice(0, 5).join('\n')}\n`);
}
