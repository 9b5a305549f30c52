/**
 * A streaming RFC 4180 CSV parser.
 *
 * It mirrors the writer's conventions: an unquoted empty field is `null`, a
 * quoted empty field (`""`) is `''`. Lines may end with `\n` or `\r\n`.
 * Input that is not strictly RFC 4180 is read the way Python's `csv` module
 * reads it (a quote inside an unquoted field is literal text; text after a
 * closing quote is appended to the field) rather than rejected, so files from
 * other tools load; only a file that ends inside a quoted field is an error,
 * because that means it was truncated.
 *
 * @module
 */
import { StringDecoder } from 'node:string_decoder';

/** One parsed CSV line: raw field texts, `null` for unquoted empty fields. */
export type CsvRecord = (string | null)[];

const COMMA = 44;
const QUOTE = 34;
const CR = 13;
const LF = 10;
const BOM = 0xfeff;

// Parser states. Plain numbers rather than an enum: transpilers that work
// file by file (ts-jest, esbuild) keep enums as object lookups in the hot loop.
/** At the start of a field. */
const FIELD_START = 0;
/** Inside an unquoted field that began in an earlier chunk (or after a closing quote). */
const UNQUOTED = 1;
/** Inside a quoted field. */
const QUOTED = 2;
/** Just read a quote inside a quoted field: an escaped quote or the closing one. */
const QUOTE_IN_QUOTED = 3;

/**
 * An incremental CSV parser: feed it text with {@link CsvParser.push} in
 * chunks of any size (a chunk may end anywhere, even between `\r` and `\n` or
 * between the two quotes of an escaped quote), then call {@link CsvParser.end}.
 *
 * It keeps only the unfinished record between chunks, never the whole input.
 */
export class CsvParser {
  private state: number = FIELD_START;
  private row: CsvRecord = [];
  private field = '';
  /** The previous chunk ended with a CR; a leading LF in the next one belongs to it. */
  private skipLF = false;
  private started: boolean;
  private records = 0;

  /**
   * `bom: false` for input that does not start at the beginning of a file
   * (a spool read from its first row): a leading U+FEFF there is data.
   */
  constructor(options: { bom?: boolean } = {}) {
    this.started = options.bom === false;
  }

  /** Parses `text`, appending every record it completes to `out` (returned). */
  push(text: string, out: CsvRecord[] = []): CsvRecord[] {
    const n = text.length;
    if (n === 0) return out;
    let i = 0;
    if (!this.started) {
      this.started = true;
      // Spreadsheet exports often start with a UTF-8 BOM; it is not part of the first column name.
      if (text.charCodeAt(0) === BOM) i = 1;
    }
    if (this.skipLF) {
      this.skipLF = false;
      if (text.charCodeAt(i) === LF) i++;
    }
    let state = this.state;
    let row = this.row;
    let field = this.field;
    const startCount = out.length;

    while (i < n) {
      if (state === FIELD_START) {
        const c = text.charCodeAt(i);
        if (c === QUOTE) {
          state = QUOTED;
          field = '';
          i++;
          continue;
        }
        let j = i;
        let d = c;
        // Scan an unquoted field; most fields of most files take only this path.
        while (d !== COMMA && d !== LF && d !== CR) {
          if (++j === n) break;
          d = text.charCodeAt(j);
        }
        if (j === n) {
          field = text.slice(i);
          state = UNQUOTED;
          break;
        }
        row.push(j === i ? null : text.slice(i, j));
        i = j + 1;
        if (d !== COMMA) {
          out.push(row);
          row = [];
          if (d === CR) {
            if (i < n) {
              if (text.charCodeAt(i) === LF) i++;
            } else this.skipLF = true;
          }
        }
      } else if (state === QUOTED) {
        const j = text.indexOf('"', i);
        if (j === -1) {
          field += text.slice(i);
          break;
        }
        field += text.slice(i, j);
        i = j + 1;
        state = QUOTE_IN_QUOTED;
      } else if (state === QUOTE_IN_QUOTED) {
        const c = text.charCodeAt(i);
        if (c === QUOTE) {
          field += '"';
          i++;
          state = QUOTED;
        } else if (c === COMMA) {
          row.push(field);
          field = '';
          i++;
          state = FIELD_START;
        } else if (c === LF || c === CR) {
          row.push(field);
          field = '';
          out.push(row);
          row = [];
          i++;
          state = FIELD_START;
          if (c === CR) {
            if (i < n) {
              if (text.charCodeAt(i) === LF) i++;
            } else this.skipLF = true;
          }
        } else {
          state = UNQUOTED;
        }
      } else {
        // Unquoted continuation: finish the field carried over in `field`.
        let j = i;
        let d = text.charCodeAt(j);
        while (d !== COMMA && d !== LF && d !== CR) {
          if (++j === n) break;
          d = text.charCodeAt(j);
        }
        if (j === n) {
          field += text.slice(i);
          break;
        }
        row.push(field + text.slice(i, j));
        field = '';
        state = FIELD_START;
        i = j + 1;
        if (d !== COMMA) {
          out.push(row);
          row = [];
          if (d === CR) {
            if (i < n) {
              if (text.charCodeAt(i) === LF) i++;
            } else this.skipLF = true;
          }
        }
      }
    }

    this.state = state;
    this.row = row;
    this.field = field;
    this.records += out.length - startCount;
    return out;
  }

  /**
   * Completes the last record (a file need not end with a newline) and
   * appends it to `out`.
   *
   * @throws Error when the input ended inside a quoted field (truncated input).
   */
  end(out: CsvRecord[] = []): CsvRecord[] {
    const { state, row } = this;
    if (state === QUOTED) {
      throw new Error(`CSV input ends inside a quoted field (record ${this.records + 1}); the file looks truncated`);
    }
    if (state === FIELD_START) {
      // Right after a newline there is no record; right after a comma the last field is empty.
      if (row.length > 0) row.push(null);
    } else {
      row.push(this.field);
    }
    if (row.length > 0) {
      out.push(row);
      this.records++;
    }
    this.state = FIELD_START;
    this.row = [];
    this.field = '';
    return out;
  }
}

/** Parses a whole CSV text into records. */
export function parseCsvString(text: string): CsvRecord[] {
  const parser = new CsvParser();
  return parser.end(parser.push(text));
}

/** Chunks a CSV source may yield: a Node `Readable` of bytes yields Buffers. */
export type CsvChunk = Buffer | Uint8Array | string;

/**
 * Parses a stream of CSV text or UTF-8 bytes, yielding the records of each
 * chunk as one array. Cheaper than {@link parseCsv} (one promise per chunk,
 * not per row) for consumers that can take rows in batches.
 */
export async function* parseCsvBatches(
  source: AsyncIterable<CsvChunk> | Iterable<CsvChunk>,
  options: { bom?: boolean } = {},
): AsyncGenerator<CsvRecord[], void, undefined> {
  const parser = new CsvParser(options);
  // A multi-byte character may be split across two chunks; the decoder holds the partial bytes.
  const decoder = new StringDecoder('utf8');
  for await (const chunk of source) {
    const records = parser.push(typeof chunk === 'string' ? chunk : decoder.write(chunk));
    if (records.length > 0) yield records;
  }
  const records = parser.end(parser.push(decoder.end()));
  if (records.length > 0) yield records;
}

/**
 * Parses a stream of CSV text or UTF-8 bytes (e.g. a file `Readable`),
 * yielding one record at a time. Breaking out of the loop stops reading and
 * destroys a `Readable` source.
 */
export async function* parseCsv(
  source: AsyncIterable<CsvChunk> | Iterable<CsvChunk>,
): AsyncGenerator<CsvRecord, void, undefined> {
  for await (const batch of parseCsvBatches(source)) {
    for (const record of batch) yield record;
  }
}
