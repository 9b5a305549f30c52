/**
 * The import graph of a package's sources, read from the text of its files:
 * every relative `import … from`, `export … from`, `import '…'` and
 * `import('…')` (type-only imports count too: they are dependencies of the
 * design even when erased at run time).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

/** File → the files it imports, both relative to `root`. */
export type FileGraph = Map<string, Set<string>>;

const IMPORT = /(?:^|[;\s])(?:import|export)\s(?:[^'";]*?\sfrom\s)?['"](\.{1,2}\/[^'"]+)['"]|import\(\s*['"](\.{1,2}\/[^'"]+)['"]\s*\)/g;

export function sourceFiles(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (/\.(ts|mts)$/.test(entry.name) && !entry.name.endsWith('.d.ts')) out.push(path);
    }
  };
  walk(root);
  return out.sort();
}

export function fileGraph(root: string): FileGraph {
  const graph: FileGraph = new Map();
  for (const file of sourceFiles(root)) {
    const from = relative(root, file);
    const targets = new Set<string>();
    const text = readFileSync(file, 'utf8').replace(/\/\*[\s\S]*?\*\/|\/\/[^\n]*/g, '');
    for (const m of text.matchAll(IMPORT)) {
      const spec = (m[1] ?? m[2])!;
      targets.add(relative(root, resolve(dirname(file), spec)).replace(/\.js$/, '.ts'));
    }
    graph.set(from, targets);
  }
  return graph;
}

/** The top-level folder of a file (`.` for files at the root: entry points). */
export const folderOf = (file: string): string => (file.includes('/') ? file.slice(0, file.indexOf('/')) : '.');

/** Folder → folders it imports, with one file-level example per edge. */
export function folderGraph(files: FileGraph): Map<string, Map<string, string>> {
  const graph = new Map<string, Map<string, string>>();
  for (const [from, targets] of files) {
    const edges = graph.get(folderOf(from)) ?? new Map<string, string>();
    graph.set(folderOf(from), edges);
    for (const to of targets) {
      if (folderOf(to) !== folderOf(from) && !edges.has(folderOf(to))) edges.set(folderOf(to), `${from} → ${to}`);
    }
  }
  return graph;
}

/** Every elementary cycle found by a depth-first search, each once, as `a → b → a`. */
export function cycles(graph: ReadonlyMap<string, Iterable<string>>): string[] {
  const found = new Set<string>();
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (node: string) => {
    state.set(node, 'open');
    stack.push(node);
    for (const next of graph.get(node) ?? []) {
      if (state.get(next) === 'open') {
        const loop = stack.slice(stack.indexOf(next));
        // Rotate so the smallest name leads: the same cycle reached from another node prints the same.
        const start = loop.indexOf([...loop].sort()[0]!);
        const canonical = [...loop.slice(start), ...loop.slice(0, start)];
        found.add([...canonical, canonical[0]].join(' → '));
      } else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(node, 'done');
  };
  for (const node of [...graph.keys()].sort()) if (!state.has(node)) visit(node);
  return [...found].sort();
}
