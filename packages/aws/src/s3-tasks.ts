/**
 * The built-in S3 tasks: `S3Task` (custom S3 work), `ToS3`/`S3Upload`,
 * `FromS3`, `ListS3Objects`. They are base classes: extend one and decorate
 * the subclass with `@Task()`.
 *
 * @module
 */
import {
  Requires,
  TaskError,
  type ParquetColumnType,
  type Progress,
  type Row,
  type TableCompression,
  type TableFormat,
} from '@bigrays/core';
import {
  StrictTextDecoder,
  TextDecodeError,
  ProgressThrottle,
  currentTask,
  parseCsvBatches,
  textEncoding,
} from '@bigrays/core/plugin';
import { S3Client } from './s3-client.js';
import { taskError } from './errors.js';
import { maybeGunzip, type FromS3Decompress } from './formats/decompress.js';
import { jsonlRows, parquetObjectRows } from './formats/read-rows.js';
import type { ServerSideEncryptionSetting } from './upload.js';


/**
 * Base class of tasks that work with S3 through the SDK: `run` receives the
 * open {@link S3Client} (`s3.client` is the AWS SDK client; `s3.upload`,
 * `s3.getObject`, `s3.listKeys`, ... are helpers).
 *
 * @example
 * \@Task()
 * class CountReports extends S3Task {
 *   async run(s3: S3Client) {
 *     return (await s3.listKeys('reports', { suffix: '.csv' })).length;
 *   }
 * }
 */
@Requires(S3Client)
export abstract class S3Task {
  abstract run(s3: S3Client): unknown;
}

/**
 * Uploads `input` to `s3://bucket/key`; outputs that URI.
 *
 * `input`: rows (an array, iterable or async iterable of objects → CSV with
 * a header), a `Dataset` (its CSV file), a string, a Buffer/Uint8Array or a
 * Readable (uploaded as is). The upload streams through a multipart upload
 * (8 MiB parts, 4 at once), so memory stays bounded whatever the size.
 *
 * An existing object is an error and is left untouched unless `overwrite`
 * is true; on any failure or abort nothing is written.
 *
 * @example
 * \@Task()
 * class UploadPredictions extends ToS3 {
 *   \@Input(MakePredictions) input!: Row[];
 *   bucket = 'my-bucket';
 *   key = '{run_date}/predictions.csv';
 * }
 */
// Attributes without a default are declared through an interface rather than as class fields, so that a
// subclass can redeclare them with a precise type (`@Input(Upstream) input!: Row[]`) without TypeScript's
// error TS2612 (useDefineForClassFields).
export interface ToS3 {
  /** Bucket name (templated). */
  bucket: string;
  /** Object key (templated), e.g. `'{run_date}/predictions.csv'`. */
  key: string;
  /** What to upload: rows, a Dataset, a string, bytes or a Readable. Usually an `@Input`. */
  input: unknown;
  /** KMS key id or ARN for `'aws:kms'`. */
  sseKmsKeyId?: string;
  /** Content-Type; by default `text/csv` for rows and Datasets, `text/plain; charset=utf-8` for strings, else `application/octet-stream`. */
  contentType?: string;
  /** Bytes per part (at least 5 MiB). Default 8 MiB, raised for inputs of known size beyond 80 GB. */
  partSize?: number;
  /** Parquet types by column name for `format = 'parquet'`, e.g. `{ amount: 'decimal(12,2)' }` (see `ToParquet.types`). */
  types?: Readonly<Record<string, ParquetColumnType | (string & Record<never, never>)>>;
  /** Rows per Parquet row group for `format = 'parquet'`. Default 16,384. */
  rowGroupSize?: number;
}

export class ToS3 extends S3Task {
  static requiredAttributes: readonly string[] = ['bucket', 'key', 'input'];
  static templateAttributes: readonly string[] = ['bucket', 'key'];
  /** Python bigrays names a user may port; each is a plan error naming what to write instead. */
  static portedAttributes: Readonly<Record<string, string>> = {
    overwrite_if_exists: 'write overwrite = true',
    overwriteIfExists: 'write overwrite = true',
  };

  /** Replace an existing object. Default `false`: an existing object is an error and is left untouched. */
  overwrite = false;
  /**
   * `'AES256'` (default), `'aws:kms'`, `'aws:kms:dsse'`, or `null` to send no
   * encryption header (servers without SSE). Typed loosely so that a subclass
   * needs no `as const`; the server rejects an unknown algorithm.
   */
  serverSideEncryption: ServerSideEncryptionSetting | (string & Record<never, never>) = 'AES256';
  /**
   * How rows and Datasets are encoded: `'csv'` (default), `'jsonl'` (JSON
   * Lines) or `'parquet'`. Strings, bytes and streams are uploaded as is.
   */
  format: TableFormat | (string & Record<never, never>) = 'csv';
  /** `'none'` (default) or `'gzip'` for CSV and JSON Lines (sets `Content-Encoding: gzip`). */
  compression: TableCompression | (string & Record<never, never>) = 'none';

  /** Uploads; resolves to `s3://bucket/key`. */
  async run(s3: S3Client): Promise<string> {
    // Progress callbacks come from stream events, which need not run in the task's async context.
    const scope = currentTask();
    const result = await requireS3(s3, this).upload(this.bucket, this.key, this.input, {
      overwrite: this.overwrite,
      serverSideEncryption: this.serverSideEncryption as ServerSideEncryptionSetting,
      ...(this.sseKmsKeyId ? { sseKmsKeyId: this.sseKmsKeyId } : {}),
      ...(this.contentType ? { contentType: this.contentType } : {}),
      ...(this.partSize !== undefined ? { partSize: this.partSize } : {}),
      format: this.format as TableFormat,
      compression: this.compression as TableCompression,
      parquet: {
        ...(this.types !== undefined ? { types: this.types } : {}),
        ...(this.rowGroupSize !== undefined ? { rowGroupSize: this.rowGroupSize } : {}),
      },
      label: `${displayName(this)}.input`,
      onProgress: (progress) => scope?.report(progress),
    });
    return result.uri;
  }
}

/** The original's name for {@link ToS3}. */
export const S3Upload = ToS3;
/** The original's name for {@link ToS3}. */
export type S3Upload = ToS3;

/** What {@link FromS3} outputs. */
export type FromS3Format = 'buffer' | 'text' | 'csv' | 'jsonl' | 'parquet';

const FROM_S3_FORMATS: readonly string[] = ['buffer', 'text', 'csv', 'jsonl', 'parquet'];

/**
 * Downloads `s3://bucket/key`. Output by `as`: `'buffer'` (default) a
 * Buffer, `'text'` a string, `'csv'` the rows of a CSV file with a
 * header (values are strings; an empty unquoted field is `null`, `""` is
 * `''`; a record with fewer or more fields than the header is an error),
 * `'jsonl'` the rows of a JSON Lines file (one object per line), `'parquet'`
 * the rows of a Parquet file (typed values, see `parquetRows`).
 * Text and CSV are decoded by `encoding`: `'utf-8'` (default, strict: an
 * invalid byte is an error naming its offset) or `'latin1'`. Gzip is undone
 * as `decompress` says (default `'auto'`: text, CSV and JSON Lines bodies
 * that start with gzip's magic bytes).
 * A missing object or bucket is an error naming `s3://bucket/key`.
 */
export interface FromS3 {
  /** Bucket name (templated). */
  bucket: string;
  /** Object key (templated). */
  key: string;
}

export class FromS3 extends S3Task {
  static requiredAttributes: readonly string[] = ['bucket', 'key'];
  static templateAttributes: readonly string[] = ['bucket', 'key'];

  /**
   * `'buffer'` (default), `'text'`, `'csv'`, `'jsonl'` or `'parquet'`. Typed loosely so that
   * `as = 'csv'` in a subclass needs no `as const`; other values are an
   * error when the task runs.
   */
  as: FromS3Format | (string & Record<never, never>) = 'buffer';
  /**
   * `'auto'` (default): gunzip `'text'`, `'csv'` and `'jsonl'` bodies that
   * start with gzip's magic bytes (`1f 8b`), whatever their Content-Encoding;
   * `'buffer'` and `'parquet'` stay as stored. `'gzip'`: always gunzip.
   * `'none'`: never.
   */
  decompress: FromS3Decompress | (string & Record<never, never>) = 'auto';

  /**
   * How `'text'` and `'csv'` bytes are decoded: `'utf-8'` (default; bytes
   * that are not UTF-8 are an error naming the byte offset, never U+FFFD) or
   * `'latin1'` (ISO-8859-1: every byte is a character). Not used by `'buffer'`.
   */
  encoding: 'utf-8' | 'latin1' | (string & Record<never, never>) = 'utf-8';

  async run(s3: S3Client): Promise<Buffer | string | Row[]> {
    const client = requireS3(s3, this);
    const format = this.as ?? 'buffer';
    if (!FROM_S3_FORMATS.includes(format)) {
      throw taskError('FromS3', `${displayName(this)}.as must be 'buffer', 'text', 'csv', 'jsonl' or 'parquet'; got ${JSON.stringify(format)}`);
    }
    const encoding = textEncoding(this.encoding);
    if (encoding === undefined) {
      throw taskError('FromS3', `${displayName(this)}.encoding must be 'utf-8' or 'latin1'; got ${JSON.stringify(this.encoding)}`);
    }
    const decompress = this.decompress ?? 'auto';
    if (decompress !== 'auto' && decompress !== 'gzip' && decompress !== 'none') {
      throw taskError('FromS3', `${displayName(this)}.decompress must be 'auto', 'gzip' or 'none'; got ${JSON.stringify(decompress)}`);
    }
    const gunzip = (decompress === 'auto' && (format === 'buffer' || format === 'parquet') ? 'none' : decompress) as FromS3Decompress;
    const uri = S3Client.uri(this.bucket, this.key);
    const body = await client.getObjectStream(this.bucket, this.key);
    const progress = progressReporter({ bytes: true, rows: format === 'csv' || format === 'jsonl' || format === 'parquet' });
    async function* counted(): AsyncGenerator<Buffer, void, undefined> {
      for await (const chunk of body) {
        progress.add((chunk as Buffer).length, 0);
        yield chunk as Buffer;
      }
    }
    // Gunzipped (when it is gzip) before decoding: the byte offsets of decode errors are those of the content.
    const bytesIn = maybeGunzip(counted(), gunzip);
    const decoder = new StrictTextDecoder(encoding);
    async function* decoded(): AsyncGenerator<string, void, undefined> {
      for await (const chunk of bytesIn) yield decoder.write(chunk);
      yield decoder.end();
    }
    try {
      if (format === 'csv') return await csvRows(decoded(), progress);
      if (format === 'jsonl') return await jsonlRows(bytesIn, progress);
      const chunks: Buffer[] = [];
      for await (const chunk of bytesIn) chunks.push(chunk);
      const bytes = Buffer.concat(chunks);
      if (format === 'parquet') return await parquetObjectRows(bytes, uri, progress);
      return format === 'text' ? decoder.write(bytes) + decoder.end() : bytes;
    } catch (error) {
      if (error instanceof TaskError) throw error;
      if (error instanceof TextDecodeError) {
        const hint = encoding === 'utf-8' ? `; if the file is in Latin-1, set encoding = 'latin1' on the task` : '';
        throw taskError('FromS3', `${uri}: ${error.message}${hint}`, { cause: error });
      }
      throw taskError('FromS3', `reading ${uri} failed: ${(error as Error)?.message ?? error}`, { cause: error, userError: false });
    } finally {
      body.destroy();
      progress.done();
    }
  }
}

/**
 * Lists the keys of `bucket` that start with `prefix` and end with `suffix`
 * (both optional, templated), across every page of results; outputs the
 * keys in S3's order.
 */
export interface ListS3Objects {
  /** Bucket name (templated). */
  bucket: string;
  /** Only keys starting with this (templated). */
  prefix?: string;
  /** Only keys ending with this (templated), e.g. `'.csv'`. */
  suffix?: string;
}

export class ListS3Objects extends S3Task {
  static requiredAttributes: readonly string[] = ['bucket'];
  static templateAttributes: readonly string[] = ['bucket', 'prefix', 'suffix'];

  async run(s3: S3Client): Promise<string[]> {
    const client = requireS3(s3, this);
    const keys: string[] = [];
    const progress = progressReporter({ bytes: false, rows: true });
    for await (const object of client.listObjects(this.bucket, { prefix: this.prefix, suffix: this.suffix })) {
      keys.push(object.Key!);
      progress.add(0, 1);
    }
    progress.done();
    return keys;
  }
}

/** Parses a CSV stream with a header line into row objects. */
async function csvRows(source: AsyncIterable<string>, progress: ReturnType<typeof progressReporter>): Promise<Row[]> {
  let columns: string[] | undefined;
  const rows: Row[] = [];
  let recordNo = 0;
  for await (const batch of parseCsvBatches(source)) {
    let start = 0;
    if (columns === undefined) {
      columns = batch[0]!.map((name) => name ?? '');
      const seen = new Set<string>();
      for (const name of columns) {
        if (seen.has(name)) throw taskError('FromS3', `the CSV header has the column '${name}' twice; column names must be unique`);
        seen.add(name);
      }
      start = 1;
    }
    const width = columns.length;
    for (let i = start; i < batch.length; i++) {
      const record = batch[i]!;
      recordNo++;
      // A blank line (one null field) in a multi-column file is no record; in a one-column file it is a null.
      if (width > 1 && record.length === 1 && record[0] === null) continue;
      // Fewer fields are as wrong as more: padding them with nulls would invent values.
      if (record.length !== width) {
        throw taskError('FromS3', `CSV record ${recordNo} (after the header) has ${record.length} fields but the header has ${width}`);
      }
      const row: Row = {};
      for (let c = 0; c < width; c++) {
        const value = record[c]!;
        // A column named __proto__ is data, not the row's prototype.
        if (columns[c] === '__proto__') Object.defineProperty(row, '__proto__', { value, enumerable: true, writable: true, configurable: true });
        else row[columns[c]!] = value;
      }
      rows.push(row);
    }
    progress.add(0, batch.length - start);
  }
  return rows;
}

/** Reports running byte and/or row totals to the current task, at most every 100 ms. */
function progressReporter(track: { bytes: boolean; rows: boolean }): { add(bytes: number, rows: number): void; done(): void } {
  const scope = currentTask();
  const totals: Required<Progress> = { bytes: 0, rows: 0 };
  const throttle = new ProgressThrottle();
  const send = () => scope?.report({ ...(track.bytes ? { bytes: totals.bytes } : {}), ...(track.rows ? { rows: totals.rows } : {}) });
  return {
    add(bytes, rows) {
      totals.bytes += bytes;
      totals.rows += rows;
      if (throttle.due()) send();
    },
    done: send,
  };
}

function requireS3(s3: unknown, task: object): S3Client {
  if (s3 instanceof S3Client) return s3;
  throw taskError(
    'S3Task',
    `${displayName(task)}.run() needs the open S3Client as its first argument; keep @Requires(S3Client) (with config overrides if needed) on the class`,
  );
}

export function displayName(task: object): string {
  return currentTask()?.task ?? task.constructor.name;
}
