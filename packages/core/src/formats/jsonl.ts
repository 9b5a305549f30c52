/**
 * JSON Lines: one JSON object per row, `\n` after each.
 *
 * Values: strings, numbers, booleans and nulls as JSON; `Date` → ISO 8601
 * string; bigint → string (JSON numbers beyond 2^53 lose digits in most
 * readers); `Buffer`/`Uint8Array` → base64 string; objects and arrays
 * nested as JSON. A non-finite number is `null`, as in `JSON.stringify`.
 *
 * @module
 */
import { Readable } from 'node:stream';
import type { CsvProgress, Row } from '../data/csv-writer.js';
import { tableSource } from './table-source.js';

/** `JSON.stringify` replacer of the JSON Lines conventions. */
function replacer(this: unknown, key: string, value: unknown): unknown {
  if (typeof value === 'bigint') return value.toString();
  // JSON.stringify has already called Buffer's toJSON; look at the holder's original value.
  const original = key === '' ? value : (this as Record<string, unknown>)[key];
  if (original instanceof Uint8Array) return Buffer.from(original.buffer, original.byteOffset, original.byteLength).toString('base64');
  return value;
}

/** Encodes one row object as a JSON line (with its `\n`). */
export function encodeJsonLine(row: Row): string {
  return JSON.stringify(row, replacer) + '\n';
}

/**
 * Streams rows (an array / iterable / async iterable of row objects) or a
 * Dataset as JSON Lines, one chunk per batch of rows. Keys follow the
 * table's columns (an array: the union of its rows' keys; an iterable: its
 * first row's keys; a Dataset: its columns); a missing value is `null`.
 */
export function jsonLinesStream(input: unknown, options: { onProgress?: (p: CsvProgress) => void } = {}): Readable {
  return Readable.from(jsonLineChunks(input, options), { objectMode: false });
}

async function* jsonLineChunks(input: unknown, options: { onProgress?: (p: CsvProgress) => void }): AsyncGenerator<Buffer> {
  const source = tableSource(input);
  let rows = 0;
  let bytes = 0;
  for await (const batch of source.batches) {
    const columns = source.columns;
    const n = columns.length;
    let text = '';
    for (const values of batch) {
      const row: Row = {};
      for (let i = 0; i < n; i++) {
        const v = values[i];
        row[columns[i]!] = v === undefined ? null : v;
      }
      text += JSON.stringify(row, replacer) + '\n';
    }
    const chunk = Buffer.from(text, 'utf8');
    rows += batch.length;
    bytes += chunk.length;
    options.onProgress?.({ rows, bytes });
    yield chunk;
  }
  options.onProgress?.({ rows, bytes });
}

/**
 * Parses JSON Lines bytes into batches of row objects. Blank lines are
 * skipped; a line that is not a JSON object is an error naming its line
 * number. Accepts `\r\n` line ends and a final line without `\n`.
 */
export async function* parseJsonLines(
  source: AsyncIterable<Buffer | Uint8Array | string> | Iterable<Buffer | Uint8Array | string>,
): AsyncGenerator<Row[]> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let rest = '';
  let line = 0;
  const parse = (text: string, out: Row[]) => {
    line++;
    const t = text.endsWith('\r') ? text.slice(0, -1) : text;
    if (t.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(t);
    } catch (err) {
      throw new SyntaxError(`JSON Lines line ${line} is not valid JSON: ${(err as Error).message}`, { cause: err });
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw new TypeError(`JSON Lines line ${line} is ${Array.isArray(value) ? 'an array' : JSON.stringify(value)}; each line must be a JSON object`);
    }
    out.push(value as Row);
  };
  for await (const chunk of source) {
    const text = rest + (typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true }));
    const lines = text.split('\n');
    rest = lines.pop()!;
    const rows: Row[] = [];
    for (const l of lines) parse(l, rows);
    if (rows.length > 0) yield rows;
  }
  rest += decoder.decode();
  const rows: Row[] = [];
  if (rest !== '') parse(rest, rows);
  if (rows.length > 0) yield rows;
}
