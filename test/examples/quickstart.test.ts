/**
 * examples/quickstart: zero configuration (SQLite under the temp
 * directory), prints where it wrote its CSV. This is what the README's first
 * command ends with.
 */
import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO, expectExit, freshTmp, run } from './support.js';

const JOB = join(REPO, 'examples', 'quickstart', 'job.ts');

describe('examples/quickstart', () => {
  it('prints "Wrote <path>" and the CSV holds revenue per country since 2026-01-01', () => {
    const r = run([JOB]);
    expectExit(r, 0);
    const path = join(r.tmp, 'bigrays-quickstart', 'revenue-by-country.csv');
    expect(r.stdout).toBe(`Wrote ${path}\n`);
    expect(readFileSync(path, 'utf8')).toBe(
      ['country,orders,revenue,share', 'US,1,999.99,62.1%', 'DE,2,345.25,21.4%', 'FR,2,200.5,12.5%', 'JP,1,64,4.0%', ''].join('\n'),
    );
    expect(r.stderr).toContain('Summary: 5 tasks · 5 succeeded · 0 failed · 0 skipped');
  });

  it('--param since filters the orders; a second run replaces the file (overwrite = true)', () => {
    const first = run([JOB]);
    const r = run([JOB, '--param', 'since=2026-03-01'], { tmp: first.tmp });
    expectExit(r, 0);
    expect(readFileSync(join(r.tmp, 'bigrays-quickstart', 'revenue-by-country.csv'), 'utf8')).toBe(
      ['country,orders,revenue,share', 'US,1,999.99,90.2%', 'JP,1,64,5.8%', 'DE,1,45.25,4.1%', ''].join('\n'),
    );
  });

  it('honours BIGRAYS_DB_DSN', () => {
    const tmp = freshTmp();
    const r = run([JOB], { tmp, env: { BIGRAYS_DB_DSN: `sqlite:${join(tmp, 'elsewhere.sqlite')}` } });
    expectExit(r, 0);
    expect(readFileSync(join(tmp, 'elsewhere.sqlite')).subarray(0, 15).toString()).toBe('SQLite format 3');
  });
});
