// The CSV conversion a hand-written Node script would do: every row in memory,
// then every line in memory, then write. Shared by both naive baselines.
import { closeSync, openSync, writeSync } from 'node:fs';

const NEEDS_QUOTES = /[",\r\n]/;

function field(v) {
  if (v === null || v === undefined) return '';
  if (v instanceof Date) return v.toISOString();
  if (typeof v === 'string') return NEEDS_QUOTES.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
  return String(v);
}

/** Converts all rows to CSV lines in memory, then writes them (in slices: one string of 5M lines would exceed V8's maximum string length). */
export function writeCsv(path, columns, rows) {
  const lines = new Array(rows.length + 1);
  lines[0] = columns.map(field).join(',');
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i];
    lines[i + 1] = columns.map((c) => field(row[c])).join(',');
  }
  const fd = openSync(path, 'w');
  try {
    const SLICE = 100_000;
    for (let i = 0; i < lines.length; i += SLICE) writeSync(fd, lines.slice(i, i + SLICE).join('\n') + '\n');
  } finally {
    closeSync(fd);
  }
}
