/**
 * The packages work outside this repo, installed from their tarballs, the
 * way a user's project gets them from the registry:
 *
 * 1. `pnpm --filter <pkg> pack` packs @bigrays/core, @bigrays/sql and
 *    @bigrays/aws (pnpm rewrites `workspace:*` to the version); each
 *    manifest is checked (no workspace: ranges, dist with declarations, bin).
 * 2. A new project under the OS temp directory (outside the repo, so nothing
 *    resolves from the workspace) gets only core, sql and the `pg` driver:
 *    `npm install <core.tgz> <sql.tgz> pg@8` from the public registry.
 *    (`pg` rather than better-sqlite3: it is pure JavaScript, while
 *    better-sqlite3 compiles from source here, ~1 min 40 s when no
 *    prebuilt binary can be downloaded.)
 * 3. A SQL job runs there with `npx bigrays ./job.ts` against the local
 *    PostgreSQL, and type-checks against the packed declarations.
 * 4. The AWS SDK is not installed (node_modules/@aws-sdk absent, not in
 *    `npm ls`) and nothing asked for it.
 *
 * Needs the built packages (`pnpm build`, which `pnpm test` runs first),
 * pnpm, npm and the registry; the npm cache may be cold (~15 s to install).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { REPO } from '../support/cli.js';
import { PG_DSN, requireService } from '../support/services.js';

const hasPostgres = await requireService('postgres', 'packaging (a SQL job from the packed tarballs)');

const JOB = `import { Input, Task, updateFormatKws, type Row } from '@bigrays/core';
import { SQLExecute, SQLQuery } from '@bigrays/sql';

updateFormatKws({ min: '1' }); // the test passes --param min=2

@Task()
class Stage extends SQLExecute {
  statement = \`create temporary table packed (n integer, label text, day date);
               insert into packed values (1, 'one', '2026-01-01'), (2, 'two', '2026-01-02'), (3, 'three', '2026-01-03');\`;
}

@Task()
class Pull extends SQLQuery {
  // Same session as Stage: the temporary table is visible.
  query = 'select n, label, day from packed where n >= :min order by n';
  params = { min: '{min}' };
}

@Task()
class Show {
  @Input(Pull) rows!: Row[];
  run() {
    console.log(JSON.stringify(this.rows));
  }
}
void Show;
`;

function sh(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}, timeout = 180_000): SpawnSyncReturns<string> {
  const r = spawnSync(command, args, {
    cwd,
    encoding: 'utf8',
    timeout,
    env: { ...process.env, ...env, JEST_WORKER_ID: undefined, NO_COLOR: '1', FORCE_COLOR: '0' },
  });
  if (r.error) throw new Error(`${command} ${args.join(' ')}: ${r.error.message}`);
  return r;
}

function ok(r: SpawnSyncReturns<string>, what: string): SpawnSyncReturns<string> {
  if (r.status !== 0) throw new Error(`${what} exited ${r.status} (${r.signal ?? 'no signal'})\n--- stdout\n${r.stdout}\n--- stderr\n${r.stderr}`);
  return r;
}

const tarball = (dir: string, name: string) => {
  const file = readdirSync(dir).find((f) => f.startsWith(`bigrays-${name}-`) && f.endsWith('.tgz'));
  if (!file) throw new Error(`no tarball for @bigrays/${name} in ${dir}`);
  return join(dir, file);
};

const manifestOf = (tgz: string) => JSON.parse(ok(sh('tar', ['-xzOf', tgz, 'package/package.json'], REPO), `tar ${tgz}`).stdout);
const filesOf = (tgz: string) => ok(sh('tar', ['-tzf', tgz], REPO), `tar ${tgz}`).stdout.trim().split('\n');

let work: string;
let packs: string;
let project: string;

beforeAll(() => {
  // realpath: the project must be outside the repo by its real path, not only by a symlinked one.
  work = realpathSync(mkdtempSync(join(tmpdir(), 'bigrays-pack-')));
  expect(relative(REPO, work).startsWith('..')).toBe(true);
  packs = join(work, 'tarballs');
  project = join(work, 'project');
  mkdirSync(packs);
  mkdirSync(project);
  for (const name of ['core', 'sql', 'aws']) {
    ok(sh('pnpm', ['--filter', `@bigrays/${name}`, 'pack', '--pack-destination', packs], REPO, {}, 60_000), `pnpm pack @bigrays/${name}`);
  }
}, 120_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('pnpm pack', () => {
  it.each(['core', 'sql', 'aws'])('@bigrays/%s: a publishable manifest and the built files', (name) => {
    const tgz = tarball(packs, name);
    const manifest = manifestOf(tgz);
    expect(JSON.stringify(manifest)).not.toContain('workspace:');
    expect(manifest.name).toBe(`@bigrays/${name}`);
    expect(manifest.type).toBe('module');
    // A peer dependency (issue 14, item 16): a project never gets a second core (two registries, two configs).
    if (name !== 'core') {
      expect(manifest.dependencies?.['@bigrays/core']).toBeUndefined();
      expect(manifest.peerDependencies['@bigrays/core']).toBe(`^${manifestOf(tarball(packs, 'core')).version}`);
    }
    const files = filesOf(tgz);
    expect(files).toEqual(expect.arrayContaining(['package/package.json', 'package/dist/index.js', 'package/dist/index.d.ts']));
    expect(files.filter((f) => /\/(src|test)\//.test(f) || f.endsWith('.test.js'))).toEqual([]);
    if (name === 'core') {
      expect(manifest.bin).toEqual({ bigrays: './bin/bigrays.js' });
      expect(files).toContain('package/bin/bigrays.js');
      expect(files).toContain('package/dist/cli/bin.js');
      expect(files).toEqual(expect.arrayContaining(['package/dist/plugin.js', 'package/dist/plugin.d.ts', 'package/dist/testing.js']));
      expect(files).toContain('package/tsconfig.recommended.json');
    }
  });
});

(hasPostgres ? describe : describe.skip)('installed from the tarballs into a project outside the repo', () => {
  let install: SpawnSyncReturns<string>;

  beforeAll(() => {
    writeFileSync(join(project, 'package.json'), `${JSON.stringify({ name: 'bigrays-pack-test', private: true, type: 'module' }, null, 2)}\n`);
    writeFileSync(join(project, 'job.ts'), JOB);
    install = ok(
      sh(
        'npm',
        ['install', '--no-audit', '--no-fund', '--fetch-retries=4', tarball(packs, 'core'), tarball(packs, 'sql'), 'pg@8'],
        project,
        { npm_config_update_notifier: 'false' },
        240_000,
      ),
      'npm install',
    );
  }, 250_000);

  it('npx bigrays ./job.ts runs the SQL job', () => {
    const r = ok(sh('npx', ['--no', 'bigrays', './job.ts', '--param', 'min=2'], project, { BIGRAYS_DB_DSN: PG_DSN }, 60_000), 'npx bigrays ./job.ts');
    expect(JSON.parse(r.stdout)).toEqual([
      { n: 2, label: 'two', day: '2026-01-02' },
      { n: 3, label: 'three', day: '2026-01-03' },
    ]);
    expect(r.stderr).toContain('job succeeded');
    expect(`${r.stdout}${r.stderr}`).not.toMatch(/aws/i);
  }, 60_000);

  it('a driver that is not installed: one message saying which package to install (quoted in the README)', () => {
    const r = sh('npx', ['--no', 'bigrays', './job.ts'], project, { BIGRAYS_DB_DSN: 'sqlite:./local.db' }, 60_000);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(
      "could not open SQLSession: the SQLite driver is not installed: BIGRAYS_DB_DSN is a sqlite: DSN, which needs the npm package 'better-sqlite3'. Install it next to @bigrays/sql: npm install better-sqlite3 (or pnpm add better-sqlite3).",
    );
    expect(r.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/); // no stack trace
  }, 60_000);

  it("import('@bigrays/core') exposes the user API only; extensions resolve @bigrays/core/plugin", async () => {
    const script = "const core = await import('@bigrays/core'); const plugin = await import('@bigrays/core/plugin'); console.log(JSON.stringify([Object.keys(core).sort(), typeof plugin.currentTask]));";
    const r = ok(sh(process.execPath, ['--input-type=module', '-e', script], project, {}, 60_000), 'import @bigrays/core');
    const [names, currentTask] = JSON.parse(r.stdout) as [string[], string];
    expect(names).toEqual(Object.keys(await import('@bigrays/core')).sort());
    expect(names).not.toContain('TASK_KEY');
    expect(currentTask).toBe('function');
  }, 60_000);

  it('npx bigrays plan and --version work', () => {
    const plan = ok(sh('npx', ['--no', 'bigrays', 'plan', './job.ts'], project, { BIGRAYS_DB_DSN: PG_DSN }, 60_000), 'npx bigrays plan');
    expect(plan.stdout).toContain('Plan for job.ts: 3 tasks, 0 resource swaps');
    const version = ok(sh('npx', ['--no', '--', 'bigrays', '--version'], project, {}, 60_000), 'npx bigrays --version');
    expect(version.stdout.trim()).toBe(`bigrays ${manifestOf(tarball(packs, 'core')).version}`);
  }, 60_000);

  it('the job type-checks against the packed declarations', () => {
    writeFileSync(
      join(project, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, skipLibCheck: true, noEmit: true, types: [] },
        include: ['job.ts'],
      }),
    );
    const r = sh(process.execPath, [join(REPO, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', '.', '--pretty', 'false'], project, {}, 60_000);
    expect(`${r.stdout}${r.stderr}`).toBe('');
    expect(r.status).toBe(0);
  }, 60_000);

  it('one @bigrays/core is installed: sql takes the project\'s core as a peer (issue 14, item 16)', () => {
    const ls = ok(sh('npm', ['ls', '@bigrays/core', '--all', '--parseable'], project, {}, 60_000), 'npm ls @bigrays/core');
    expect(ls.stdout.trim().split('\n')).toEqual([join(project, 'node_modules', '@bigrays', 'core')]);
    expect(existsSync(join(project, 'node_modules', '@bigrays', 'sql', 'node_modules', '@bigrays', 'core'))).toBe(false);
  }, 60_000);

  it('a job type-checks in a fresh project with the shipped recommended tsconfig (issue 14, item 17)', () => {
    const dir = join(project, 'typed');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'job.ts'), JOB);
    writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ extends: '@bigrays/core/tsconfig.recommended.json', include: ['job.ts'] }));
    const r = sh(process.execPath, [join(REPO, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', '.', '--pretty', 'false'], dir, {}, 60_000);
    expect(`${r.stdout}${r.stderr}`).toBe('');
    expect(r.status).toBe(0);
  }, 60_000);

  it('the AWS SDK is not installed, and nothing asked for it', () => {
    expect(existsSync(join(project, 'node_modules', '@aws-sdk'))).toBe(false);
    expect(existsSync(join(project, 'node_modules', '@bigrays', 'aws'))).toBe(false);
    const ls = sh('npm', ['ls', '--all', '--parseable'], project, {}, 60_000);
    expect(ls.stdout).not.toContain('@aws-sdk');
    expect(`${install.stdout}${install.stderr}`).not.toMatch(/aws-sdk|ERESOLVE|peer dep/i);
  }, 60_000);
});
