// Micro-benchmark: bigrays' streaming CSV encoder against @json2csv/plainjs.
//
// Run after building the core package (it imports the compiled output):
//
//   pnpm build && node bench/csv-writer.mjs [rows]
//
// CORE_DIST=<dir> points it at another compiled copy of packages/core/src
// (e.g. a partial build); the default is packages/core/dist.
//
// Both encoders get the same 500,000 rows of 10 mixed columns (ints, floats,
// strings, some needing quotes, booleans, Dates, nulls). Ours streams 64 KiB
// chunks (consumed and discarded, as a file write would); json2csv builds one
// string. Each runs 3 times after a warm-up; the best run is reported.
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { dirname, join } from 'node:path';

const here = dirname(fileURLToPath(import.meta.url));
const coreDir = join(here, '..', 'packages', 'core');
const distDir = process.env.CORE_DIST ?? join(coreDir, 'dist');
const { rowsToCsvStream, parseCsvBatches } = await import(pathToFileURL(join(distDir, 'data', 'index.js')).href);
// @json2csv/plainjs is a dependency of packages/core, not of the repo root: resolve it from there.
const { Parser } = createRequire(join(coreDir, 'package.json'))('@json2csv/plainjs');

const N = Number(process.argv[2] ?? 500_000);
const RUNS = 3;

function makeRows(n) {
  const cities = ['Lisbon', 'São Paulo', 'Zürich', 'New York, NY', 'Tokyo 東京'];
  const notes = ['ok', 'needs "review"', 'multi\nline', '', null, ' padded ', 'plain text note'];
  const base = Date.UTC(2026, 0, 1);
  const rows = new Array(n);
  for (let i = 0; i < n; i++) {
    rows[i] = {
      id: i,
      uuid: `c0ffee${(i * 2654435761 >>> 0).toString(16).padStart(8, '0')}`,
      name: `customer ${i}`,
      city: cities[i % cities.length],
      amount: Math.round(i * 137.31) / 100,
      qty: i % 97,
      active: i % 3 === 0,
      created_at: new Date(base + i * 60_000),
      note: notes[i % notes.length],
      score: i % 11 === 0 ? null : (i % 1000) / 7,
    };
  }
  return rows;
}

async function ours(rows) {
  let bytes = 0;
  for await (const chunk of rowsToCsvStream(rows)) bytes += chunk.length;
  return bytes;
}

async function json2csv(rows) {
  const csv = new Parser().parse(rows);
  return Buffer.byteLength(csv);
}

async function oursParse(chunks) {
  let rows = 0;
  for await (const batch of parseCsvBatches(chunks)) rows += batch.length;
  if (chunks.length > 100 && rows !== N + 1) throw new Error(`parsed ${rows} records, expected ${N + 1}`);
  return chunks.reduce((n, c) => n + c.length, 0);
}

async function measure(name, fn, arg, count) {
  await fn(arg.slice(0, 20_000)); // warm-up (JIT)
  let best = Infinity;
  let bytes = 0;
  for (let r = 0; r < RUNS; r++) {
    const t0 = process.hrtime.bigint();
    bytes = await fn(arg);
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    best = Math.min(best, ms);
  }
  const rowsPerSec = Math.round(count / (best / 1000));
  console.log(
    `${name.padEnd(34)} ${String(rowsPerSec.toLocaleString('en-US')).padStart(12)} rows/s  ${(best / 1000).toFixed(2)} s` +
      `  ${(bytes / 1e6 / (best / 1000)).toFixed(0)} MB/s`,
  );
  return rowsPerSec;
}

console.log(`node ${process.version}, ${N.toLocaleString('en-US')} rows x 10 columns, best of ${RUNS}\n`);
const rows = makeRows(N);
const a = await measure('bigrays rowsToCsvStream', ours, rows, N);
const b = await measure('@json2csv/plainjs Parser.parse', json2csv, rows, N);
console.log(`\nbigrays / json2csv: ${(a / b).toFixed(2)}x`);

// The read side, for reference: parse our own output back (what Dataset iteration does before decoding).
const chunks = [];
for await (const chunk of rowsToCsvStream(rows)) chunks.push(chunk);
await measure('bigrays parseCsvBatches (read side)', oursParse, chunks, N);
