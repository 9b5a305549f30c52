/**
 * Strict decoding of bytes to text: invalid UTF-8 is an error with its byte
 * offset, never a silent U+FFFD.
 *
 * @module
 */
import { isUtf8 } from 'node:buffer';

/** Text encodings a reader may be told to use. */
export const TEXT_ENCODINGS = ['utf-8', 'latin1'] as const;

/**
 * `'utf-8'`: strict (an invalid or truncated sequence is an error);
 * `'latin1'`: ISO-8859-1, every byte is the character with that code, so no
 * input is invalid (Windows-1252's 0x80–0x9F punctuation is read as C1 controls).
 */
export type TextEncoding = (typeof TEXT_ENCODINGS)[number];

/** Bytes that are not valid in the encoding they were read with. */
export class TextDecodeError extends Error {
  override readonly name = 'TextDecodeError';
  /** Offset from the start of the input of the first byte that is not valid. */
  readonly byteOffset: number;

  constructor(message: string, byteOffset: number) {
    super(message);
    this.byteOffset = byteOffset;
  }
}

/**
 * The normalized encoding for a user's setting (`'utf8'` is `'utf-8'`;
 * `undefined` is the default `'utf-8'`), or `undefined` when it is not one of
 * {@link TEXT_ENCODINGS}.
 */
export function textEncoding(value: unknown): TextEncoding | undefined {
  if (value === undefined || value === 'utf-8' || value === 'utf8') return 'utf-8';
  if (value === 'latin1') return 'latin1';
  return undefined;
}

/**
 * Decodes a byte stream chunk by chunk (a multi-byte character may be split
 * between chunks). With `'utf-8'` it throws a {@link TextDecodeError} naming
 * the byte offset of the first invalid sequence, or of a sequence cut off by
 * the end of the input.
 */
export class StrictTextDecoder {
  readonly encoding: TextEncoding;
  /** Bytes of the input decoded so far. */
  #offset = 0;
  /** The start of a character continued in the next chunk. */
  #carry: Buffer | undefined;

  constructor(encoding: TextEncoding = 'utf-8') {
    this.encoding = encoding;
  }

  /** Decodes the next chunk; returns the text of the complete characters in it. */
  write(chunk: Uint8Array): string {
    let buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    if (this.encoding === 'latin1') {
      this.#offset += buf.length;
      return buf.toString('latin1');
    }
    if (this.#carry !== undefined) {
      buf = Buffer.concat([this.#carry, buf]);
      this.#carry = undefined;
    }
    const tail = incompleteTail(buf);
    const complete = tail === 0 ? buf : buf.subarray(0, buf.length - tail);
    if (!isUtf8(complete)) {
      const at = Math.max(0, firstInvalidUtf8(complete));
      throw invalid(this.#offset + at, complete[at]!);
    }
    if (tail > 0) this.#carry = Buffer.from(buf.subarray(buf.length - tail));
    this.#offset += complete.length;
    return complete.toString('utf8');
  }

  /** Ends the input; throws when it ended inside a multi-byte character. */
  end(): string {
    if (this.#carry !== undefined) {
      throw new TextDecodeError(
        `the input ends inside a multi-byte UTF-8 character at byte offset ${this.#offset} (truncated, or not UTF-8)`,
        this.#offset,
      );
    }
    return '';
  }
}

/** Decodes a whole buffer strictly (see {@link StrictTextDecoder}). */
export function decodeText(bytes: Uint8Array, encoding: TextEncoding = 'utf-8'): string {
  const decoder = new StrictTextDecoder(encoding);
  return decoder.write(bytes) + decoder.end();
}

function invalid(offset: number, byte: number): TextDecodeError {
  return new TextDecodeError(
    `the input is not valid UTF-8: byte 0x${byte.toString(16).padStart(2, '0')} at byte offset ${offset} does not belong to a UTF-8 character`,
    offset,
  );
}

/**
 * How many bytes at the end of `buf` are the start of a character that the
 * next chunk may complete (0 to 3). Whether they are valid is checked once
 * the character is whole.
 */
function incompleteTail(buf: Buffer): number {
  const n = buf.length;
  for (let i = 1; i <= 3 && i <= n; i++) {
    const b = buf[n - i]!;
    if ((b & 0xc0) === 0x80) continue;
    const length = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
    return length > i ? i : 0;
  }
  return 0;
}

/** Offset of the first byte of `buf` that starts no valid UTF-8 sequence (RFC 3629: no overlongs, surrogates, or > U+10FFFF). */
export function firstInvalidUtf8(buf: Uint8Array): number {
  const n = buf.length;
  let i = 0;
  while (i < n) {
    const b = buf[i]!;
    if (b < 0x80) {
      i++;
      continue;
    }
    let more: number;
    let lo = 0x80;
    let hi = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) more = 1;
    else if (b >= 0xe0 && b <= 0xef) {
      more = 2;
      if (b === 0xe0) lo = 0xa0;
      else if (b === 0xed) hi = 0x9f;
    } else if (b >= 0xf0 && b <= 0xf4) {
      more = 3;
      if (b === 0xf0) lo = 0x90;
      else if (b === 0xf4) hi = 0x8f;
    } else return i;
    if (i + more >= n) return i;
    const b1 = buf[i + 1]!;
    if (b1 < lo || b1 > hi) return i;
    for (let k = 2; k <= more; k++) if ((buf[i + k]! & 0xc0) !== 0x80) return i;
    i += more + 1;
  }
  return -1;
}
