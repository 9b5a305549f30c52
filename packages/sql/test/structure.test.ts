/**
 * The shape of packages/sql/src (issue 11): every dialect's specifics sit in
 * `engines/<dialect>/`, and no file imports itself back through others.
 */
import { describe, expect, it } from '@jest/globals';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const SRC = resolve(dirname(fileURLToPath(import.meta.url)), '../src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

const files = sourceFiles(SRC);
const rel = (path: string): string => relative(SRC, path).split('\\').join('/');

/** Relative imports of a file (static, `export … from`, and dynamic), resolved to source paths; type-only imports count too. */
function importsOf(path: string): string[] {
  const text = readFileSync(path, 'utf8');
  const found = new Set<string>();
  for (const m of text.matchAll(/(?:\bfrom\s+|\bimport\s*\(\s*|^\s*import\s+)'(\.{1,2}\/[^']+)'/gm)) {
    found.add(resolve(dirname(path), m[1]!.replace(/\.js$/, '.ts')));
  }
  return [...found];
}

/** Files allowed to branch on the dialect outside engines/: none (merges and the SQL ledger read the dialect's `upsert` facts). */
const NOT_MOVED_YET: readonly string[] = [];

describe('packages/sql/src structure', () => {
  it('has no dialect branch outside engines/', () => {
    const branch = [
      /\bdialect\s*[!=]==?\s*['"`]/,
      /\bcase\s+'(postgres|postgresql|mysql|mariadb|sqlite|sqlite3)'\s*:/,
      /[!=]==?\s*'(postgres|postgresql|mysql|mariadb|sqlite|sqlite3)'/,
      /'(postgres|postgresql|mysql|mariadb|sqlite|sqlite3)'\s*[!=]==?/,
    ];
    const found: string[] = [];
    for (const path of files) {
      if (rel(path).startsWith('engines/') || NOT_MOVED_YET.includes(rel(path))) continue;
      readFileSync(path, 'utf8')
        .split('\n')
        .forEach((line, i) => {
          if (branch.some((re) => re.test(line))) found.push(`${rel(path)}:${i + 1}: ${line.trim()}`);
        });
    }
    expect(found).toEqual([]);
  });

  it('has no import circle between its files', () => {
    const graph = new Map(files.map((f) => [f, importsOf(f).filter((to) => files.includes(to))]));
    const circles: string[] = [];
    const state = new Map<string, 'open' | 'done'>();
    const stack: string[] = [];
    const visit = (file: string): void => {
      state.set(file, 'open');
      stack.push(file);
      for (const to of graph.get(file) ?? []) {
        if (state.get(to) === 'open') circles.push([...stack.slice(stack.indexOf(to)), to].map(rel).join(' → '));
        else if (state.get(to) === undefined) visit(to);
      }
      stack.pop();
      state.set(file, 'done');
    };
    for (const file of files) if (state.get(file) === undefined) visit(file);
    expect(circles).toEqual([]);
  });

  it('has no source file over about 400 lines', () => {
    const long = files.map((f) => [rel(f), readFileSync(f, 'utf8').split('\n').length] as const).filter(([, lines]) => lines > 420);
    expect(long).toEqual([]);
  });

  it('keeps each dialect in its own folder with a dialect and a driver', () => {
    const dialects = readdirSync(join(SRC, 'engines'), { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name);
    expect(dialects.sort()).toEqual(expect.arrayContaining(['mysql', 'postgres', 'sqlite']));
    for (const d of ['mysql', 'postgres', 'sqlite']) {
      const own = readdirSync(join(SRC, 'engines', d));
      expect(own).toEqual(expect.arrayContaining(['dialect.ts', 'driver.ts', 'engine.ts', 'errors.ts', 'values.ts']));
    }
  });
});
