/**
 * One entry point for export tasks (ToCSV, ToParquet, ToS3): a table input,
 * a format and a compression → a stream of bytes, plus the Content-Type and
 * Content-Encoding to store it under.
 *
 * @module
 */
import { pipeline } from 'node:stream';
import type { Readable } from 'node:stream';
import { createGzip } from 'node:zlib';
import type { CsvProgress } from '../data/csv-writer.js';
import { contentTypeOf, describeValue, tableInputKind, toCsvReadable, unsupportedInputError, type TableInputKind } from '../data/table-input.js';
import { jsonLinesStream } from './jsonl.js';
import { parquetStream, type ParquetStreamOptions } from './parquet/write.js';

/** The file formats an export task writes. */
export type TableFormat = 'csv' | 'jsonl' | 'parquet';
/** Compression of a CSV or JSON Lines output. */
export type TableCompression = 'none' | 'gzip';

/** Every {@link TableFormat}. */
export const TABLE_FORMATS: readonly TableFormat[] = ['csv', 'jsonl', 'parquet'];
/** Every {@link TableCompression}. */
export const TABLE_COMPRESSIONS: readonly TableCompression[] = ['none', 'gzip'];

/** Options of {@link encodeTable}. */
export interface EncodeTableOptions {
  /** Default `'csv'`. */
  format?: TableFormat;
  /** Default `'none'`. */
  compression?: TableCompression;
  /** How to name the input in error messages. */
  label?: string;
  /** Running totals of rows encoded and (uncompressed) bytes. */
  onProgress?: (progress: CsvProgress) => void;
  /** Parquet options (types, row group size). */
  parquet?: Omit<ParquetStreamOptions, 'onProgress'>;
}

/**
 * Checks a format/compression pair for an input; returns the error message,
 * or `undefined` when it is fine. `where` names the task, e.g. `'ToS3'`.
 */
export function formatProblem(input: unknown, format: unknown, compression: unknown, where: string): string | undefined {
  if (!TABLE_FORMATS.includes(format as TableFormat)) {
    return `${where}.format must be 'csv', 'jsonl' or 'parquet'; got ${JSON.stringify(format)}`;
  }
  if (!TABLE_COMPRESSIONS.includes(compression as TableCompression)) {
    return `${where}.compression must be 'none' or 'gzip'; got ${JSON.stringify(compression)}`;
  }
  if (format === 'parquet' && compression !== 'none') {
    return `${where}.compression = '${String(compression)}' does not apply to Parquet, which compresses its pages itself (Snappy); set compression = 'none'`;
  }
  const kind = tableInputKind(input);
  if (format !== 'csv' && kind !== undefined && kind !== 'rows' && kind !== 'dataset') {
    return `${where}.format = '${String(format)}' needs a table (rows or a Dataset) as input; got ${kind === 'text' ? 'a string' : kind === 'bytes' ? 'bytes' : 'a stream'}, which is written as is only with format = 'csv'`;
  }
  return undefined;
}

/** What an export task tells {@link checkTableInput} about itself. */
export interface TableInputCheck {
  /** How to name the input in messages, e.g. `'ToCSV.input'`. */
  label: string;
  /** The output format and compression to check against the input (ToCSV, ToS3); omitted by a task that takes rows only (SQLWrite). */
  format?: unknown;
  compression?: unknown;
  /** Who owns `format`/`compression` in messages (`'ToS3'`); default: `label` without `.input`. */
  where?: string;
  /** The input kinds the task takes (SQLWrite: rows and Dataset); default every kind {@link toCsvReadable} takes. */
  accept?: readonly TableInputKind[];
  /** What the accepted kinds are called, when `accept` narrows them. */
  accepted?: string;
  /** Builds the task's own error (its class and name say which task). */
  fail: (message: string, cause?: unknown) => Error;
}

/**
 * The one check every export task (ToCSV, ToS3, SQLWrite) makes of its
 * input before it reads a byte: an input it takes, in a format that can write
 * it. Returns the input's kind; throws `check.fail(…)` otherwise.
 */
export function checkTableInput(input: unknown, check: TableInputCheck): TableInputKind {
  const kind = tableInputKind(input);
  if (kind === undefined || (check.accept !== undefined && !check.accept.includes(kind))) {
    if (check.accepted !== undefined) throw check.fail(`${check.label} must be ${check.accepted}; got ${describeValue(input)}`);
    const err = unsupportedInputError(input, check.label);
    throw check.fail(err.message, err);
  }
  if (check.format !== undefined || check.compression !== undefined) {
    const problem = formatProblem(input, check.format ?? 'csv', check.compression ?? 'none', check.where ?? check.label.replace(/\.input$/, ''));
    if (problem !== undefined) throw check.fail(problem);
  }
  return kind;
}

/**
 * The bytes of `input` in `format`, compressed as asked. CSV accepts every
 * input `toCsvReadable` does (strings, bytes and streams are written as is);
 * JSON Lines and Parquet take rows or a Dataset. Gzip is streamed through
 * zlib (deterministic: no file name, mtime 0).
 *
 * @throws TypeError when the format does not fit the input.
 */
export function encodeTable(input: unknown, options: EncodeTableOptions = {}): Readable {
  const format = options.format ?? 'csv';
  const compression = options.compression ?? 'none';
  const problem = formatProblem(input, format, compression, options.label ?? 'input');
  if (problem !== undefined) throw new TypeError(problem);
  let source: Readable;
  if (format === 'parquet') source = parquetStream(input, { ...options.parquet, onProgress: options.onProgress });
  else if (format === 'jsonl') source = jsonLinesStream(input, { onProgress: options.onProgress });
  else source = toCsvReadable(input, { label: options.label, onProgress: options.onProgress });
  if (compression === 'none') return source;
  const gzip = createGzip();
  // pipeline() destroys the other stream when either fails or is destroyed, and forwards the error.
  pipeline(source, gzip, () => undefined);
  return gzip;
}

/** The HTTP headers an encoded input is stored under. */
export interface ContentHeaders {
  contentType: string;
  contentEncoding?: string;
}

/**
 * Content-Type and Content-Encoding of an encoded input: `text/csv`,
 * `application/x-ndjson` or `application/vnd.apache.parquet` for tables
 * (strings and bytes keep theirs), and `Content-Encoding: gzip` when
 * gzipped (so that HTTP clients decompress transparently).
 */
export function contentHeadersOf(input: unknown, format: TableFormat = 'csv', compression: TableCompression = 'none'): ContentHeaders {
  const contentType =
    format === 'parquet' ? 'application/vnd.apache.parquet' : format === 'jsonl' ? 'application/x-ndjson' : contentTypeOf(input);
  return compression === 'gzip' ? { contentType, contentEncoding: 'gzip' } : { contentType };
}
