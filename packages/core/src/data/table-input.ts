/**
 * What the `input` of an export task (ToCSV, ToS3, SQLWrite) may be, and how
 * to turn it into bytes.
 *
 * @module
 */
import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { rowsToCsvStream, type CsvProgress, type CsvSourceRow, type Row } from './csv-writer.js';
import { Dataset } from './dataset.js';

/** Everything {@link toCsvReadable} accepts. */
export type TableInput =
  | readonly Row[]
  | Dataset
  | Iterable<Row>
  | AsyncIterable<Row>
  | string
  | Buffer
  | Uint8Array
  | Readable;

/** Options of {@link toCsvReadable}. */
export interface ToCsvReadableOptions {
  /** Running totals for row inputs (at most every ~100 ms, and at the end); not called for byte inputs. */
  onProgress?: (progress: CsvProgress) => void;
  /** How to name the input in error messages, e.g. `'ToCSV.input'`. Default `'input'`. */
  label?: string;
}

/** What the accepted input types are called in error messages. */
export const ACCEPTED_INPUTS =
  'an array of row objects, a Dataset, an iterable or async iterable of row objects, a string, a Buffer/Uint8Array, or a Readable stream';

/** How an input is written. */
export type TableInputKind = 'rows' | 'dataset' | 'text' | 'bytes' | 'stream';

/**
 * Classifies an input, or returns `undefined` when it is not one
 * {@link toCsvReadable} accepts.
 */
export function tableInputKind(input: unknown): TableInputKind | undefined {
  if (typeof input === 'string') return 'text';
  if (typeof input !== 'object' || input === null) return undefined;
  if (input instanceof Dataset) return 'dataset';
  if (input instanceof Uint8Array) return 'bytes';
  // Before iterables: a Readable is async-iterable too, but its chunks are bytes, not rows.
  if (isNodeReadable(input) || isWebReadable(input)) return 'stream';
  if (Array.isArray(input)) return input.length === 0 || isRowObject(input[0]) ? 'rows' : undefined;
  if (typeof (input as AsyncIterable<unknown>)[Symbol.asyncIterator] === 'function') return 'rows';
  if (typeof (input as Iterable<unknown>)[Symbol.iterator] === 'function') return 'rows';
  return undefined;
}

/**
 * Turns an export input into a stream of bytes:
 *
 * - rows (`Row[]`, iterable or async iterable of rows) → CSV with a header
 *   (`rowsToCsvStream`; an array's columns are the union of its rows' keys,
 *   another iterable's the union of its first 1000 rows' keys, and a later
 *   row with another key is an error, never a dropped value)
 * - `Dataset` → its CSV file, header included, copied without re-encoding
 * - `string` → its UTF-8 bytes, as is
 * - `Buffer`/`Uint8Array` → the bytes, as is
 * - Node `Readable` (or a web `ReadableStream`) → passed through
 *
 * @throws TypeError naming the type received and the accepted ones.
 */
export function toCsvReadable(input: unknown, options: ToCsvReadableOptions = {}): Readable {
  switch (tableInputKind(input)) {
    case 'text':
      return Readable.from([Buffer.from(input as string, 'utf8')], { objectMode: false });
    case 'bytes': {
      const bytes = input as Uint8Array;
      const buf = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      return Readable.from([buf], { objectMode: false });
    }
    case 'dataset':
      return (input as Dataset).csvStream();
    case 'stream':
      return isNodeReadable(input as object) ? (input as Readable) : Readable.fromWeb(input as WebReadableStream);
    case 'rows':
      return rowsToCsvStream(input as Iterable<CsvSourceRow> | AsyncIterable<CsvSourceRow>, {
        onProgress: options.onProgress,
      });
    default:
      throw unsupportedInputError(input, options.label);
  }
}

/** The TypeError for an input {@link toCsvReadable} does not accept: what it got and what it takes. */
export function unsupportedInputError(input: unknown, label = 'input'): TypeError {
  return new TypeError(`${label} must be ${ACCEPTED_INPUTS}; got ${describeValue(input)}`);
}

/**
 * The content type to store an input under: `text/csv` for tables,
 * `text/plain; charset=utf-8` for a string, `application/octet-stream` for
 * bytes and streams (whose content is unknown).
 */
export function contentTypeOf(input: unknown): string {
  switch (tableInputKind(input)) {
    case 'rows':
    case 'dataset':
      return 'text/csv';
    case 'text':
      return 'text/plain; charset=utf-8';
    default:
      return 'application/octet-stream';
  }
}

/** A short description of a value's type for error messages: `null`, `number (42)`, `an instance of Foo`, ... */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'undefined':
      return 'undefined (was the attribute or @Input set?)';
    case 'number':
    case 'bigint':
    case 'boolean':
      return `${typeof value} (${String(value)})`;
    case 'symbol':
      return `a symbol (${String(value)})`;
    case 'function':
      return `a function${value.name ? ` (${value.name})` : ''}; pass its result, not the function`;
    case 'object': {
      if (Array.isArray(value)) {
        const first = value[0] as unknown;
        return `an array of ${Array.isArray(first) ? 'arrays (rows must be objects keyed by column name)' : describeValue(first)}`;
      }
      if (typeof (value as PromiseLike<unknown>).then === 'function') return 'a Promise (await it first)';
      const name = Object.getPrototypeOf(value)?.constructor?.name as string | undefined;
      return name === undefined || name === 'Object' ? 'a plain object (not a table)' : `an instance of ${name}`;
    }
    default:
      return typeof value;
  }
}

function isRowObject(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isNodeReadable(value: object): value is Readable {
  if (value instanceof Readable) return true;
  // Streams from another copy of the 'stream' module, or stream-like objects (e.g. from an HTTP client).
  const v = value as Partial<Readable>;
  return typeof v.pipe === 'function' && typeof v.on === 'function' && typeof v.read === 'function';
}

function isWebReadable(value: object): boolean {
  return typeof (value as { getReader?: unknown }).getReader === 'function' && typeof (value as { tee?: unknown }).tee === 'function';
}
