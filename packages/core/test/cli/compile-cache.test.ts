/**
 * The compile cache of TypeScript jobs ($TMPDIR/bigrays-jobs-<uid>), attacked
 * and broken: each test runs the real CLI with TMPDIR in a scratch folder.
 * Issue 10 findings 11 (a planted module ran with our BIGRAYS_* secrets;
 * cached job source outlived the job) and 21 (an unusable cache dir made
 * every TypeScript job exit 2 with a bare errno).
 */
import { describe, it, expect, beforeEach, afterEach } from '@jest/globals';
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli, childEnv, REPO, BIN } from '../../../../test/support/cli.js';

const CORE = join(REPO, 'packages', 'core');
const NOBODY = 65534;
const isRoot = process.getuid?.() === 0;
const itAsRoot = isRoot ? it : it.skip;

let scratch: string;
let cacheRoot: string;
let marker: string;

/** A job outside the repository (its node_modules links to core), so that the test can delete it. */
function writeJob(name = 'job.ts', text = 'cached job ran'): string {
  const path = join(scratch, 'jobs', name);
  if (!existsSync(join(scratch, 'jobs'))) {
    mkdirSync(join(scratch, 'jobs', 'node_modules', '@bigrays'), { recursive: true, mode: 0o755 });
    symlinkSync(CORE, join(scratch, 'jobs', 'node_modules', '@bigrays', 'core'));
  }
  writeFileSync(
    path,
    `import { Task } from '@bigrays/core';\n@Task()\nclass Hello {\n  run() {\n    console.log(${JSON.stringify(text)});\n  }\n}\nvoid Hello;\n`,
  );
  return path;
}

const cacheDir = (uid = process.getuid?.() ?? 'user') => join(cacheRoot, `bigrays-jobs-${uid}`);
const run = (job: string, env: Record<string, string> = {}) =>
  runCli([job], { cwd: scratch, env: { TMPDIR: cacheRoot, PLANT_MARKER: marker, BIGRAYS_WAREHOUSE_TOKEN: 'Token-Planted-Secret', ...env } });

/** Replaces every cached module with one that records the secret it can read. */
function plant(dir: string, manifest?: (m: { inputs: unknown[] }) => unknown): void {
  for (const file of readdirSync(dir)) {
    if (file.endsWith('.mjs')) {
      writeFileSync(
        join(dir, file),
        `import { writeFileSync } from 'node:fs';\nwriteFileSync(process.env.PLANT_MARKER, String(process.env.BIGRAYS_WAREHOUSE_TOKEN));\nconsole.log('planted module ran');\n`,
      );
    }
    if (file.endsWith('.json') && manifest) {
      const path = join(dir, file);
      writeFileSync(path, JSON.stringify(manifest(JSON.parse(readFileSync(path, 'utf8')))));
    }
  }
}

function expectOwnJobRan(r: ReturnType<typeof run>): void {
  expect(r.stdout).toContain('cached job ran');
  expect(r.stdout).not.toContain('planted module ran');
  expect(existsSync(marker)).toBe(false);
  expect(r.code).toBe(0);
}

beforeEach(() => {
  scratch = mkdtempSync(join(tmpdir(), 'bigrays-cache-test-'));
  chmodSync(scratch, 0o755);
  cacheRoot = join(scratch, 'tmp');
  mkdirSync(cacheRoot, { mode: 0o1777 });
  chmodSync(cacheRoot, 0o1777);
  marker = join(scratch, 'planted-module-ran');
});
afterEach(() => rmSync(scratch, { recursive: true, force: true }));

describe('a planted compile cache is never trusted', () => {
  it('the cache dir is private (0700) and its files 0600', () => {
    const r = run(writeJob());
    expect(r.code).toBe(0);
    expect(statSync(cacheDir()).mode & 0o777).toBe(0o700);
    const files = readdirSync(cacheDir());
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) expect(statSync(join(cacheDir(), file)).mode & 0o077).toBe(0);
  });

  it('a group/world-writable cache dir (chmod 777) is emptied and made private, the planted module does not run', () => {
    const job = writeJob();
    expect(run(job).code).toBe(0);
    chmodSync(cacheDir(), 0o777);
    plant(cacheDir());
    const r = run(job);
    expectOwnJobRan(r);
    expect(statSync(cacheDir()).mode & 0o777).toBe(0o700);
  });

  itAsRoot('a cache dir owned by another user (nobody) is not used: the job compiles in memory and says why', () => {
    const job = writeJob();
    expect(run(job).code).toBe(0);
    plant(cacheDir());
    chownSync(cacheDir(), NOBODY, NOBODY);
    for (const file of readdirSync(cacheDir())) chownSync(join(cacheDir(), file), NOBODY, NOBODY);
    const r = run(job);
    expectOwnJobRan(r);
    expect(r.stderr).toContain(`bigrays: warning: the compile cache ${cacheDir()} is not safe to use (owned by uid ${NOBODY}, not by you)`);
    expect(r.stderr).toContain(`remove it (rm -rf ${cacheDir()})`);
    expect(statSync(cacheDir()).uid).toBe(NOBODY);
  });

  it('a manifest with no inputs is never fresh: the job is recompiled', () => {
    const job = writeJob();
    expect(run(job).code).toBe(0);
    plant(cacheDir(), (m) => ({ ...m, inputs: [] }));
    expectOwnJobRan(run(job));
  });

  it('a cached module that differs from what the manifest recorded is recompiled', () => {
    const job = writeJob();
    expect(run(job).code).toBe(0);
    plant(cacheDir());
    expectOwnJobRan(run(job));
  });

  it('a source changed with the same size and mtime is recompiled (inputs are hashed)', () => {
    const job = writeJob('job.ts', 'cached job ran');
    utimesSync(job, 1_700_000_000, 1_700_000_000);
    expect(run(job).code).toBe(0);
    writeFileSync(job, readFileSync(job, 'utf8').replace('cached job ran', 'cached job RAN'));
    utimesSync(job, 1_700_000_000, 1_700_000_000);
    expect(run(job).stdout).toContain('cached job RAN');
  });
});

describe('what the cache keeps', () => {
  it("entries of jobs that are gone are pruned: the deleted job's source does not stay", () => {
    const gone = writeJob('gone.ts', 'secret-bearing job');
    expect(run(gone).code).toBe(0);
    const bundles = () => readdirSync(cacheDir()).filter((f) => f.endsWith('.mjs'));
    expect(bundles()).toHaveLength(1);
    const cached = readFileSync(join(cacheDir(), bundles()[0]!), 'utf8');
    expect(cached).toContain('secret-bearing job');
    rmSync(gone);
    expect(run(writeJob()).code).toBe(0);
    const left = bundles().map((f) => readFileSync(join(cacheDir(), f), 'utf8'));
    expect(left).toHaveLength(1);
    expect(left.join('')).not.toContain('secret-bearing job');
  });
});

describe('an unusable cache dir does not stop the job (finding 21)', () => {
  it('taken by a file: the job runs (compiled in memory), one warning line with the fix', () => {
    writeFileSync(cacheDir(), 'not a directory');
    const r = run(writeJob());
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('cached job ran');
    const warnings = r.stderr.split('\n').filter((l) => l.startsWith('bigrays: warning:'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(`the compile cache ${cacheDir()} is not usable`);
    expect(warnings[0]).toContain('compiled in memory');
  });

  it('full (no file may grow: ulimit -f 0): the job runs, compiled in memory', () => {
    const job = writeJob();
    // An ignored SIGXFSZ is inherited: writes past the limit then fail with EFBIG instead of killing the process.
    const r = spawnSync('sh', ['-c', `trap '' XFSZ; ulimit -f 0; exec "${process.execPath}" "${BIN}" "${job}"`], {
      cwd: scratch,
      env: childEnv({ TMPDIR: cacheRoot, NO_COLOR: '1' }),
      encoding: 'utf8',
    });
    expect(r.stderr).toContain('compiled in memory');
    expect(r.stdout).toContain('cached job ran');
    expect(r.status).toBe(0);
  });

  itAsRoot('read-only (run as nobody, cache dir mode 0500): the job runs, compiled in memory', () => {
    const job = writeJob();
    mkdirSync(cacheDir(NOBODY), { mode: 0o500 });
    chownSync(cacheDir(NOBODY), NOBODY, NOBODY);
    chmodSync(cacheDir(NOBODY), 0o500);
    const r = spawnSync(process.execPath, [BIN, job], {
      cwd: scratch,
      uid: NOBODY,
      gid: NOBODY,
      env: childEnv({ TMPDIR: cacheRoot, NO_COLOR: '1', HOME: scratch }),
      encoding: 'utf8',
    });
    expect(r.stderr).toContain(`the compile cache ${cacheDir(NOBODY)} is not usable`);
    expect(r.stdout).toContain('cached job ran');
    expect(r.status).toBe(0);
  });
});
