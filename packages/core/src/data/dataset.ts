/**
 * `Dataset`: a table spooled to a local CSV file, for results too large to
 * hold in memory.
 *
 * @module
 */
import { createReadStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { createArrayDecoder, createRowDecoder, type ColumnType } from './column-types.js';
import { parseCsvBatches, type CsvRecord } from './csv-parser.js';
import type { Row } from './csv-writer.js';
import { untrackSpoolFile } from './spool-files.js';

export type { Row } from './csv-writer.js';

/**
 * Proves a call comes from `DatasetWriter`: a Dataset must describe a file
 * that was written completely, which only the writer knows.
 *
 * @internal
 */
export const DATASET_INIT: unique symbol = Symbol('bigrays.DatasetInit');

/** @internal What `DatasetWriter.finish()` knows about the file it wrote. */
export interface DatasetInit {
  path: string;
  columns: readonly string[];
  columnTypes: readonly ColumnType[];
  rowCount: number;
  byteLength: number;
  /** Bytes of the header line, newline included. */
  headerLength: number;
}

/** Options of {@link Dataset.rows}. */
export interface DatasetRowsOptions {
  /** Yield arrays of values in column order instead of row objects. */
  arrays?: boolean;
}

/** Options of {@link Dataset.csvStream}. */
export interface DatasetCsvOptions {
  /** Start with the header line. Default `true`. */
  header?: boolean;
}

// 64 KiB: decoded chunk strings stay below V8's large-object size, so they die young
// instead of piling up until a full GC (measured: ~10 MB vs ~25 MB heap growth over 200k rows).
const READ_CHUNK = 64 * 1024;
// Raw copies stay as Buffers (outside the JS heap): bigger reads, fewer syscalls.
const COPY_CHUNK = 256 * 1024;

/**
 * A table spooled to a local CSV file (with a header line), plus its column
 * names and types.
 *
 * Iterate it with `for await (const row of ds)`; rows are decoded by column
 * type (see {@link ColumnType}) as they are read, so memory use does not
 * grow with the table. `ToCSV`, `ToS3` and `SQLWrite` copy its bytes via
 * {@link Dataset.csvStream} without decoding it at all.
 *
 * Spool files are deleted when the job ends (and, as a backstop, when the
 * process exits); after that, or after {@link Dataset.delete}, reading it
 * throws. Create one with `DatasetWriter`.
 */
export class Dataset implements AsyncIterable<Row> {
  /** Absolute path of the spool file. */
  readonly path: string;
  /** Column names, in file order. */
  readonly columns: readonly string[];
  /** Column types, parallel to {@link Dataset.columns}. */
  readonly columnTypes: readonly ColumnType[];
  /** Number of data rows (the header is not a row). */
  readonly rowCount: number;
  /** Size of the file in bytes, header included: what `csvStream()` yields. */
  readonly byteLength: number;
  readonly #headerLength: number;
  #deletion: Promise<void> | undefined;

  /** @internal Datasets are created by `DatasetWriter.finish()`. */
  constructor(token: typeof DATASET_INIT, init: DatasetInit) {
    if (token !== DATASET_INIT) {
      throw new TypeError('A Dataset is created by DatasetWriter.finish(), not with `new Dataset()`');
    }
    this.path = init.path;
    this.columns = Object.freeze([...init.columns]);
    this.columnTypes = Object.freeze([...init.columnTypes]);
    this.rowCount = init.rowCount;
    this.byteLength = init.byteLength;
    this.#headerLength = init.headerLength;
  }

  /** True once {@link Dataset.delete} was called (or the job ended). */
  get deleted(): boolean {
    return this.#deletion !== undefined;
  }

  /** Yields each row as an object of typed values. */
  [Symbol.asyncIterator](): AsyncGenerator<Row, void, undefined> {
    return this.rows();
  }

  /**
   * Yields each row as an object (default) or, with `{ arrays: true }`, as
   * an array of values in column order (cheaper: no object per row).
   */
  rows(options: { arrays: true }): AsyncGenerator<unknown[], void, undefined>;
  rows(options?: { arrays?: false }): AsyncGenerator<Row, void, undefined>;
  rows(options?: DatasetRowsOptions): AsyncGenerator<Row | unknown[], void, undefined>;
  async *rows(options: DatasetRowsOptions = {}): AsyncGenerator<Row | unknown[], void, undefined> {
    for await (const batch of this.batches(options)) {
      for (const row of batch) yield row;
    }
  }

  /**
   * Yields the rows in batches (one per chunk read from disk): one promise
   * per batch instead of per row, for consumers that insert in batches.
   */
  batches(options: { arrays: true }): AsyncGenerator<unknown[][], void, undefined>;
  batches(options?: { arrays?: false }): AsyncGenerator<Row[], void, undefined>;
  batches(options?: DatasetRowsOptions): AsyncGenerator<(Row | unknown[])[], void, undefined>;
  async *batches(options: DatasetRowsOptions = {}): AsyncGenerator<(Row | unknown[])[], void, undefined> {
    this.#assertReadable();
    const decode: (r: CsvRecord) => Row | unknown[] = options.arrays
      ? createArrayDecoder(this.columnTypes, this.columns)
      : createRowDecoder(this.columns, this.columnTypes);
    const stream = createReadStream(this.path, { start: this.#headerLength, highWaterMark: READ_CHUNK });
    try {
      // Read from the first row, after the header: a U+FEFF there is the start of a value, not a byte-order mark.
      for await (const records of parseCsvBatches(stream, { bom: false })) {
        const rows = new Array<Row | unknown[]>(records.length);
        for (let i = 0; i < records.length; i++) rows[i] = decode(records[i]!);
        yield rows;
      }
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw this.#goneError(err);
      throw err;
    } finally {
      stream.destroy();
    }
  }

  /** Reads every row into memory. Only for datasets known to be small. */
  async toArray(): Promise<Row[]> {
    const out: Row[] = [];
    for await (const batch of this.batches()) {
      for (const row of batch) out.push(row);
    }
    return out;
  }

  /**
   * The raw CSV bytes of the file (UTF-8, RFC 4180, `\n` line ends), with
   * the header line unless `header: false`. Copying this stream is how a
   * Dataset is exported at disk speed, without decoding and re-encoding.
   *
   * @throws Error when the dataset was deleted.
   */
  csvStream(options: DatasetCsvOptions = {}): Readable {
    this.#assertReadable();
    const start = options.header === false ? this.#headerLength : 0;
    return createReadStream(this.path, { start, highWaterMark: COPY_CHUNK });
  }

  /** Deletes the spool file. Safe to call more than once. */
  delete(): Promise<void> {
    this.#deletion ??= (async () => {
      untrackSpoolFile(this.path);
      await rm(this.path, { force: true });
    })();
    return this.#deletion;
  }

  #assertReadable(): void {
    if (this.#deletion !== undefined) throw this.#goneError();
  }

  #goneError(cause?: unknown): Error {
    return new Error(
      `Dataset ${this.path} (${this.rowCount} rows) was deleted: spool files are removed when the job ends ` +
        'or when delete() is called. Read it before then, or keep a copy with ToCSV.',
      cause === undefined ? undefined : { cause },
    );
  }
}
