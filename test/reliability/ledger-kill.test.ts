/**
 * Issue 17: `kill -9` at random instants of a run, then `--resume`: the job
 * completes, its final outputs are identical to an uninterrupted run's, and
 * no task that had succeeded (per the ledger of the killed run) runs again.
 * The job mixes SQL (SQLite), a Dataset, a typed JSON output, a file output
 * and a merge load (`fixtures/ledger-mix.ts`). 20 instants in the normal
 * suite, 60 with RELI_SLOW=1. The instants come from a seeded generator; the
 * seed is printed so that a failure can be replayed (RELI_KILL_SEED).
 */
import { describe, it, expect } from '@jest/globals';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO, runCli, startCli } from '../support/cli.js';
import { fixture } from './paths.js';
import { createRequire } from 'node:module';

const require_ = createRequire(join(REPO, 'package.json'));

const INSTANTS = process.env.RELI_SLOW === '1' ? 60 : 20;
const seed = Number(process.env.RELI_KILL_SEED ?? Date.now() % 100000);

/** A small seeded generator (mulberry32): the same seed, the same instants. */
function random(seedValue: number): () => number {
  let a = seedValue >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Workspace {
  dir: string;
  env: Record<string, string | undefined>;
  log: () => string[];
}

function workspace(): Workspace {
  const dir = mkdtempSync(join(tmpdir(), 'bigrays-reli-kill-'));
  symlinkSync(join(REPO, 'node_modules'), join(dir, 'node_modules'));
  const logFile = join(dir, 'tasks.log');
  return {
    dir,
    env: { RELI_DIR: dir, RELI_LOG: logFile, BIGRAYS_STATE: join(dir, 'state'), BIGRAYS_JOB_NAME: 'ledger-mix' },
    log: () => (existsSync(logFile) ? readFileSync(logFile, 'utf8').trim().split('\n').filter(Boolean) : []),
  };
}

/** What the job leaves behind: the CSV file, the loaded table, the report (typed JSON made it through). */
function outputs(ws: Workspace): { csv: string; table: string; report: string } {
  const Database = require_('better-sqlite3') as new (path: string, opts?: object) => { prepare(sql: string): { all(): unknown[] }; close(): void };
  const db = new Database(join(ws.dir, 'mix.sqlite'), { readonly: true });
  const rows = JSON.stringify(db.prepare('select id, amount, day from target order by id').all());
  db.close();
  const report = readFileSync(join(ws.dir, 'report.txt'), 'utf8').trim().split('\n').at(-1)!.replace(ws.dir, '<dir>');
  return { csv: readFileSync(join(ws.dir, 'export.csv'), 'utf8'), table: rows, report };
}


/** Task names the ledger recorded as succeeded in the killed run (its only run). */
function succeededInLedger(ws: Workspace): string[] {
  const runsDir = join(ws.dir, 'state', 'jobs', 'ledger-mix', 'runs');
  if (!existsSync(runsDir)) return [];
  const journals = readdirSync(runsDir).sort();
  if (journals.length === 0) return [];
  const names = new Set<string>();
  for (const line of readFileSync(join(runsDir, journals[0]!), 'utf8').split('\n')) {
    try {
      const entry = JSON.parse(line) as { t?: string; name?: string; status?: string; checkpoint?: unknown };
      if (entry.t === 'task' && entry.status === 'succeeded' && entry.checkpoint) names.add(entry.name!);
    } catch {
      // a torn last line: the process died inside the write
    }
  }
  return [...names];
}

describe(`kill -9 at ${INSTANTS} random instants, then --resume (seed ${seed})`, () => {
  it('completes with outputs identical to an uninterrupted run; no task that had succeeded runs again', async () => {
    const reference = workspace();
    const started = Date.now();
    const clean = runCli([fixture('ledger-mix.ts')], { cwd: reference.dir, env: reference.env });
    const duration = Date.now() - started;
    expect(clean.stderr).toContain('job succeeded');
    const expected = outputs(reference);
    expect(expected.report).toBe('500 rows, 28 days, 2026-02-01T00:00:00.000Z, <dir>/export.csv');

    const next = random(seed);
    const failures: string[] = [];
    let killedInside = 0;
    for (let i = 0; i < INSTANTS; i++) {
      const ws = workspace();
      const instant = Math.floor(next() * duration);
      const run = startCli([fixture('ledger-mix.ts')], { cwd: ws.dir, env: ws.env });
      await new Promise((r) => setTimeout(r, instant));
      run.child.kill('SIGKILL');
      const killed = await run.done;
      if (killed.signal === 'SIGKILL') killedInside++;
      const done = succeededInLedger(ws);
      const before = ws.log().length;
      const resumed = runCli([fixture('ledger-mix.ts'), '--resume'], { cwd: ws.dir, env: ws.env });
      // Killed after the run was recorded as succeeded: nothing to resume, its outputs are final.
      // Killed before the run was recorded: nothing to resume, a plain run does the job.
      const complete = resumed.code === 2 && resumed.stderr.includes('succeeded, there is nothing to resume');
      const notRecorded = resumed.code === 2 && resumed.stderr.includes('has no unsuccessful run to resume');
      const finished = complete ? resumed : notRecorded ? runCli([fixture('ledger-mix.ts')], { cwd: ws.dir, env: ws.env }) : resumed;
      if (notRecorded && done.length > 0) failures.push(`#${i}: the ledger had task records but no run to resume`);
      const rerun = ws.log().slice(before);
      const again = done.filter((name) => rerun.includes(name));
      const why = `instant ${instant} ms of ${duration} (seed ${seed}, #${i})`;
      if (finished.code !== 0 && !complete) failures.push(`${why}: exit ${finished.code}: ${finished.stderr.slice(-400)}`);
      else if (again.length > 0) failures.push(`${why}: ${again.join(', ')} had succeeded and ran again`);
      else {
        const got = outputs(ws);
        if (got.csv !== expected.csv || got.table !== expected.table || got.report !== expected.report) failures.push(`${why}: outputs differ: ${got.report}`);
      }
      rmSync(ws.dir, { recursive: true, force: true });
    }
    rmSync(reference.dir, { recursive: true, force: true });
    expect(failures).toEqual([]);
    // The instants must mostly land inside the run, or the test proves little.
    expect(killedInside).toBeGreaterThanOrEqual(Math.floor(INSTANTS / 2));
  }, 600_000);
});
