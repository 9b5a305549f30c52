import { describe, it, expect } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN, REPO, childEnv } from './helpers/cli.js';

/** Runs the CLI with a hook that logs every module the process resolves. */
function modulesLoadedBy(args: string[]): { code: number | null; modules: string[]; stderr: string } {
  const log = join(mkdtempSync(join(tmpdir(), 'bigrays-modules-')), 'modules.txt');
  const r = spawnSync(process.execPath, ['--import', join(REPO, 'test', 'helpers', 'record-modules.mjs'), BIN, ...args], {
    cwd: REPO,
    encoding: 'utf8',
    env: childEnv({ BIGRAYS_MODULE_LOG: log, BIGRAYS_DB_DSN: 'postgres://nobody@127.0.0.1:1/none', BIGRAYS_AWS_REGION: 'us-east-1' }),
  });
  let modules: string[] = [];
  try {
    modules = readFileSync(log, 'utf8').trim().split('\n');
  } catch {
    // nothing resolved through the hook
  }
  return { code: r.status, modules, stderr: r.stderr };
}

const heavy = (modules: string[]) => modules.filter((m) => /\/(typeorm|@aws-sdk|pg|mysql2|better-sqlite3|tslog)\//.test(m));

describe('start-up stays light', () => {
  it('bigrays --version loads nothing but the CLI entry', () => {
    const { code, modules } = modulesLoadedBy(['--version']);
    expect(code).toBe(0);
    expect(heavy(modules)).toEqual([]);
    expect(modules.filter((m) => m.includes('/packages/core/dist/')).map((m) => m.replace(/.*\/dist\//, ''))).toEqual(['cli/bin.js', 'cli/version.js']);
  });

  it('bigrays plan of a SQL + S3 job loads neither TypeORM, a driver, the AWS SDK nor tslog', () => {
    const { code, modules, stderr } = modulesLoadedBy(['plan', join(REPO, 'test', 'fixtures', 'sql-and-s3-job.ts')]);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(modules.some((m) => m.includes('/packages/sql/dist/index.js'))).toBe(true);
    expect(modules.some((m) => m.includes('/packages/aws/dist/index.js'))).toBe(true);
    expect(heavy(modules)).toEqual([]);
  });
});
