/**
 * RFC 4180 CSV encoding, tuned for exporting millions of rows.
 *
 * Conventions (shared with the parser and with PostgreSQL's `COPY ... CSV`):
 * - `null`/`undefined` is an empty, unquoted field; `''` is `""`, so the two
 *   stay distinguishable after a round trip.
 * - Lines end with `\n`.
 * - Binary values are written in PostgreSQL's bytea hex form, `\x0a1b...`.
 *
 * @module
 */

import { Readable } from 'node:stream';
import { ChunkBuilder } from './chunk-builder.js';
import { JsonText } from './json-exact.js';
import { ProgressThrottle } from '../context/progress-throttle.js';

/** A table row: column name to value. */
export type Row = Record<string, unknown>;

const COMMA = 44;
const QUOTE = 34;
const CR = 13;
const LF = 10;
const SPACE = 32;
/** U+FEFF: a reader drops it at the start of a file (a BOM), so a field that starts with it is quoted. */
const BOM = 0xfeff;

const QUOTES = /"/g;
const NEEDS_QUOTES = /[",\r\n]/;
/**
 * Below this length a charCode loop beats the regex, above it the regex wins
 * (measured on Node 20: ~2 ns/char for the loop, ~0.4 ns/char plus ~10 ns of
 * call overhead for the regex).
 */
const SHORT_STRING = 10;

/**
 * Encodes a string as a CSV field, quoting it only when it must be quoted:
 * when it contains `,` `"` CR or LF, starts or ends with a space (tools
 * that trim unquoted fields would otherwise lose the space), or starts with
 * U+FEFF (read as a byte-order mark, and dropped, at the start of a file or of
 * a spool read from its first row). `''` is `""`.
 */
export function encodeCsvString(s: string): string {
  const n = s.length;
  if (n === 0) return '""';
  const first = s.charCodeAt(0);
  if (first === SPACE || first === BOM || s.charCodeAt(n - 1) === SPACE) return quote(s);
  if (n > SHORT_STRING) return NEEDS_QUOTES.test(s) ? quote(s) : s;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    // One comparison clears every character above '"' except ','.
    if (c <= QUOTE) {
      if (c === QUOTE || c === LF || c === CR) return quote(s);
    } else if (c === COMMA) {
      return quote(s);
    }
  }
  return s;
}

function quote(s: string): string {
  return s.indexOf('"') === -1 ? '"' + s + '"' : '"' + s.replace(QUOTES, '""') + '"';
}

const HEX_PREFIX = '\\x';

/** PostgreSQL's bytea hex form; needs no quoting. */
function encodeBytes(v: Uint8Array): string {
  const buf = Buffer.isBuffer(v) ? v : Buffer.from(v.buffer, v.byteOffset, v.byteLength);
  return HEX_PREFIX + buf.toString('hex');
}

const PAD2: string[] = [];
for (let i = 0; i < 100; i++) PAD2.push(i < 10 ? '0' + i : '' + i);
const PAD3: string[] = [];
for (let i = 0; i < 1000; i++) PAD3.push(i < 10 ? '00' + i : i < 100 ? '0' + i : '' + i);
const DAY_MS = 86_400_000;
let cachedDay = NaN;
let cachedDayPrefix = '';

/**
 * `Date.prototype.toISOString()`, 6-7x faster: the native call costs ~400 ns,
 * and a timestamp column usually repeats the same day many times, so the
 * `YYYY-MM-DDT` prefix is cached and only the time of day is formatted.
 * An invalid Date is null (empty), as in `JSON.stringify`.
 */
function encodeDate(d: Date): string {
  const t = d.getTime();
  if (t !== t) return '';
  const day = Math.floor(t / DAY_MS);
  if (day !== cachedDay) {
    cachedDay = day;
    // Native formatting handles the odd years (negative, > 9999) once per day.
    cachedDayPrefix = d.toISOString().slice(0, -13);
  }
  let rest = t - day * DAY_MS;
  const h = (rest / 3_600_000) | 0;
  rest -= h * 3_600_000;
  const m = (rest / 60_000) | 0;
  rest -= m * 60_000;
  const s = (rest / 1000) | 0;
  rest -= s * 1000;
  return cachedDayPrefix + PAD2[h] + ':' + PAD2[m] + ':' + PAD2[s] + '.' + PAD3[rest] + 'Z';
}

// BigInts nested in objects would make JSON.stringify throw; write them as strings.
function jsonReplacer(_key: string, value: unknown): unknown {
  return typeof value === 'bigint' ? value.toString() : value;
}

/**
 * Encodes one value as a CSV field (without separator or line end).
 *
 * - `null`/`undefined` → empty; `''` → `""`
 * - strings are quoted when they contain `,` `"` CR or LF, or start/end with a space
 * - numbers and bigints → `String(v)`; booleans → `true`/`false`
 * - `Date` → ISO 8601 (`toISOString()`); an invalid `Date` is written as null,
 *   as `JSON.stringify` does
 * - `Buffer`/`Uint8Array` → `\x` + hex (PostgreSQL bytea)
 * - a `JsonText` → its text; other objects → JSON, quoted as needed
 */
export function encodeCsvValue(v: unknown): string {
  switch (typeof v) {
    case 'string':
      return encodeCsvString(v);
    case 'number':
      return String(v);
    case 'bigint':
      return v.toString();
    case 'boolean':
      return v ? 'true' : 'false';
    case 'undefined':
      return '';
    case 'object':
      if (v === null) return '';
      if (v instanceof Date) return encodeDate(v);
      if (v instanceof Uint8Array) return encodeBytes(v);
      if (v instanceof JsonText) return encodeCsvString(v.text);
      {
        const json = JSON.stringify(v, jsonReplacer) as string | undefined;
        return json === undefined ? '' : encodeCsvString(json);
      }
    default:
      // Functions and symbols have no data representation; String() at least shows what slipped in.
      return encodeCsvString(String(v));
  }
}

/** Encodes a list of column names as a header line (ending with `\n`). */
export function encodeCsvHeader(columns: readonly string[]): string {
  return encodeCsvRow(columns);
}

/**
 * PostgreSQL's end-of-data marker: `COPY ... FROM STDIN (FORMAT csv)` and
 * psql's `\copy` stop reading at a line that is exactly `\.`, unquoted.
 */
const END_OF_DATA = '\\.';

/**
 * The line of a one-field row: a lone `\.` is quoted, as PostgreSQL's own
 * CSV output does, so that COPY reads it as data rather than as the end.
 */
export function encodeCsvLoneField(field: string): string {
  return field === END_OF_DATA ? '"\\."' : field;
}

/** Encodes an array of values as one CSV line (ending with `\n`). */
export function encodeCsvRow(values: readonly unknown[]): string {
  const n = values.length;
  if (n === 0) return '\n';
  if (n === 1) return encodeCsvLoneField(field(values[0])) + '\n';
  let line = field(values[0]);
  for (let i = 1; i < n; i++) line += ',' + field(values[i]);
  return line + '\n';
}

/**
 * Encodes an object as one CSV line, taking the values of `columns` in order
 * (missing keys are null; keys not in `columns` are ignored).
 */
export function encodeCsvRecord(row: Row, columns: readonly string[]): string {
  const n = columns.length;
  if (n === 0) return '\n';
  if (n === 1) return encodeCsvLoneField(field(row[columns[0]!])) + '\n';
  let line = field(row[columns[0]!]);
  for (let i = 1; i < n; i++) line += ',' + field(row[columns[i]!]);
  return line + '\n';
}

// Inlined fast path for the two commonest types; everything else goes through encodeCsvValue.
function field(v: unknown): string {
  if (typeof v === 'string') return encodeCsvString(v);
  if (typeof v === 'number') return '' + v;
  return encodeCsvValue(v);
}

/**
 * The union of the rows' own keys, in the order they are first seen.
 * Use it to choose the columns of a table whose rows do not all have the same keys.
 */
export function columnsOf(rows: Iterable<Row>): string[] {
  const seen = new Set<string>();
  let previous: string[] | undefined;
  for (const row of rows) {
    // Non-objects are reported by the encoder, with their position.
    if (typeof row !== 'object' || row === null) continue;
    const keys = Object.keys(row);
    // Rows of a table usually share one key list; skip the Set work when they do.
    if (previous !== undefined && sameKeys(keys, previous)) continue;
    for (const k of keys) seen.add(k);
    previous = keys;
  }
  return [...seen];
}

function sameKeys(a: string[], b: string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

// ---------------------------------------------------------------------------
// Streaming encoder
// ---------------------------------------------------------------------------

/** Totals of a CSV stream so far. */
export interface CsvProgress {
  /** Data rows encoded (the header is not a row). */
  rows: number;
  /** UTF-8 bytes produced, header included. */
  bytes: number;
}

/** Options of {@link rowsToCsvStream}. */
export interface RowsToCsvOptions {
  /**
   * Columns to write, in order; keys of a row that are not among them are
   * ignored. Default: for an array, the union of all rows' keys
   * ({@link columnsOf}); for any other iterable, the union of the keys of its
   * first {@link COLUMN_SAMPLE_ROWS} rows, and a later row with a key outside
   * them fails the stream (naming the row and the key) rather than losing the
   * value. `SQLWrite` decides the columns of an iterable the same way.
   */
  columns?: readonly string[];
  /** Write a header line with the column names. Default `true`. */
  header?: boolean;
  /** Called with running totals at most every ~100 ms, and once at the end. */
  onProgress?: (progress: CsvProgress) => void;
  /** Approximate size of each chunk pushed downstream, in characters. Default 64 KiB. */
  chunkSize?: number;
}

/**
 * How many rows of an iterable (not an array) are read before its columns
 * are decided: the union of their keys. The same number as `SQLWrite`'s
 * sample, so both accept and reject the same inputs.
 */
export const COLUMN_SAMPLE_ROWS = 1000;

/** Rows a CSV stream accepts: objects, or arrays of values when `columns` is given. */
export type CsvSourceRow = Row | readonly unknown[];

const DEFAULT_CHUNK = 64 * 1024;

/**
 * Streams rows as CSV bytes (UTF-8, `\n` line ends, header first unless
 * `header: false`).
 *
 * Many rows are encoded into one ~64 KiB chunk before it is pushed, so the
 * per-row cost is string concatenation only; the stream pulls from `source`
 * only when the consumer wants data (backpressure). Destroying the stream
 * calls the source iterator's `return()`, releasing e.g. a database cursor.
 *
 * @throws TypeError (as a stream error) when a row is not an object, or is an
 *   array while no `columns` were given.
 */
export function rowsToCsvStream(
  source: Iterable<CsvSourceRow> | AsyncIterable<CsvSourceRow>,
  options: RowsToCsvOptions = {},
): Readable {
  return new CsvRowStream(source, options);
}

class CsvRowStream extends Readable {
  private readonly syncIt: Iterator<CsvSourceRow> | undefined;
  private readonly asyncIt: AsyncIterator<CsvSourceRow> | undefined;
  private columns: readonly string[] | undefined;
  private readonly header: boolean;
  private readonly chunk: ChunkBuilder;
  private readonly onProgress: ((p: CsvProgress) => void) | undefined;
  private rows = 0;
  private bytes = 0;
  private readonly throttle = new ProgressThrottle();
  /** Rows of an iterable held back until its columns are decided (the first COLUMN_SAMPLE_ROWS). */
  private sample: Row[] | undefined;
  /** Set when the columns were inferred from a sample: every later row's keys must be among them. */
  private known: Set<string> | undefined;
  private pumping = false;
  /** The source is exhausted, failed, or was released. */
  private ended = false;
  private headerSent = false;

  constructor(source: Iterable<CsvSourceRow> | AsyncIterable<CsvSourceRow>, options: RowsToCsvOptions) {
    const chunkSize = options.chunkSize ?? DEFAULT_CHUNK;
    super({ highWaterMark: chunkSize });
    this.chunk = new ChunkBuilder(chunkSize);
    this.header = options.header ?? true;
    this.onProgress = options.onProgress;
    this.columns = options.columns;
    if (this.columns === undefined && Array.isArray(source) && source.length > 0 && !Array.isArray(source[0])) {
      this.columns = columnsOf(source as Row[]);
    }
    if (this.columns !== undefined) this.addHeader();
    if (Symbol.iterator in source) this.syncIt = source[Symbol.iterator]();
    else this.asyncIt = source[Symbol.asyncIterator]();
  }

  override _read(): void {
    if (this.syncIt !== undefined) this.pumpSync(this.syncIt);
    else if (!this.pumping) void this.pumpAsync(this.asyncIt!);
  }

  private pumpSync(it: Iterator<CsvSourceRow>): void {
    const chunk = this.chunk;
    try {
      for (;;) {
        let rows = 0;
        let done = false;
        while (!chunk.full) {
          const r = it.next();
          if (r.done === true) {
            done = true;
            this.flushSample();
            break;
          }
          chunk.add(this.encode(r.value, rows));
          rows++;
        }
        if (done) this.ended = true;
        const more = this.pushChunk(rows);
        if (done) return this.finish();
        if (!more) return;
      }
    } catch (err) {
      this.ended = true;
      this.destroy(err as Error);
    }
  }

  private async pumpAsync(it: AsyncIterator<CsvSourceRow>): Promise<void> {
    const chunk = this.chunk;
    this.pumping = true;
    try {
      for (;;) {
        let rows = 0;
        let done = false;
        while (!chunk.full) {
          const r = await it.next();
          if (this.destroyed) return;
          if (r.done === true) {
            done = true;
            this.flushSample();
            break;
          }
          chunk.add(this.encode(r.value, rows));
          rows++;
        }
        if (done) this.ended = true;
        const more = this.pushChunk(rows);
        if (done) return this.finish();
        if (!more) return;
      }
    } catch (err) {
      this.ended = true;
      this.destroy(err as Error);
    } finally {
      this.pumping = false;
    }
  }

  private addHeader(): void {
    if (this.header && !this.headerSent) this.chunk.add(encodeCsvHeader(this.columns!));
    this.headerSent = true;
  }

  private encode(row: CsvSourceRow, inChunk: number): string {
    if (typeof row !== 'object' || row === null) {
      throw new TypeError(
        `rowsToCsvStream: row ${this.rows + inChunk + 1} is ${row === null ? 'null' : typeof row}; expected an object (or an array of values)`,
      );
    }
    if (Array.isArray(row)) {
      if (this.columns === undefined) {
        throw new TypeError('rowsToCsvStream: rows are arrays, so the column names must be given in `columns`');
      }
      return encodeCsvRow(row);
    }
    if (this.columns === undefined) {
      // Not an array source (it may not be readable twice): hold the first rows back until they decide the columns.
      (this.sample ??= []).push(row as Row);
      return this.sample.length < COLUMN_SAMPLE_ROWS ? '' : this.decideColumns();
    }
    if (this.known !== undefined) this.checkKeys(row as Row, inChunk);
    return encodeCsvRecord(row as Row, this.columns);
  }

  /** Decides the columns from the held-back rows, adds the header, and returns those rows encoded. */
  private decideColumns(): string {
    const sample = this.sample!;
    this.sample = undefined;
    const columns = columnsOf(sample);
    this.columns = columns;
    this.known = new Set(columns);
    this.addHeader();
    let lines = '';
    for (const row of sample) lines += encodeCsvRecord(row, columns);
    return lines;
  }

  /** The source ended: rows still held back are encoded now. */
  private flushSample(): void {
    if (this.sample !== undefined) this.chunk.add(this.decideColumns());
  }

  /** A key first seen after the sample would be dropped silently: fail instead. */
  private checkKeys(row: Row, inChunk: number): void {
    const known = this.known!;
    for (const key in row) {
      if (!known.has(key) && Object.prototype.hasOwnProperty.call(row, key)) {
        throw new TypeError(
          `row ${this.rows + inChunk + 1} of the input has the column '${key}', which is not among the columns taken from ` +
            `the first ${COLUMN_SAMPLE_ROWS} rows (${this.columns!.join(', ')}); give every row the same keys (null for no value), ` +
            'or pass an array or a Dataset',
        );
      }
    }
  }

  /** Pushes the collected chunk; false when the consumer wants no more for now. */
  private pushChunk(rows: number): boolean {
    this.rows += rows;
    const buf = this.chunk.take();
    if (buf === undefined) return true;
    this.bytes += buf.length;
    if (this.onProgress !== undefined && this.throttle.due()) this.onProgress({ rows: this.rows, bytes: this.bytes });
    return this.push(buf);
  }

  private finish(): void {
    this.onProgress?.({ rows: this.rows, bytes: this.bytes });
    this.push(null);
  }

  override _destroy(err: Error | null, cb: (err?: Error | null) => void): void {
    if (!this.ended) {
      this.ended = true;
      // Not awaited: a source stuck in a pending next() would otherwise hold up destroy().
      const it = this.syncIt ?? this.asyncIt;
      try {
        const r = it?.return?.();
        if (r instanceof Promise) r.catch(() => undefined);
      } catch {
        // The source's cleanup failing must not mask why we are destroying.
      }
    }
    cb(err);
  }
}
