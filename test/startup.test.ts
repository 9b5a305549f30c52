import { describe, it, expect } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN, REPO, childEnv } from './support/cli.js';

/** Runs the CLI with a hook that logs every module the process resolves. */
function modulesLoadedBy(args: string[], cliArgs = true): { code: number | null; modules: string[]; stderr: string } {
  const log = join(mkdtempSync(join(tmpdir(), 'bigrays-modules-')), 'modules.txt');
  const r = spawnSync(process.execPath, ['--import', join(REPO, 'test', 'support', 'record-modules.mjs'), ...(cliArgs ? [BIN] : []), ...args], {
    cwd: REPO,
    encoding: 'utf8',
    // BIGRAYS_STATE unset: the default ledger (.bigrays/ next to the job) must not load TypeORM or the AWS SDK either.
    env: childEnv({ BIGRAYS_MODULE_LOG: log, BIGRAYS_DB_DSN: 'postgres://nobody@127.0.0.1:1/none', BIGRAYS_AWS_REGION: 'us-east-1', BIGRAYS_STATE: undefined }),
  });
  let modules: string[] = [];
  try {
    modules = readFileSync(log, 'utf8').trim().split('\n');
  } catch {
    // nothing resolved through the hook
  }
  return { code: r.status, modules, stderr: r.stderr };
}

const heavy = (modules: string[]) => modules.filter((m) => /\/(typeorm|@aws-sdk|pg|mysql2|better-sqlite3|tslog|hyparquet|hyparquet-writer)\//.test(m));
const parquetLibraries = (modules: string[]) => modules.filter((m) => /\/(hyparquet|hyparquet-writer|parquet-wasm|@duckdb)\//.test(m));

describe('start-up stays light', () => {
  it('bigrays --version loads nothing but the CLI entry', () => {
    const { code, modules } = modulesLoadedBy(['--version']);
    expect(code).toBe(0);
    expect(heavy(modules)).toEqual([]);
    expect(modules.filter((m) => m.includes('/packages/core/dist/')).map((m) => m.replace(/.*\/dist\//, ''))).toEqual(['cli/bin.js', 'cli/version.js']);
  });

  it('bigrays --help loads nothing but the CLI entry and the CLI declaration it is written from', () => {
    const { code, modules } = modulesLoadedBy(['--help']);
    expect(code).toBe(0);
    expect(heavy(modules)).toEqual([]);
    expect(modules.filter((m) => m.includes('/packages/core/dist/')).map((m) => m.replace(/.*\/dist\//, ''))).toEqual(['cli/bin.js', 'cli/help.js', 'cli/declaration.js']);
  });

  it('bigrays plan of a SQL + S3 job loads neither TypeORM, a driver, the AWS SDK nor tslog', () => {
    const { code, modules, stderr } = modulesLoadedBy(['plan', join(REPO, 'test', 'fixtures', 'sql-and-s3-job.ts')]);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(modules.some((m) => m.includes('/packages/sql/dist/index.js'))).toBe(true);
    expect(modules.some((m) => m.includes('/packages/aws/dist/index.js'))).toBe(true);
    expect(heavy(modules)).toEqual([]);
  });

  it('bigrays plan of a job with ToParquet, ToS3 format = parquet and FromS3 as = parquet loads no Parquet library', () => {
    const { code, modules, stderr } = modulesLoadedBy(['plan', join(REPO, 'test', 'fixtures', 'parquet-job.ts')]);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(modules.some((m) => m.includes('/packages/core/dist/tasks/to-parquet.js'))).toBe(true);
    expect(parquetLibraries(modules)).toEqual([]);
    expect(heavy(modules)).toEqual([]);
  });

  it("import('@bigrays/core') loads no Parquet library; writing a Parquet file does (the check can see it)", () => {
    const imported = modulesLoadedBy(['--input-type=module', '-e', "await import('@bigrays/core')"], false);
    expect(imported.stderr).toBe('');
    expect(imported.modules.some((m) => m.includes('/packages/core/dist/index.js'))).toBe(true);
    expect(parquetLibraries(imported.modules)).toEqual([]);

    const written = modulesLoadedBy(
      ['--input-type=module', '-e', "const c = await import('@bigrays/core/plugin'); for await (const _ of c.encodeTable([{ a: 1 }], { format: 'parquet' }));"],
      false,
    );
    expect(written.stderr).toBe('');
    expect(parquetLibraries(written.modules).some((m) => m.includes('/hyparquet-writer/'))).toBe(true);
  });
});
