// CSV libraries against bigrays' own encoder and parser (issue 11, item 6).
//
//   pnpm build && node bench/csv-libraries.mjs [--rows N] [--rounds R] [--out FILE]
//   (also reachable as `node bench/run.mjs --csv-libraries`, see bench/README.md)
//
// CORE_DIST=<dir> points it at another compiled copy of packages/core/src.
//
// Three hot paths, each candidate configured as close to bigrays' CSV
// conventions as its own options allow (quote only when needed, `''` as `""`
// and null as nothing, `\n` line ends, ISO dates, bytea hex for bytes):
//   write  rows → CSV            (ToCSV, ToS3, SQLWrite's COPY input: rowsToCsvStream)
//   spool  CSV Buffers → records  (Dataset iteration: parseCsvBatches over 256 KiB file chunks)
//   s3     CSV strings → records  (FromS3: parseCsvBatches over decoded 64 KiB text chunks)
// The machine may be shared: candidates are interleaved (their order rotates
// each round), every round runs every candidate once, and the median of the
// rounds is reported with the load average before and after.
//
// Before timing anything, each candidate's output is checked byte for byte
// (writers) or record for record (parsers, null vs '' included) against
// bigrays' on adversarial values; speed only matters where that check passes.
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { dirname, join } from 'node:path';
import { loadavg, cpus } from 'node:os';
import { writeFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const distDir = process.env.CORE_DIST ?? join(root, 'packages', 'core', 'dist');
const { rowsToCsvStream, parseCsvBatches, parseCsvString, encodeCsvValue } = await import(pathToFileURL(join(distDir, 'plugin.js')).href);
// The libraries are devDependencies of the repository root, not of any package.
const require = createRequire(join(root, 'package.json'));
const { Parser: Json2csvParser } = require('@json2csv/plainjs');
const { stringify } = require('csv-stringify/sync');
const { parse: csvParse } = require('csv-parse');
const Papa = require('papaparse');
const udsv = require('udsv');
const csvParser = require('csv-parser');

// ---------------------------------------------------------------------------
// Arguments

export function parseArgs(argv) {
  const opts = { rows: 100_000, rounds: 3, out: undefined };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const next = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    if (a === '--rows') opts.rows = Number(next().replace(/[_,]/g, ''));
    else if (a === '--rounds') opts.rounds = Number(next());
    else if (a === '--out') opts.out = next();
    else if (a === '--help' || a === '-h') opts.help = true;
    else throw new Error(`unknown flag ${a}`);
  }
  if (!Number.isInteger(opts.rows) || opts.rows <= 0) throw new Error('--rows needs a positive integer');
  if (!Number.isInteger(opts.rounds) || opts.rounds <= 0) throw new Error('--rounds needs a positive integer');
  return opts;
}

// ---------------------------------------------------------------------------
// Data

/** The bench's usual 10 mixed columns (as bench/lib/data.mjs, in memory). */
function makeRows(n) {
  const cities = ['Lisbon', 'São Paulo', 'Zürich', 'New York, NY', 'Tokyo 東京'];
  const notes = ['ok', 'needs "review"', 'multi\nline', '', null, ' padded ', 'plain text note'];
  const base = Date.UTC(2026, 0, 1);
  const rows = new Array(n);
  for (let i = 0; i < n; i++) {
    rows[i] = {
      id: i,
      uuid: `c0ffee${((i * 2654435761) >>> 0).toString(16).padStart(8, '0')}`,
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

/** Values that break naive encoders, each in its own row (single column and among others). */
const ADVERSARIAL = [
  '\\.', '\\.\n', '\\N', 'plain', '', null, undefined, '"', '""', 'quote " inside', ',', 'a,b', '\n', '\r', '\r\n', 'line\nbreak',
  'bare\rcr', ' lead', 'trail ', '   ', '\ttab', 'ünïcödé façade', '日本語', 'emoji 🎉👍🏽 👨‍👩‍👧', '\u2028\u0085',
  'x'.repeat(100_000) + ',"\n', 12345678901234567890n, -0, 1e21, Number.NaN, 0.1, true, false,
  new Date(Date.UTC(2026, 0, 1, 12, 34, 56, 789)), new Date(-62198755200000), new Date(Number.NaN),
  Buffer.from([0, 1, 0xab, 0xff]), new Uint8Array(0), { a: 1, b: 'x,"y"' }, [1, 2n],
];

function adversarialRows() {
  const rows = ADVERSARIAL.map((v, i) => ({ id: i, v, w: v, last: 'end' }));
  return rows;
}
const ADVERSARIAL_SINGLE = ADVERSARIAL.map((v) => ({ v }));

// ---------------------------------------------------------------------------
// Writers: (rows, columns) → CSV text (header + `\n`-terminated lines)

const ISO = (d) => (Number.isNaN(d.getTime()) ? '' : d.toISOString());
const hex = (b) => '\\x' + Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex');
const json = (v) => JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? x.toString() : x));

async function oursWrite(rows, columns) {
  const parts = [];
  for await (const chunk of rowsToCsvStream(rows, { columns })) parts.push(chunk);
  return Buffer.concat(parts).toString('utf8');
}

function json2csvWrite(rows, columns) {
  // Its own quote-if-necessary formatter; objects go through JSON unless they are Dates or bytes.
  const { stringQuoteOnlyIfNecessary } = require(require.resolve('@json2csv/formatters', { paths: [dirname(require.resolve('@json2csv/plainjs'))] }));
  const str = stringQuoteOnlyIfNecessary({ eol: '\n' });
  const parser = new Json2csvParser({
    fields: columns,
    eol: '\n',
    formatters: {
      header: str,
      string: str,
      object: (v) => (v === null ? '' : v instanceof Date ? ISO(v) : v instanceof Uint8Array ? hex(v) : str(json(v))),
    },
  });
  return parser.parse(rows) + '\n';
}

function csvStringifyWrite(rows, columns) {
  return stringify(rows, {
    header: true,
    columns,
    record_delimiter: '\n',
    // Leading/trailing spaces quoted as ours do; an empty string is quoted so that it differs from null.
    quoted_match: /^ | $/,
    cast: {
      string: (s) => (s === '' ? { value: '', quote: true } : s),
      boolean: (b) => (b ? 'true' : 'false'),
      date: ISO,
      object: (v) => (v instanceof Uint8Array ? hex(v) : json(v)),
    },
  });
}

function papaWrite(rows, columns) {
  // No cast hook: bytes and objects cannot be configured; '' is quoted through the quotes callback.
  return Papa.unparse(rows, { columns, newline: '\n', quotes: (v) => v === '' }) + '\n';
}

const WRITERS = [
  { key: 'bigrays', label: 'bigrays rowsToCsvStream', fn: oursWrite },
  { key: 'json2csv', label: '@json2csv/plainjs Parser.parse', fn: json2csvWrite },
  { key: 'csv-stringify', label: 'csv-stringify/sync', fn: csvStringifyWrite },
  { key: 'papaparse', label: 'papaparse unparse', fn: papaWrite },
];

// ---------------------------------------------------------------------------
// Parsers: chunks (Buffers or strings) → records (`null` = unquoted empty field)

async function oursParse(chunks) {
  const out = [];
  for await (const batch of parseCsvBatches(chunks)) for (const r of batch) out.push(r);
  return out;
}

/**
 * csv-parse with the closest options: BOM skipped, ragged rows kept (the callers check widths), a quote in an
 * unquoted field kept as text; with `cast`, the `quoting` flag of the cast context tells "" ('') from nothing
 * (null), which is the only way it has to keep them apart.
 */
const CSV_PARSE_OPTIONS = { bom: true, relax_column_count: true, relax_quotes: true };
const csvParseCast = (chunks) => csvParseParse(chunks, { ...CSV_PARSE_OPTIONS, cast: (v, ctx) => (v === '' && !ctx.quoting ? null : v) });
const csvParsePlain = (chunks) => csvParseParse(chunks, CSV_PARSE_OPTIONS);

function csvParseParse(chunks, options) {
  return new Promise((resolve, reject) => {
    const out = [];
    const p = csvParse(options);
    p.on('data', (r) => out.push(r));
    p.on('error', reject);
    p.on('end', () => resolve(out));
    for (const c of chunks) p.write(c);
    p.end();
  });
}

function papaParse(chunks) {
  // Streaming in papaparse needs a browser File or its Node duplex; the whole text at once is its fastest path.
  const decoder = new StringDecoder('utf8');
  let text = '';
  for (const c of chunks) text += typeof c === 'string' ? c : decoder.write(c);
  text += decoder.end();
  const res = Papa.parse(text, { delimiter: ',', newline: '\n', skipEmptyLines: false });
  const data = res.data;

  // A final newline leaves one empty record behind.
  if (data.length > 0 && data[data.length - 1].length === 1 && data[data.length - 1][0] === '') data.pop();
  return data;
}

function udsvParse(chunks) {
  const decoder = new StringDecoder('utf8');
  let text = '';
  for (const c of chunks) text += typeof c === 'string' ? c : decoder.write(c);
  text += decoder.end();
  const schema = udsv.inferSchema(text, { header: () => [] });
  const parser = udsv.initParser(schema);
  return parser.stringArrs(text);
}

function csvParserParse(chunks) {
  return new Promise((resolve, reject) => {
    const out = [];
    const p = csvParser({ headers: false });
    p.on('data', (r) => out.push(Object.values(r)));
    p.on('error', reject);
    p.on('end', () => resolve(out));
    Readable.from(chunks).pipe(p);
  });
}

const PARSERS = [
  { key: 'bigrays', label: 'bigrays parseCsvBatches', fn: oursParse },
  { key: 'csv-parse', label: 'csv-parse (stream, no cast)', fn: csvParsePlain },
  { key: 'csv-parse+cast', label: 'csv-parse (stream, cast for null)', fn: csvParseCast },
  { key: 'papaparse', label: 'papaparse parse (whole text)', fn: papaParse },
  { key: 'udsv', label: 'udsv stringArrs (whole text)', fn: udsvParse },
  { key: 'csv-parser', label: 'csv-parser (stream)', fn: csvParserParse },
];

// ---------------------------------------------------------------------------
// Exactness

function firstDiff(a, b) {
  const n = Math.min(a.length, b.length);
  let i = 0;
  while (i < n && a[i] === b[i]) i++;
  if (i === n && a.length === b.length) return undefined;
  const from = Math.max(0, i - 25);
  return `at char ${i}: ours …${JSON.stringify(a.slice(from, i + 25))} vs …${JSON.stringify(b.slice(from, i + 25))}`;
}

function recordsDiff(ours, theirs) {
  const n = Math.max(ours.length, theirs.length);
  for (let i = 0; i < n; i++) {
    const a = ours[i];
    const b = theirs[i];
    if (a === undefined || b === undefined) return `record ${i + 1}: ${a === undefined ? 'extra' : 'missing'} (${ours.length} vs ${theirs.length} records)`;
    for (let j = 0; j < Math.max(a.length, b.length); j++) {
      if (a[j] !== b[j]) return `record ${i + 1} field ${j + 1}: ours ${JSON.stringify(a[j])?.slice(0, 40)} vs ${JSON.stringify(b[j])?.slice(0, 40)}`;
    }
  }
  return undefined;
}

/** Splits text into Buffers of `size` bytes (a cut may fall inside a character or a quoted field). */
function toBufferChunks(text, size) {
  const buf = Buffer.from(text, 'utf8');
  const out = [];
  for (let i = 0; i < buf.length; i += size) out.push(buf.subarray(i, i + size));
  return out;
}
/** Splits text into strings of about `size` characters, never between the halves of a surrogate pair (as a TextDecoder). */
function toStringChunks(text, size) {
  const out = [];
  for (let i = 0; i < text.length; ) {
    let j = Math.min(i + size, text.length);
    const c = text.charCodeAt(j - 1);
    if (j < text.length && c >= 0xd800 && c <= 0xdbff) j++;
    out.push(text.slice(i, j));
    i = j;
  }
  return out;
}

/** Lenient input the readers meet in files from other tools (FromS3). */
const FOREIGN_CSV = '\ufeffid,name\r\n1,ab"c\r\n2,"ab"cd\r\n3,\r\n4,""\r\n5,"x\r\ny"';

const FOREIGN_NAME = 'foreign CSV (BOM, CRLF, stray quotes)';

/** A short name for a value in the report. */
function describe(v) {
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? 'Invalid Date' : `Date(${v.getUTCFullYear()})`;
  if (Buffer.isBuffer(v)) return 'Buffer';
  if (v instanceof Uint8Array) return 'Uint8Array';
  if (typeof v === 'bigint') return `${v}n`;
  if (typeof v === 'string') return v.length > 20 ? `'${v.slice(0, 3)}…' (${v.length} chars)` : JSON.stringify(v).replaceAll('|', '\\|');
  if (typeof v === 'number' && Object.is(v, -0)) return '-0';
  if (v !== null && typeof v === 'object') return Array.isArray(v) ? 'array' : 'object';
  return String(v);
}

/**
 * Each adversarial value alone in a two-column row, each alone in a one-column row (where PostgreSQL's
 * end-of-data marker `\.` can appear), and the bench rows: a candidate is exact where its bytes (writers) or
 * records (parsers, null vs '' included, fed in 7-byte Buffers and 5-character strings) equal bigrays'.
 */
async function exactness(sampleRows) {
  const cases = [
    ...ADVERSARIAL.map((v) => [describe(v), [{ v, end: 'end' }], ['v', 'end']]),
    ...ADVERSARIAL.map((v) => [`${describe(v)} alone on a line`, [{ v }], ['v']]),
    ['bench rows (first 2,000)', sampleRows.slice(0, 2000), Object.keys(sampleRows[0])],
  ];
  const oursText = new Map();
  for (const [name, rows, columns] of cases) oursText.set(name, await oursWrite(rows, columns));
  const results = { writers: {}, parsers: {}, spoolParsers: {}, self: [] };
  for (const w of WRITERS) {
    if (w.key === 'bigrays') continue;
    const problems = [];
    for (const [name, rows, columns] of cases) {
      try {
        const d = firstDiff(oursText.get(name), await w.fn(rows, columns));
        if (d) problems.push({ name, detail: d });
      } catch (err) {
        problems.push({ name, detail: `throws ${String(err.message ?? err).split('\n')[0]}` });
      }
    }
    results.writers[w.key] = problems;
  }
  const texts = [...oursText.entries(), [FOREIGN_NAME, FOREIGN_CSV]];
  for (const p of PARSERS) {
    if (p.key === 'bigrays') continue;
    const problems = [];
    for (const [name, text] of texts) {
      const expected = parseCsvString(text);
      for (const [how, chunks] of [['Buffers', toBufferChunks(text, 7)], ['strings', toStringChunks(text, 5)]]) {
        try {
          const d = recordsDiff(expected, await p.fn(chunks));
          if (d) {
            problems.push({ name, detail: `${d} (${how})`, foreign: name === FOREIGN_NAME });
            break;
          }
        } catch (err) {
          problems.push({ name, detail: `throws ${String(err.message ?? err).split('\n')[0]} (${how})`, foreign: name === FOREIGN_NAME });
          break;
        }
      }
    }
    results.parsers[p.key] = problems;
    // A spool file is always bigrays' own output: how a parser reads other tools' files does not matter there.
    results.spoolParsers[p.key] = problems.filter((x) => !x.foreign);
  }
  // Our own parser reads back our own encoder's output (the Dataset round trip).
  for (const [name, rows, columns] of cases) {
    const back = await oursParse(toBufferChunks(oursText.get(name), 7));
    const expected = [columns, ...rows.map((r) => columns.map((c) => encodeRaw(r[c])))];
    const d = recordsDiff(expected, back);
    if (d) results.self.push(`${name}: ${d}`);
  }
  results.cases = cases.length;
  return results;
}

/** The text a value has in a CSV field once unquoted (what the parser must give back). */
function encodeRaw(v) {
  if (v === null || v === undefined) return null;
  const field = encodeCsvValue(v);
  return field.startsWith('"') ? field.slice(1, -1).replaceAll('""', '"') : field === '' ? null : field;
}

// ---------------------------------------------------------------------------
// Timing

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const load = () => loadavg().map((x) => x.toFixed(2)).join(' ');

/**
 * Every run gets its own copy of Buffer chunks (made before the clock starts): csv-parser writes into the
 * Buffers it is given, which broke the candidates run after it on the same chunks.
 */
const fresh = (arg) => (Array.isArray(arg) && Buffer.isBuffer(arg[0]) ? arg.map((b) => Buffer.from(b)) : arg);

/** Wall time, and CPU time of the process (user + system): on a loaded machine the CPU time is the steadier figure. */
async function timeOnce(fn, arg, extra) {
  arg = fresh(arg);
  globalThis.gc?.();
  const c0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  const out = await fn(arg, extra);
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  const c = process.cpuUsage(c0);
  return { ms, cpuMs: (c.user + c.system) / 1000, out };
}

/** The first ~2 MB of the input, to warm the JIT up (a parser may then end inside a quoted field: ignored). */
function warmUpInput(arg) {
  if (!Array.isArray(arg)) return arg;
  if (typeof arg[0] === 'object' && !Buffer.isBuffer(arg[0])) return arg.slice(0, 20_000);
  let size = 0;
  let n = 0;
  while (n < arg.length && size < 2e6) size += arg[n++].length;
  return arg.slice(0, n);
}

async function timeCandidates(candidates, arg, extra, rounds, count, check) {
  for (const c of candidates) await Promise.resolve(c.fn(fresh(warmUpInput(arg)), extra)).catch(() => undefined);
  const times = new Map(candidates.map((c) => [c.key, []]));
  const cpu = new Map(candidates.map((c) => [c.key, []]));
  for (let r = 0; r < rounds; r++) {
    // Rotate the order so that no candidate always runs first (or right after a GC-heavy one).
    const order = candidates.map((_, i) => candidates[(i + r) % candidates.length]);
    for (const c of order) {
      try {
        const { ms, cpuMs, out } = await timeOnce(c.fn, arg, extra);
        check?.(c, out);
        times.get(c.key).push(ms);
        cpu.get(c.key).push(cpuMs);
      } catch (err) {
        times.get(c.key).push(Number.NaN);
        cpu.get(c.key).push(Number.NaN);
        process.stderr.write(`[csv-libraries] ${c.key}: ${err.message ?? err}\n`);
      }
    }
  }
  return candidates.map((c) => {
    const ms = times.get(c.key);
    const med = median(ms.filter((x) => !Number.isNaN(x)));
    const cpuMed = median(cpu.get(c.key).filter((x) => !Number.isNaN(x)));
    return { key: c.key, label: c.label, runsMs: ms, medianMs: med, cpuMs: cpuMed, rowsPerS: count / (med / 1000) };
  });
}

// ---------------------------------------------------------------------------
// Report

function table(title, rows, exact, oursKey = 'bigrays') {
  const ours = rows.find((r) => r.key === oursKey);
  const lines = [
    `### ${title}`,
    '',
    '| candidate | median wall | rows/s | speed vs bigrays (wall) | median CPU | speed vs bigrays (CPU) | runs (wall ms) | exact vs bigrays |',
    '|---|---:|---:|---:|---:|---:|---|---|',
  ];
  for (const r of rows) {
    const ex = r.key === oursKey ? 'reference' : exact[r.key]?.length ? `no: ${exact[r.key].length} of ${exact.cases} cases differ` : 'yes';
    lines.push(
      `| ${r.label} | ${(r.medianMs / 1000).toFixed(3)} s | ${Math.round(r.rowsPerS).toLocaleString('en-US')} | ${(ours.medianMs / r.medianMs).toFixed(2)}× | ` +
        `${(r.cpuMs / 1000).toFixed(3)} s | ${(ours.cpuMs / r.cpuMs).toFixed(2)}× | ${r.runsMs.map((x) => x.toFixed(0)).join(', ')} | ${ex} |`,
    );
  }
  return lines.join('\n');
}

export async function run({ rows: N, rounds, log = (m) => process.stderr.write(`[csv-libraries] ${m}\n`) }) {
  const loadStart = load();
  log(`node ${process.version}, ${cpus().length} CPUs, load ${loadStart}; ${N.toLocaleString('en-US')} rows, ${rounds} rounds`);
  const rows = makeRows(N);
  const columns = Object.keys(rows[0]);

  log('exactness checks');
  const exact = await exactness(rows);

  log('write: rows → CSV');
  let expectedBytes;
  const writes = await timeCandidates(WRITERS, rows, columns, rounds, N, (c, out) => {
    const bytes = typeof out === 'string' ? Buffer.byteLength(out) : out.length;
    if (c.key === 'bigrays') expectedBytes = bytes;
  });

  const text = await oursWrite(rows, columns);
  const records = N + 1;
  const checkCount = (c, out) => {
    if (out.length !== records) throw new Error(`${c.key} read ${out.length} records, expected ${records}`);
  };
  log('spool: 256 KiB Buffer chunks → records (Dataset iteration)');
  const spool = await timeCandidates(PARSERS, toBufferChunks(text, 256 * 1024), undefined, rounds, N, checkCount);
  log('s3: 64 KiB string chunks → records (FromS3)');
  const s3 = await timeCandidates(PARSERS, toStringChunks(text, 64 * 1024), undefined, rounds, N, checkCount);
  const loadEnd = load();

  const problems = (group) =>
    Object.entries(group)
      .filter(([, p]) => p.length)
      .map(([k, p]) => `- **${k}** differs on: ${p.map((x) => x.name).join(', ')}. First: ${p[0].name}: ${p[0].detail}`);
  const md = [
    `## CSV libraries vs bigrays (${new Date().toISOString().slice(0, 16)}Z)`,
    '',
    `node ${process.version}, ${cpus().length} CPUs (${cpus()[0]?.model ?? '?'}), ${N.toLocaleString('en-US')} rows × ${columns.length} columns` +
      ` (${(Buffer.byteLength(text) / 1e6).toFixed(1)} MB of CSV), median of ${rounds} interleaved rounds; load average ${loadStart} at start, ${loadEnd} at end.`,
    '',
    table('rows → CSV (ToCSV, ToS3, COPY input)', writes, { ...exact.writers, cases: exact.cases }),
    '',
    table('CSV Buffers → records (Dataset spool read; exact = on bigrays\' own output)', spool, { ...exact.spoolParsers, cases: exact.cases }),
    '',
    table('CSV text chunks → records (FromS3)', s3, { ...exact.parsers, cases: exact.cases + 1 }),
    '',
    '### Exactness against bigrays',
    '',
    'Writers (bytes):',
    ...(problems(exact.writers).length ? problems(exact.writers) : ['- all identical']),
    '',
    'Parsers (records, null vs empty string):',
    ...(problems(exact.parsers).length ? problems(exact.parsers) : ['- all identical']),
    '',
    `bigrays reads back its own output: ${exact.self.length ? exact.self.join('; ') : 'exact on every case'}.`,
    '',
  ].join('\n');
  return { markdown: md, writes, spool, s3, exact, loadStart, loadEnd, expectedBytes };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  let opts;
  try {
    opts = parseArgs(process.argv.slice(2));
  } catch (err) {
    console.error(`csv-libraries: ${err.message}`);
    process.exit(2);
  }
  if (opts.help) {
    console.log('Usage: node bench/csv-libraries.mjs [--rows N (100000)] [--rounds R (3)] [--out FILE]');
    process.exit(0);
  }
  const result = await run(opts);
  process.stdout.write(result.markdown);
  if (opts.out) writeFileSync(opts.out, result.markdown);
}
