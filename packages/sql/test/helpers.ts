import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bigraysRun, JobFailedError, Resource, type JobResult, type TaskClass } from '@bigrays/core';
import { SQLSession } from '@bigrays/sql';
import * as services from '../../../test/support/services.js';

/**
 * The servers of the SQL suites. `pnpm test:hostile` (BIGRAYS_TEST_SETTINGS=hostile) runs the same suites
 * against hostile session defaults: a PostgreSQL database with DateStyle 'SQL, DMY', a non-UTC TimeZone and
 * another schema first in search_path, and MariaDB through a proxy that makes each session non-strict with a
 * +05:30 time zone (test/support/hostile-settings.ts; no GLOBAL setting is changed).
 */
const hostile =
  process.env.BIGRAYS_TEST_SETTINGS === 'hostile' ? await (await import('../../../test/support/hostile-settings.js')).hostileDsns() : undefined;
export const PG_DSN = hostile?.pg ?? services.PG_DSN;
export const MARIADB_DSN = hostile?.mariadb ?? services.MARIADB_DSN;

/** A fresh temp directory for SQLite files of one test file. */
export function sqliteDir(): string {
  return mkdtempSync(join(tmpdir(), 'bigrays-sql-test-'));
}

const created = new Set<string>();

/** A table name no other test (or parallel worker) uses; `dropCreatedTables` drops it at the end. */
export function uniqueTable(prefix = 't'): string {
  const name = `${prefix}_${randomBytes(5).toString('hex')}`;
  created.add(name);
  return name;
}

/** Drops every table named by `uniqueTable` in this test file (those that exist). */
export async function dropCreatedTables(session: SQLSession): Promise<void> {
  for (const name of created) await session.execute(`drop table if exists ${name}`).catch(() => undefined);
}

/** Runs tasks and returns the result, also when the job failed. */
export async function run(...tasks: TaskClass[]): Promise<JobResult> {
  try {
    return await bigraysRun(...tasks);
  } catch (error) {
    if (error instanceof JobFailedError) return error.result;
    throw error;
  }
}

export { failureOf, rejection } from '../../../test/support/errors.js';

/** Opens a session directly (outside a job), for setting up and checking tables. */
export async function openSession(dsn: string, extra: Record<string, string> = {}): Promise<SQLSession> {
  const s = new SQLSession();
  try {
    await s.open({ DB_DSN: dsn, ...extra });
  } catch (error) {
    await s.close(error);
    throw error;
  }
  return s;
}

/** A tiny user-defined resource: the "other" resource a job swaps to. */
export class Tiny extends Resource {
  static opened = 0;
  static closed = 0;
  open(): void {
    Tiny.opened++;
  }
  close(): void {
    Tiny.closed++;
  }
}

/** The package directory. */
export const PACKAGE_DIR = join(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * Bundles the package source into one ES module (bare imports left external)
 * under the package's node_modules/.cache, so that a child `node` process can
 * import it the way a project imports @bigrays/sql. Returns its path and a cleanup.
 */
export async function bundleSql(name: string): Promise<{ file: string; cleanup: () => void }> {
  const esbuild = await import('esbuild');
  const dir = join(PACKAGE_DIR, 'node_modules', '.cache', `bigrays-${name}-${process.pid}`);
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'sql.mjs');
  await esbuild.build({
    entryPoints: [join(PACKAGE_DIR, 'src', 'index.ts')],
    outfile: file,
    bundle: true,
    format: 'esm',
    platform: 'node',
    packages: 'external',
    tsconfig: join(PACKAGE_DIR, 'tsconfig.build.json'),
    logLevel: 'silent',
  });
  return { file, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
