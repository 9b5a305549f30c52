/**
 * Leaves stay leaves (issue 11): no file of a package imports itself back
 * through a circle of imports, and no folder of packages/core/src imports a
 * folder that depends on it (the folders form layers: errors, config,
 * context, templates, logging at the bottom; cli at the top).
 */
import { describe, expect, it } from '@jest/globals';
import { join } from 'node:path';
import { REPO } from '../support/cli.js';
import { cycles, fileGraph, folderGraph } from './import-graph.js';

/**
 * Circles that exist today and are being removed elsewhere; tolerated, never
 * required. Delete an entry when its circle is gone.
 */
const KNOWN_FILE_CIRCLES: Record<string, readonly string[]> = {};

describe('import graph', () => {
  it.each(['core', 'sql', 'aws'])('@bigrays/%s: no circle of imports between files', (pkg) => {
    const found = cycles(fileGraph(join(REPO, 'packages', pkg, 'src')));
    expect(found.filter((c) => !(KNOWN_FILE_CIRCLES[pkg] ?? []).includes(c))).toEqual([]);
  });

  it('packages/core/src: no folder imports a folder that depends on it', () => {
    const folders = folderGraph(fileGraph(join(REPO, 'packages', 'core', 'src')));
    const found = cycles(new Map([...folders].map(([folder, edges]) => [folder, [...edges.keys()]])));
    // Name one import per step of each circle, so the message says which file to move.
    const explained = found.map((c) => {
      const steps = c.split(' → ');
      return `${c}: ${steps.slice(0, -1).map((from, i) => folders.get(from)!.get(steps[i + 1]!)).join(', ')}`;
    });
    expect(explained).toEqual([]);
  });

  it('the graph reader sees the imports it must (a check of the check)', () => {
    const files = fileGraph(join(REPO, 'packages', 'core', 'src'));
    expect(files.get('data/dataset-writer.ts')).toContain('context/task-context.ts');
    expect(files.get('plan/planner.ts')).toContain('metadata/task-contract.ts');
    expect(cycles(new Map([['a', ['b']], ['b', ['c']], ['c', ['a']], ['d', ['a']]]))).toEqual(['a → b → c → a']);
  });
});
