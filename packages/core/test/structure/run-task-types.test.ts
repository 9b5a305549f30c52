/**
 * `runTask` is typed by the task class (issue 11): attributes are checked
 * against the class's properties and the output comes from its `run()`, so
 * the functional wrappers of @bigrays/sql and @bigrays/aws need no casts.
 * test/fixtures/run-task-types.ts holds the checks (`@ts-expect-error` lines
 * fail the compile if the error they expect does not happen); this test
 * compiles it with tsc against the built declarations, as a user's editor
 * would.
 */
import { describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const REPO = fileURLToPath(new URL('../../../../', import.meta.url));
const FIXTURE = fileURLToPath(new URL('../fixtures/run-task-types.ts', import.meta.url));

describe('runTask types', () => {
  it('attributes and output are typed by the task class; runTask<T> still states the output', () => {
    const tsc = `${REPO}node_modules/typescript/bin/tsc`;
    const args = ['--noEmit', '--pretty', 'false', '--strict', '--skipLibCheck', '--target', 'ES2022', '--module', 'NodeNext', '--moduleResolution', 'NodeNext', '--types', 'node', FIXTURE];
    const r = spawnSync(process.execPath, [tsc, ...args], { cwd: REPO, encoding: 'utf8', timeout: 120_000 });
    expect(`${r.stdout}${r.stderr}`).toBe('');
    expect(r.status).toBe(0);
  }, 120_000);
});
