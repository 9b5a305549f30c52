/**
 * Load: many jobs back to back in one process leak no connections, file
 * descriptors, memory, signal listeners, timers/sockets or spool files.
 *
 * The jobs run in a child process (`node --expose-gc load/load-jobs.mjs`)
 * importing the built packages: Jest's own heap and module registry are too
 * noisy to measure. The normal suite runs 200 jobs; RELI_SLOW=1
 * (`pnpm test:reliability`) runs 1,000 (RELI_LOAD_JOBS overrides both).
 */
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { REPO } from '../support/cli.js';
import { requireService } from '../support/services.js';
import { RELIABILITY } from './paths.js';
import { PG_DSN, dropPgDatabase, ensurePgDatabase } from '../support/pg-database.js';
import { SLOW } from '../support/test-variants.js';

const JOBS = Number(process.env.RELI_LOAD_JOBS ?? (SLOW ? 1000 : 200));
const sqlBuilt = existsSync(join(REPO, 'packages', 'sql', 'dist', 'index.js'));
const postgres = sqlBuilt && (await requireService('postgres', 'reliability: load test on PostgreSQL'));
if (!sqlBuilt) process.stderr.write('\n!! load test: @bigrays/sql is not built: running the custom-resource jobs only\n\n');

interface Counts {
  fds: number;
  heapUsed: number;
  pgBackends: number;
  sigint: number;
  sigterm: number;
  exitListeners: number;
  handles: number;
  spoolFiles: number;
  spoolDirEntries: number;
}
interface LoadReport {
  jobs: number;
  ms: number;
  outcomes: Record<string, number>;
  opened: number;
  closed: number;
  start: Counts;
  end: Counts;
}

describe(`${JOBS} jobs back to back in one process`, () => {
  let report: LoadReport;

  beforeAll(async () => {
    if (postgres) await ensurePgDatabase();
    const args = ['--expose-gc', join(RELIABILITY, 'load', 'load-jobs.mjs'), '--jobs', String(JOBS), '--warmup', '200'];
    if (sqlBuilt) args.push('--sqlite');
    if (postgres) args.push('--postgres', PG_DSN);
    const r = spawnSync(process.execPath, args, { cwd: REPO, encoding: 'utf8', timeout: 170_000 });
    if (r.status !== 0) throw new Error(`load-jobs.mjs exited ${r.status}: ${r.stderr}`);
    report = JSON.parse(r.stdout.trim().split('\n').at(-1)!) as LoadReport;
    process.stderr.write(`load test: ${JSON.stringify(report)}\n`);
  }, 180_000);
  afterAll(async () => {
    if (postgres) await dropPgDatabase();
  });

  it('every job ran to its planned outcome; every resource opened was closed', () => {
    const failures = Math.floor(JOBS / 10) + 20; // every 10th job, plus 20 of the 200 warm-up jobs
    expect(report.outcomes).toEqual({ ok: JOBS + 200 - failures, 'failed as planned': failures });
    expect(report.closed).toBe(report.opened);
  });

  it('leaks no file descriptors', () => {
    expect(report.end.fds).toBe(report.start.fds);
  });

  (postgres ? it : it.skip)('leaks no PostgreSQL connections (pg_stat_activity back to the start)', () => {
    expect(report.end.pgBackends).toBe(report.start.pgBackends);
    expect(report.end.pgBackends).toBe(0);
  });

  it('leaks no memory: heap after a forced GC within 10% of the start', () => {
    expect(report.end.heapUsed).toBeLessThanOrEqual(report.start.heapUsed * 1.1);
  });

  it('leaks no signal or exit listeners, timers, sockets or spool files', () => {
    const pick = (c: Counts) => ({ sigint: c.sigint, sigterm: c.sigterm, exit: c.exitListeners, handles: c.handles, spool: c.spoolFiles, dir: c.spoolDirEntries });
    expect(pick(report.end)).toEqual(pick(report.start));
    expect(report.end.sigint).toBe(0);
    expect(report.end.spoolFiles).toBe(0);
  });
});
