// Scenario 8: CSV libraries against bigrays' own encoder and parser, in process (bench/csv-libraries.mjs).
//   write  rows → CSV               bigrays rowsToCsvStream vs @json2csv/plainjs, csv-stringify, papaparse
//   spool  CSV Buffers → records    bigrays parseCsvBatches vs csv-parse, papaparse, udsv, csv-parser
//   s3     CSV text → records       the same parsers on decoded text chunks (FromS3)
// Rows are capped at 200,000: the slowest candidate (csv-parse with a cast) reads ~30,000 rows/s on an idle core.
import { target } from './common.mjs';

export const id = 'scenario8';
export const title = 'CSV libraries (in process)';
export const kind = 'in-process';
export const MAX_ROWS = 200_000;

/** bigrays must be the fastest candidate whose output is exact, or the path should use that library. */
function fastestExact(label, results, exact) {
  const ours = results.find((r) => r.key === 'bigrays');
  const rivals = results.filter((r) => r.key !== 'bigrays' && !(exact[r.key]?.length > 0) && Number.isFinite(r.medianMs));
  const best = rivals.sort((a, b) => a.medianMs - b.medianMs)[0];
  if (best === undefined) return target(`${label}: no exact library to switch to`, 'none exact', true, 'bigrays');
  return target(`${label}: bigrays at least as fast as the fastest exact library`, `${(best.medianMs / ours.medianMs).toFixed(2)}× ${best.key}`, ours.medianMs <= best.medianMs, 'bigrays');
}

export async function run(ctx) {
  const rows = Math.min(ctx.rows, MAX_ROWS);
  // Imported here: it loads packages/core/dist and the libraries, which the other scenarios do not need.
  const { run: compare } = await import('../../csv-libraries.mjs');
  const result = await compare({ rows, rounds: Math.max(ctx.runs, 3), log: ctx.log });
  const targets = [
    fastestExact('rows → CSV', result.writes, result.exact.writers),
    fastestExact('Dataset spool read', result.spool, result.exact.spoolParsers),
    fastestExact('FromS3 CSV parse', result.s3, result.exact.parsers),
  ];
  const checks = [{ label: 'CSV: bigrays parses back its own output exactly (adversarial values)', ok: result.exact.self.length === 0, detail: result.exact.self.join('; ') || `${result.exact.cases} cases` }];
  const notes = rows < ctx.rows ? [`run on ${rows.toLocaleString('en-US')} rows (capped), not ${ctx.rows.toLocaleString('en-US')}.`] : [];
  return { id, title, kind, rows, tools: [], targets, checks, notes, markdown: result.markdown };
}
