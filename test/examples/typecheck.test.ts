/**
 * The examples are what newcomers copy: they must type-check, not only run
 * (the CLI compiles jobs with esbuild, which strips types without checking
 * them). `tsc -p examples/tsconfig.json` checks every .ts file under
 * examples/ against the built packages' declarations, with standard
 * decorators, as an editor would.
 */
import { describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { REPO } from './support.js';

describe('examples', () => {
  it('type-check (tsc -p examples/tsconfig.json)', () => {
    const r = spawnSync(process.execPath, [join(REPO, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(REPO, 'examples', 'tsconfig.json'), '--pretty', 'false'], {
      cwd: REPO,
      encoding: 'utf8',
      timeout: 120_000,
    });
    expect(`${r.stdout}${r.stderr}`).toBe('');
    expect(r.status).toBe(0);
  }, 120_000);
});
