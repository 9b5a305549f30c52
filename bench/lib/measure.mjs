// Runs one command as its own process under GNU time and measures it.
//
// Wall time comes from process.hrtime around spawn → exit (microseconds; GNU
// time's own wall clock has 10 ms resolution), peak RSS and CPU time from
// `/usr/bin/time -v` (ru_maxrss of the child and its waited-for descendants,
// i.e. the largest process of a pipeline).
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';

export const TIME = '/usr/bin/time';

/**
 * @typedef {object} CommandSpec
 * @property {string} cmd
 * @property {string[]} args
 * @property {Record<string,string>} [env]   added to process.env
 * @property {string} [cwd]
 * @property {string} [stdout]   file to write the command's stdout to (default: discarded)
 * @property {string} [log]      file for the command's stderr (default: discarded)
 * @property {boolean} [captureStdout]  return stdout as a string (small outputs only)
 * @property {number} [timeoutMs]
 */

/** Runs a command once; resolves to { wallS, rssKB, userS, sysS, code, ok }. Never rejects for a failed command. */
export function measureOnce(spec) {
  const timeFile = join(tmpdir(), `bigrays-bench-time-${process.pid}-${Math.random().toString(36).slice(2)}.txt`);
  const fds = [];
  const open = (path) => {
    const fd = openSync(path, 'w');
    fds.push(fd);
    return fd;
  };
  const stdout = spec.captureStdout ? 'pipe' : spec.stdout ? open(spec.stdout) : 'ignore';
  const stderr = spec.log ? open(spec.log) : 'ignore';
  return new Promise((resolve) => {
    const t0 = process.hrtime.bigint();
    const child = spawn(TIME, ['-v', '-o', timeFile, spec.cmd, ...spec.args], {
      cwd: spec.cwd,
      env: { ...process.env, ...spec.env },
      stdio: ['ignore', stdout, stderr],
    });
    let out = '';
    if (spec.captureStdout) child.stdout.on('data', (d) => (out += d));
    let timer;
    if (spec.timeoutMs) timer = setTimeout(() => child.kill('SIGKILL'), spec.timeoutMs);
    let wallS;
    child.on('exit', () => {
      wallS = Number(process.hrtime.bigint() - t0) / 1e9;
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      for (const fd of fds) closeSync(fd);
      const t = parseTimeFile(timeFile);
      rmSync(timeFile, { force: true });
      const exit = t.exitStatus ?? code;
      resolve({
        wallS,
        rssKB: t.rssKB,
        userS: t.userS,
        sysS: t.sysS,
        code: exit,
        signal: signal ?? t.signal,
        ok: code === 0 && exit === 0,
        stdout: spec.captureStdout ? out : undefined,
      });
    });
    child.on('error', (err) => {
      clearTimeout(timer);
      for (const fd of fds) closeSync(fd);
      resolve({ wallS: NaN, ok: false, code: -1, error: err.message });
    });
  });
}

function parseTimeFile(path) {
  if (!existsSync(path)) return {};
  const text = readFileSync(path, 'utf8');
  const num = (re) => {
    const m = re.exec(text);
    return m ? Number(m[1]) : undefined;
  };
  const sig = /Command terminated by signal (\d+)/.exec(text);
  return {
    rssKB: num(/Maximum resident set size \(kbytes\): (\d+)/),
    userS: num(/User time \(seconds\): ([\d.]+)/),
    sysS: num(/System time \(seconds\): ([\d.]+)/),
    exitStatus: num(/Exit status: (\d+)/),
    signal: sig ? Number(sig[1]) : undefined,
  };
}

/** Flushes dirty pages so one run's write-back does not slow the next one down. */
export function syncDisks() {
  spawnSync('sync');
}

export function median(values) {
  const v = values.filter((x) => typeof x === 'number' && !Number.isNaN(x)).sort((a, b) => a - b);
  if (v.length === 0) return NaN;
  const mid = v.length >> 1;
  return v.length % 2 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
}

/**
 * Measures several tools, interleaved (run 1 of every tool, then run 2, ...),
 * so that a slow moment of the machine does not land on one tool only.
 *
 * Each tool: { key, steps: [CommandSpec | (() => CommandSpec)], prepare?(), check?(run) }
 * A tool of several steps (e.g. export, then upload) is timed as their sum;
 * its peak RSS is the largest step's. `prepare` runs untimed before each run;
 * `check` after each run (untimed) may return { error } to mark it failed.
 * `warmup` runs every tool once, unmeasured, first.
 */
export async function measureTools(tools, { runs, warmup = false, sync = true, onRun } = {}) {
  const results = new Map(tools.map((t) => [t.key, { key: t.key, runs: [], failures: [] }]));
  const total = runs + (warmup ? 1 : 0);
  for (let r = 0; r < total; r++) {
    const measured = !warmup || r > 0;
    for (const tool of tools) {
      const res = results.get(tool.key);
      if (tool.disabled || res.failures.length >= 2) continue; // a tool that fails twice is not retried for every run
      if (tool.prepare) await tool.prepare();
      if (sync) syncDisks();
      const steps = [];
      for (const step of tool.steps) {
        const spec = typeof step === 'function' ? step() : step;
        const run = await measureOnce(spec);
        steps.push({ ...run, spec });
        if (!run.ok) break;
      }
      const failed = steps.find((s) => !s.ok);
      const run = {
        wallS: steps.reduce((a, s) => a + (s.wallS || 0), 0),
        rssKB: Math.max(...steps.map((s) => s.rssKB ?? 0)),
        cpuS: steps.reduce((a, s) => a + (s.userS ?? 0) + (s.sysS ?? 0), 0),
        steps: steps.map((s) => ({ wallS: s.wallS, rssKB: s.rssKB })),
        ok: !failed,
        stdout: steps.at(-1)?.stdout,
      };
      if (failed) {
        run.error = describeFailure(failed);
      } else if (tool.check) {
        const verdict = await tool.check(run);
        if (verdict?.error) {
          run.ok = false;
          run.error = verdict.error;
        }
      }
      if (!measured) {
        if (!run.ok) res.failures.push(run.error);
        onRun?.(tool.key, run, 'warm-up');
        continue;
      }
      if (run.ok) res.runs.push(run);
      else res.failures.push(run.error);
      onRun?.(tool.key, run, `run ${warmup ? r : r + 1}/${runs}`);
    }
  }
  return results;
}

function describeFailure(step) {
  const what = `${step.spec.cmd} ${step.spec.args.join(' ')}`.slice(0, 200);
  const why = step.error ?? (step.signal ? `killed by signal ${step.signal}` : `exit code ${step.code}`);
  let tail = '';
  if (step.spec.log && existsSync(step.spec.log)) {
    tail = readFileSync(step.spec.log, 'utf8').trim().split('\n').slice(-6).join('\n');
  }
  return `${why}: ${what}${tail ? `\n${tail}` : ''}${step.spec.log ? `\n(log: ${step.spec.log})` : ''}`;
}

/** Median wall, median CPU and the largest peak RSS of a tool's successful runs. */
export function summarize(result) {
  const runs = result?.runs ?? [];
  if (runs.length === 0) return { ok: false, n: 0, error: result?.failures?.[0] ?? 'not run' };
  return {
    ok: true,
    n: runs.length,
    wallS: median(runs.map((r) => r.wallS)),
    minWallS: Math.min(...runs.map((r) => r.wallS)),
    maxWallS: Math.max(...runs.map((r) => r.wallS)),
    cpuS: median(runs.map((r) => r.cpuS)),
    rssMB: Math.max(...runs.map((r) => r.rssKB)) * 1024 / 1e6,
    steps: runs[0].steps.length > 1 ? runs[0].steps.map((_, i) => median(runs.map((r) => r.steps[i].wallS))) : undefined,
    failures: result.failures.length,
  };
}
