// Summarises a V8 .cpuprofile (node --cpu-prof): self time per function and per package.
//
//   node bench/lib/profile.mjs <file.cpuprofile> [top]
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Where a function lives, short: "pg-protocol/dist/parser.js", "core/dist/data/csv-writer.js", "node:internal/fs/streams". */
function shortUrl(url) {
  if (!url) return '';
  let u = url.replace(/^file:\/\//, '');
  const nm = u.lastIndexOf('/node_modules/');
  if (nm >= 0) return u.slice(nm + '/node_modules/'.length).replace(/^\.pnpm\/[^/]+\/node_modules\//, '');
  const pk = u.indexOf('/packages/');
  if (pk >= 0) return u.slice(pk + '/packages/'.length);
  if (u.includes('bigrays-jobs-')) return `job:${u.split('/').pop()}`;
  return u;
}

/** The package (or area) a function belongs to, for the per-package totals. */
function areaOf(url, name) {
  if (!url) return name.startsWith('(') ? name : '(native/V8)';
  const s = shortUrl(url);
  if (s.startsWith('node:')) return 'node: ' + s.split('/').slice(0, 2).join('/').replace('node:internal', 'internal');
  if (s.startsWith('job:')) return 'job file';
  const parts = s.split('/');
  if (url.includes('/node_modules/')) return parts[0].startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0];
  if (url.includes('/packages/')) return `@bigrays/${parts[0]}`;
  return s;
}

export function summarizeProfile(file, top = 15) {
  const profile = JSON.parse(readFileSync(file, 'utf8'));
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map();
  const { samples, timeDeltas } = profile;
  // timeDeltas[i] is the time before sample i; the time a sample stands for is the gap to the next one.
  for (let i = 0; i < samples.length; i++) {
    const dt = (timeDeltas[i + 1] ?? 0) / 1000;
    self.set(samples[i], (self.get(samples[i]) ?? 0) + dt);
  }
  const totalMs = (profile.endTime - profile.startTime) / 1000;
  const fns = new Map();
  const areas = new Map();
  for (const [id, ms] of self) {
    const node = byId.get(id);
    const cf = node.callFrame;
    const name = cf.functionName || '(anonymous)';
    const where = cf.url ? `${shortUrl(cf.url)}:${cf.lineNumber + 1}` : '';
    const key = `${name}\u0000${where}`;
    fns.set(key, (fns.get(key) ?? 0) + ms);
    const area = areaOf(cf.url, name);
    areas.set(area, (areas.get(area) ?? 0) + ms);
  }
  const pct = (ms) => (100 * ms) / totalMs;
  const functions = [...fns]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([key, ms]) => {
      const [name, where] = key.split('\u0000');
      return { name, where, ms, pct: pct(ms) };
    });
  const byArea = [...areas].sort((a, b) => b[1] - a[1]).slice(0, 10).map(([area, ms]) => ({ area, ms, pct: pct(ms) }));
  const idleMs = [...fns].filter(([k]) => k.startsWith('(idle)')).reduce((a, [, ms]) => a + ms, 0);
  return { totalMs, idleMs, functions, byArea };
}

export function formatProfile(summary) {
  const lines = [];
  lines.push(`profile ${summary.totalMs.toFixed(0)} ms of main-thread time, idle (waiting for I/O) ${summary.idleMs.toFixed(0)} ms`);
  lines.push('top self time:');
  for (const f of summary.functions) lines.push(`  ${f.ms.toFixed(0).padStart(6)} ms ${f.pct.toFixed(1).padStart(5)}%  ${f.name}  ${f.where}`);
  lines.push('by package:');
  for (const a of summary.byArea) lines.push(`  ${a.ms.toFixed(0).padStart(6)} ms ${a.pct.toFixed(1).padStart(5)}%  ${a.area}`);
  return lines.join('\n');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [file, top] = process.argv.slice(2);
  if (!file) {
    console.error('usage: node bench/lib/profile.mjs <file.cpuprofile> [top]');
    process.exit(2);
  }
  console.log(formatProfile(summarizeProfile(file, top ? Number(top) : 20)));
}
