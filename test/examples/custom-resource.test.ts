/**
 * examples/custom-resource: a user-defined Resource with requiredConfig,
 * a per-task @Requires(..., config) override (a swap between two
 * configurations of the same resource), and close(error) discarding the
 * work of a failed job.
 */
import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO, expectExit, freshTmp, run } from './support.js';

const JOB = join(REPO, 'examples', 'custom-resource', 'job.ts');
const stock = (dir: string) => JSON.parse(readFileSync(join(dir, 'stock.json'), 'utf8'));

describe('examples/custom-resource', () => {
  it('opens, swaps on the per-task override, swaps back, saves on success', () => {
    const r = run([JOB]);
    expectExit(r, 0);
    const main = join(r.tmp, 'bigrays-examples', 'inventory', 'main');
    const overflow = join(r.tmp, 'bigrays-examples', 'inventory', 'overflow');
    expect(r.stdout.split('\n')).toEqual([
      `opened ${main}/stock.json`,
      `saved ${main}/stock.json`,
      `opened ${overflow}/stock.json`,
      `saved ${overflow}/stock.json`,
      `opened ${main}/stock.json`,
      'main warehouse: 37 widgets',
      `saved ${main}/stock.json`,
      '',
    ]);
    expect(stock(main)).toEqual({ widget: 37, gadget: 5 });
    expect(stock(overflow)).toEqual({ widget: 100 });
  });

  it('a failed task: close(error) is called and the open warehouse is not saved (exit 1)', () => {
    const first = run([JOB]);
    const r = run([JOB, '--param', 'fail=yes'], { tmp: first.tmp });
    expectExit(r, 1);
    expect(r.stderr).toContain('bigrays: job failed (failed: CountWidgets)');
    expect(r.stdout).toContain('without saving (the job failed)');
    // The first two tasks' warehouses were closed (and saved) before the failure; the last one was not.
    expect(stock(join(r.tmp, 'bigrays-examples', 'inventory', 'main'))).toEqual({ widget: 77, gadget: 10 });
    expect(stock(join(r.tmp, 'bigrays-examples', 'inventory', 'overflow'))).toEqual({ widget: 200 });
  });

  it('BIGRAYS_INVENTORY_DIR configures the main warehouse', () => {
    const dir = join(freshTmp(), 'warehouse');
    const r = run([JOB], { env: { BIGRAYS_INVENTORY_DIR: dir } });
    expectExit(r, 0);
    expect(stock(dir)).toEqual({ widget: 37, gadget: 5 });
  });

  it('plan shows the override and the swaps', () => {
    const r = run(['plan', JOB]);
    expectExit(r, 0);
    expect(r.stdout).toContain('3 tasks, 2 resource swaps');
    expect(r.stdout).toMatch(/StoreOverflow +Inventory \{INVENTORY_DIR=.*overflow\} +swap: close Inventory, open Inventory/);
  });
});
