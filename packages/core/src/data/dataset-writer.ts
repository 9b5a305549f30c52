/**
 * `DatasetWriter`: spools a table to a local CSV file and hands back a
 * {@link Dataset}.
 *
 * @module
 */
import { randomBytes } from 'node:crypto';
import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { once } from 'node:events';
import { join, resolve } from 'node:path';
import { Writable } from 'node:stream';
import { currentTask } from '../context/task-context.js';
import { ChunkBuilder } from './chunk-builder.js';
import { COLUMN_TYPES, type ColumnType } from './column-types.js';
import { encodeCsvHeader, encodeCsvLoneField, encodeCsvString, encodeCsvValue, type Row } from './csv-writer.js';
import { JsonText } from './json-exact.js';
import { DATASET_INIT, Dataset } from './dataset.js';
import { spoolDir, trackSpoolFile, untrackSpoolFile } from './spool-files.js';

/** A column of a table being spooled. */
export interface DatasetColumn {
  name: string;
  type: ColumnType;
}

/** Options of {@link DatasetWriter.create}. */
export interface DatasetWriterOptions {
  /** Directory of the spool file. Default: a per-process directory under `os.tmpdir()`. */
  dir?: string;
}

/** Bytes buffered before a write to the file: big writes, few syscalls. */
const FLUSH_AT = 64 * 1024;
const LF = 10;

type Encoder = (value: unknown) => string;

/**
 * Writes a table to a spool file: create it with the columns, add rows with
 * {@link DatasetWriter.writeRow} (or pipe raw CSV into
 * {@link DatasetWriter.rawSink}), then {@link DatasetWriter.finish} it into a
 * {@link Dataset}, or {@link DatasetWriter.abort} to delete the file.
 *
 * The file is deleted when the job ends (when created inside a task) and in
 * any case when the process exits.
 *
 * @example
 * const w = await DatasetWriter.create([{ name: 'id', type: 'integer' }, { name: 'name', type: 'text' }]);
 * for (const r of rows) await w.writeRow(r);
 * const ds = await w.finish();
 */
export class DatasetWriter {
  /** Path of the spool file being written. */
  readonly path: string;
  /** The columns, as given to {@link DatasetWriter.create}. */
  readonly columns: readonly DatasetColumn[];
  readonly #names: string[];
  readonly #encoders: Encoder[];
  readonly #out: WriteStream;
  readonly #headerLength: number;
  readonly #chunk = new ChunkBuilder(FLUSH_AT);
  #rows = 0;
  #raw = false;
  /** The last raw byte written was not a newline: a row written next needs one first. */
  #rawOpenLine = false;
  #state: 'open' | 'finishing' | 'finished' | 'aborted' = 'open';
  #error: Error | undefined;
  #dataset: Dataset | undefined;
  #finishing: Promise<Dataset> | undefined;
  #aborting: Promise<void> | undefined;

  private constructor(path: string, columns: readonly DatasetColumn[], out: WriteStream) {
    this.path = path;
    this.columns = Object.freeze(columns.map((c) => Object.freeze({ name: c.name, type: c.type })));
    this.#names = columns.map((c) => c.name);
    this.#encoders = columns.map((c) => encoderFor(c.type));
    this.#out = out;
    const header = encodeCsvHeader(this.#names);
    this.#headerLength = Buffer.byteLength(header);
    this.#chunk.add(header);
    out.on('error', (err) => {
      this.#error ??= err;
    });
  }

  /**
   * Creates a spool file for a table with these columns and writes its
   * header.
   *
   * @throws TypeError for an empty or duplicate column name or an unknown type.
   */
  static async create(columns: readonly DatasetColumn[], options: DatasetWriterOptions = {}): Promise<DatasetWriter> {
    validateColumns(columns);
    let dir: string;
    if (options.dir === undefined) dir = spoolDir();
    else {
      dir = resolve(options.dir);
      await mkdir(dir, { recursive: true });
    }
    const path = join(dir, `${Date.now().toString(36)}-${randomBytes(6).toString('hex')}.csv`);
    trackSpoolFile(path);
    const out = createWriteStream(path, { flags: 'wx' });
    try {
      await once(out, 'open');
    } catch (err) {
      untrackSpoolFile(path);
      throw err;
    }
    const writer = new DatasetWriter(path, columns, out);
    // Inside a run the job owns the file: it goes when the job ends, whatever happened to this writer.
    currentTask()?.run.onJobEnd(() => writer.#cleanup());
    return writer;
  }

  /** Data rows written with {@link DatasetWriter.writeRow} so far. */
  get rowsWritten(): number {
    return this.#rows;
  }

  /**
   * Adds a row: an array of values in column order, or an object keyed by
   * column name (missing keys are null). Values are encoded as by
   * `encodeCsvValue`, except that a `Date` in a `date` column is written as
   * its calendar day and a value in a `json` column as JSON (a string there
   * is a JSON string; a `JsonText` is written as its text).
   *
   * Rows are buffered; the returned promise exists only when the file is
   * behind and the caller should wait before writing more. `await
   * w.writeRow(r)` is always correct; `const p = w.writeRow(r); if (p) await p;`
   * saves a microtask per row.
   */
  writeRow(values: readonly unknown[] | Row): Promise<void> | undefined {
    this.#assertOpen('writeRow');
    const enc = this.#encoders;
    const n = enc.length;
    let line: string;
    if (Array.isArray(values)) {
      if (values.length !== n) {
        throw new TypeError(`writeRow: got ${values.length} values for ${n} columns (${this.#names.join(', ')})`);
      }
      line = n === 0 ? '' : enc[0]!(values[0]);
      for (let i = 1; i < n; i++) line += ',' + enc[i]!(values[i]);
    } else {
      if (typeof values !== 'object' || values === null) {
        throw new TypeError(`writeRow: expected an array of values or a row object; got ${values === null ? 'null' : typeof values}`);
      }
      const row = values as Row;
      const names = this.#names;
      line = n === 0 ? '' : enc[0]!(row[names[0]!]);
      for (let i = 1; i < n; i++) line += ',' + enc[i]!(row[names[i]!]);
    }
    if (n === 1) line = encodeCsvLoneField(line);
    if (this.#rawOpenLine) {
      this.#rawOpenLine = false;
      line = '\n' + line;
    }
    this.#chunk.add(line + '\n');
    this.#rows++;
    return this.#chunk.full ? this.#flush() : undefined;
  }

  /**
   * A writable for raw CSV body bytes (no header, same format: RFC 4180,
   * comma-separated, columns in order), e.g. the output of PostgreSQL's
   * `COPY (...) TO STDOUT (FORMAT csv)`. Ending it does not finish the
   * dataset; call {@link DatasetWriter.finish} with the row count afterwards.
   * Do not interleave it with {@link DatasetWriter.writeRow}.
   */
  rawSink(): Writable {
    this.#assertOpen('rawSink');
    this.#raw = true;
    return new Writable({
      write: (chunk: Buffer, _encoding, cb) => {
        if (this.#state !== 'open') return cb(new Error(`DatasetWriter for ${this.path} is ${this.#state}`));
        if (this.#error !== undefined) return cb(this.#error);
        if (chunk.length === 0) return cb();
        // Rows (or the header) written before the raw bytes go first.
        const pending = this.#chunk.take();
        if (pending !== undefined) this.#out.write(pending);
        this.#rawOpenLine = chunk[chunk.length - 1] !== LF;
        if (this.#out.write(chunk)) cb();
        else this.#waitDrain().then(() => cb(), cb);
      },
    });
  }

  /**
   * Completes the file and returns the Dataset.
   *
   * @param rowCount the number of data rows in the file. Required once
   *   {@link DatasetWriter.rawSink} was used (raw bytes are not parsed);
   *   otherwise the rows written with {@link DatasetWriter.writeRow} are counted.
   */
  finish(rowCount?: number): Promise<Dataset> {
    if (this.#finishing !== undefined) return this.#finishing;
    try {
      this.#assertOpen('finish');
    } catch (err) {
      return Promise.reject(err as Error);
    }
    if (this.#raw && rowCount === undefined) {
      return Promise.reject(
        new TypeError('finish(rowCount): the row count is required when raw CSV was written through rawSink()'),
      );
    }
    this.#state = 'finishing';
    this.#finishing = this.#finish(rowCount ?? this.#rows);
    return this.#finishing;
  }

  async #finish(rowCount: number): Promise<Dataset> {
    const out = this.#out;
    try {
      if (this.#rawOpenLine) this.#chunk.add('\n');
      const pending = this.#chunk.take();
      if (pending !== undefined) out.write(pending);
      out.end();
      await once(out, 'close');
      if (this.#error !== undefined) throw this.#error;
    } catch (err) {
      this.#state = 'aborted';
      untrackSpoolFile(this.path);
      await rm(this.path, { force: true });
      throw err;
    }
    this.#state = 'finished';
    this.#dataset = new Dataset(DATASET_INIT, {
      path: this.path,
      columns: this.#names,
      columnTypes: this.columns.map((c) => c.type),
      rowCount,
      byteLength: out.bytesWritten,
      headerLength: this.#headerLength,
    });
    return this.#dataset;
  }

  /** Stops writing and deletes the file (and the Dataset's, if already finished). Safe to call twice. */
  abort(): Promise<void> {
    this.#aborting ??= this.#abort();
    return this.#aborting;
  }

  async #abort(): Promise<void> {
    if (this.#finishing !== undefined) await this.#finishing.catch(() => undefined);
    if (this.#dataset !== undefined) return this.#dataset.delete();
    this.#state = 'aborted';
    this.#chunk.take();
    const out = this.#out;
    if (!out.closed) {
      const closed = once(out, 'close').catch(() => undefined);
      out.destroy();
      await closed;
    }
    untrackSpoolFile(this.path);
    await rm(this.path, { force: true });
  }

  #cleanup(): Promise<void> {
    return this.#dataset !== undefined ? this.#dataset.delete() : this.abort();
  }

  #flush(): Promise<void> | undefined {
    const ok = this.#out.write(this.#chunk.take()!);
    return ok ? undefined : this.#waitDrain();
  }

  #waitDrain(): Promise<void> {
    const out = this.#out;
    return new Promise((resolve, reject) => {
      const done = (err?: Error) => {
        out.off('drain', onDrain);
        out.off('error', onError);
        out.off('close', onClose);
        if (err === undefined) resolve();
        else reject(err);
      };
      const onDrain = () => done();
      const onError = (err: Error) => done(err);
      const onClose = () => done(this.#error ?? new Error(`spool file ${this.path} was closed while writing`));
      out.on('drain', onDrain);
      out.on('error', onError);
      out.on('close', onClose);
    });
  }

  #assertOpen(method: string): void {
    if (this.#error !== undefined) throw this.#error;
    if (this.#state !== 'open') {
      throw new Error(`DatasetWriter.${method}(): the writer for ${this.path} is already ${this.#state}`);
    }
  }
}

function validateColumns(columns: readonly DatasetColumn[]): void {
  const seen = new Set<string>();
  for (const c of columns) {
    if (typeof c?.name !== 'string' || c.name === '') {
      throw new TypeError(`DatasetWriter.create: every column needs a non-empty name; got ${JSON.stringify(c)}`);
    }
    if (seen.has(c.name)) {
      throw new TypeError(`DatasetWriter.create: duplicate column name ${JSON.stringify(c.name)} (rows would lose one of them)`);
    }
    seen.add(c.name);
    if (!COLUMN_TYPES.includes(c.type)) {
      throw new TypeError(
        `DatasetWriter.create: column ${JSON.stringify(c.name)} has unknown type ${JSON.stringify(c.type)}; expected one of ${COLUMN_TYPES.join(', ')}`,
      );
    }
  }
}

function encoderFor(type: ColumnType): Encoder {
  if (type === 'date') return encodeDate;
  if (type === 'json') return encodeJson;
  return encodeCsvValue;
}

/**
 * Database drivers (node-postgres, mysql2) return a DATE as a `Date` at
 * local midnight, while user code usually builds UTC midnight
 * (`new Date('2026-01-02')`). A `Date` at local midnight is taken as a local
 * calendar day, any other as a UTC one; this reads both right in every zone.
 */
function encodeDate(value: unknown): string {
  if (!(value instanceof Date)) return encodeCsvValue(value);
  if (Number.isNaN(value.getTime())) return '';
  const local = value.getHours() === 0 && value.getMinutes() === 0 && value.getSeconds() === 0 && value.getMilliseconds() === 0;
  return local
    ? ymd(value.getFullYear(), value.getMonth() + 1, value.getDate())
    : ymd(value.getUTCFullYear(), value.getUTCMonth() + 1, value.getUTCDate());
}

function ymd(y: number, m: number, d: number): string {
  return `${String(y).padStart(4, '0')}-${m < 10 ? '0' : ''}${m}-${d < 10 ? '0' : ''}${d}`;
}

function encodeJson(value: unknown): string {
  if (value === null || value === undefined) return '';
  // A string is a JSON string, as SQLWrite writes it: the SQL drivers hand JSON columns over parsed (or as
  // JsonText), so a string here is a value, and writing it raw would make '123' a number and 'text' invalid JSON.
  if (typeof value === 'string') return encodeCsvString(JSON.stringify(value));
  // Exact JSON text (big numbers, a JSON null) as read: written as is.
  if (value instanceof JsonText) return encodeCsvString(value.text);
  const json = JSON.stringify(value, (_k, v: unknown) => {
    // JSON has no Infinity or NaN: JSON.stringify would write null, a silent change (issue 10 new-4).
    if (typeof v === 'number' && !Number.isFinite(v)) throw new TypeError(`a JSON value holds ${v}, which JSON cannot represent; cast the column to text in the query`);
    return typeof v === 'bigint' ? v.toString() : v;
  }) as string | undefined;
  return json === undefined ? '' : encodeCsvString(json);
}
