/**
 * `import '@bigrays/sql'` must load neither TypeORM nor any driver (the CLI's
 * start-up and `bigrays plan` stay fast); they are imported when a session
 * opens. Checked in a fresh Node process on the package source, bundled
 * with esbuild (bare imports left external, so each package is loaded the
 * way a user's project loads it).
 */
import { describe, it, expect, afterAll } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { PACKAGE_DIR, bundleSql } from './helpers.js';

const pkg = PACKAGE_DIR;
const cleanups: (() => void)[] = [];
afterAll(() => cleanups.forEach((c) => c()));

const HEAVY = ['typeorm', 'pg', 'pg-copy-streams', 'mysql2', 'better-sqlite3'];

function loadedPackages(script: string): string[] {
  const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: pkg, encoding: 'utf8', timeout: 60_000 });
  if (child.status !== 0) throw new Error(`child failed: ${child.stderr}`);
  return JSON.parse(child.stdout.trim().split('\n').pop()!) as string[];
}

const REPORT = `
  const { createRequire } = await import('node:module');
  const cache = Object.keys(createRequire(import.meta.url).cache);
  const heavy = ${JSON.stringify(HEAVY)};
  console.log(JSON.stringify(heavy.filter((name) => cache.some((path) => path.includes('/node_modules/' + name + '/')))));
`;

describe('import cost', () => {
  it("import '@bigrays/sql' loads neither TypeORM nor a driver", async () => {
    const bundle = await bundleSql('import-check');
    cleanups.push(bundle.cleanup);
    const outfile = bundle.file;
    const loaded = loadedPackages(`
      const sql = await import(${JSON.stringify(outfile)});
      if (typeof sql.SQLQuery !== 'function' || typeof sql.SQLSession !== 'function') throw new Error('exports missing');
      ${REPORT}
    `);
    expect(loaded).toEqual([]);

    // The check itself works: opening a session does load them.
    const afterOpen = loadedPackages(`
      const sql = await import(${JSON.stringify(outfile)});
      const s = new sql.SQLSession();
      await s.open({ DB_DSN: 'sqlite::memory:' });
      await s.close();
      ${REPORT}
    `);
    expect(afterOpen).toEqual(expect.arrayContaining(['typeorm', 'better-sqlite3']));
    expect(afterOpen).not.toContain('pg');
  }, 60_000);
});
