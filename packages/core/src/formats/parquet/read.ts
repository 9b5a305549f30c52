/**
 * Parquet bytes → rows, with the value conventions of a `Dataset` (exact
 * 64-bit integers and decimals as strings, dates as `'YYYY-MM-DD'`,
 * timestamps as `Date`, binary as `Buffer`). The reader (hyparquet) is
 * imported on first use.
 *
 * @module
 */
import type { Row } from '../../data/csv-writer.js';

type Hyparquet = typeof import('hyparquet');
let library: Promise<Hyparquet> | undefined;

interface LeafElement {
  name: string;
  type?: string;
  converted_type?: string;
  logical_type?: { type: string };
  scale?: number;
}

/**
 * Reads a whole Parquet file into row objects:
 *
 * | Parquet | value |
 * |---|---|
 * | INT32, FLOAT, DOUBLE | number |
 * | INT64 | string (exact, like a Dataset's `bigint`) |
 * | DECIMAL(p,s) | string with `s` fraction digits (exact) |
 * | BOOLEAN | boolean |
 * | DATE | `'YYYY-MM-DD'` |
 * | TIMESTAMP | `Date` (microseconds and nanoseconds truncated to milliseconds) |
 * | STRING | string |
 * | JSON | parsed JSON |
 * | other BYTE_ARRAY / FIXED_LEN_BYTE_ARRAY | `Buffer` |
 *
 * Nulls are `null`. Nested (LIST/MAP/struct) columns come as hyparquet
 * decodes them.
 */
export async function parquetRows(bytes: Uint8Array): Promise<Row[]> {
  library ??= import('hyparquet');
  const { parquetMetadata, parquetReadObjects } = await library;
  const file = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  const metadata = parquetMetadata(file);
  const post = new Map<string, (v: unknown) => unknown>();
  for (const element of metadata.schema.slice(1) as LeafElement[]) {
    const fix = postConverter(element);
    if (fix === undefined) continue;
    post.set(element.name, fix);
    // Read the stored values raw: hyparquet would make decimals lossy numbers.
    delete element.converted_type;
    delete element.logical_type;
  }
  const rows = (await parquetReadObjects({
    file,
    metadata,
    utf8: false,
    parsers: {
      timestampFromMilliseconds: (ms: bigint) => new Date(Number(ms)),
      timestampFromMicroseconds: (us: bigint) => new Date(Number(floorDiv(us, 1000n))),
      timestampFromNanoseconds: (ns: bigint) => new Date(Number(floorDiv(ns, 1_000_000n))),
      dateFromDays: (days: number) => new Date(days * 86_400_000).toISOString().slice(0, 10),
    },
  })) as Row[];
  if (post.size === 0 && !rows.some(hasRawValues)) return rows;
  const fixes = [...post];
  for (const row of rows) {
    for (const [name, fix] of fixes) {
      const v = row[name];
      if (v !== null && v !== undefined) row[name] = fix(v);
    }
    for (const key of Object.keys(row)) {
      const v = row[key];
      if (typeof v === 'bigint') row[key] = v.toString();
      else if (v instanceof Uint8Array && !Buffer.isBuffer(v)) row[key] = Buffer.from(v.buffer, v.byteOffset, v.byteLength);
    }
  }
  return rows;
}

function hasRawValues(row: Row): boolean {
  for (const key in row) {
    const v = row[key];
    if (typeof v === 'bigint' || v instanceof Uint8Array) return true;
  }
  return false;
}

function postConverter(element: LeafElement): ((v: unknown) => unknown) | undefined {
  if (element.converted_type === 'DECIMAL' || element.logical_type?.type === 'DECIMAL') {
    const scale = element.scale ?? 0;
    return (v) => decimalText(toBigInt(v), scale);
  }
  if (element.converted_type === 'JSON' || element.logical_type?.type === 'JSON') {
    const decoder = new TextDecoder();
    return (v) => {
      const text = v instanceof Uint8Array ? decoder.decode(v) : String(v);
      try {
        return JSON.parse(text);
      } catch {
        return text;
      }
    };
  }
  return undefined;
}

function toBigInt(v: unknown): bigint {
  if (typeof v === 'bigint') return v;
  if (typeof v === 'number') return BigInt(v);
  const bytes = v as Uint8Array;
  let value = 0n;
  for (const byte of bytes) value = (value << 8n) | BigInt(byte);
  const bits = BigInt(bytes.length * 8);
  if (bytes.length > 0 && bytes[0]! & 0x80) value -= 1n << bits;
  return value;
}

function decimalText(unscaled: bigint, scale: number): string {
  const negative = unscaled < 0n;
  let digits = (negative ? -unscaled : unscaled).toString();
  if (scale > 0) {
    digits = digits.padStart(scale + 1, '0');
    digits = digits.slice(0, -scale) + '.' + digits.slice(-scale);
  }
  return negative ? '-' + digits : digits;
}

function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a % b !== 0n && a < 0n ? q - 1n : q;
}
