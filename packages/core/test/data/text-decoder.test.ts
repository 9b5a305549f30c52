import { describe, expect, it } from '@jest/globals';
import { StrictTextDecoder, TextDecodeError, decodeText, firstInvalidUtf8, textEncoding } from '../../src/data/text-decoder.js';

/** Decodes `bytes` fed in the given chunk sizes; the error, if any. */
function decodeChunked(bytes: Buffer, sizes: number[]): string | TextDecodeError {
  const d = new StrictTextDecoder('utf-8');
  let out = '';
  let i = 0;
  let k = 0;
  try {
    while (i < bytes.length) {
      const n = sizes[k++ % sizes.length]!;
      out += d.write(bytes.subarray(i, i + n));
      i += n;
    }
    return out + d.end();
  } catch (e) {
    return e as TextDecodeError;
  }
}

/** A small deterministic PRNG, so a failure reproduces. */
function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

describe('StrictTextDecoder', () => {
  it('names the byte offset of the first byte that is not UTF-8', () => {
    const err = decodeChunked(Buffer.from([0x61, 0x2c, 0x62, 0x0a, 0x63, 0x61, 0x66, 0xe9, 0x0a]), [100]);
    expect(err).toBeInstanceOf(TextDecodeError);
    expect((err as TextDecodeError).byteOffset).toBe(7);
    expect((err as Error).message).toBe('the input is not valid UTF-8: byte 0xe9 at byte offset 7 does not belong to a UTF-8 character');
  });

  it('keeps characters split between chunks, and counts offsets across chunks', () => {
    const text = 'aé日🎉'.repeat(50);
    for (const sizes of [[1], [2], [3], [5, 1], [7, 2, 1]]) expect(decodeChunked(Buffer.from(text), sizes)).toBe(text);
    const bad = Buffer.concat([Buffer.from('日本'.repeat(10)), Buffer.from([0xff])]);
    expect((decodeChunked(bad, [4]) as TextDecodeError).byteOffset).toBe(60);
  });

  it('rejects a character cut off by the end of the input', () => {
    const err = decodeChunked(Buffer.from([0x61, 0xe6, 0x97]), [1]);
    expect((err as Error).message).toBe('the input ends inside a multi-byte UTF-8 character at byte offset 1 (truncated, or not UTF-8)');
  });

  it('agrees with the WHATWG fatal decoder on random bytes, whatever the chunking', () => {
    const rand = prng(10);
    const pieces = [[0x61], [0xc3, 0xa9], [0xe6, 0x97, 0xa5], [0xf0, 0x9f, 0x8e, 0x89], [0xed, 0xa0, 0x80], [0xc0, 0xaf], [0xf4, 0x90, 0x80, 0x80], [0x80], [0xff], [0xe0, 0x80, 0x80], [0xf0, 0x8f, 0xbf, 0xbf]];
    const reference = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
    for (let n = 0; n < 2000; n++) {
      const parts: number[] = [];
      const count = 1 + Math.floor(rand() * 8);
      for (let j = 0; j < count; j++) {
        // Mostly valid characters, sometimes a bad piece or a cut one.
        const p = pieces[rand() < 0.8 ? Math.floor(rand() * 4) : Math.floor(rand() * pieces.length)]!;
        parts.push(...(rand() < 0.05 ? p.slice(0, Math.max(1, p.length - 1)) : p));
      }
      const bytes = Buffer.from(parts);
      let expected: string | undefined;
      try {
        expected = reference.decode(bytes);
      } catch {
        expected = undefined;
      }
      const got = decodeChunked(bytes, [1 + Math.floor(rand() * 4), 1 + Math.floor(rand() * 4)]);
      if (expected === undefined) {
        expect(got).toBeInstanceOf(TextDecodeError);
        const valid = firstInvalidUtf8(bytes);
        expect(valid).toBeGreaterThanOrEqual(0);
        expect(() => reference.decode(bytes.subarray(0, (got as TextDecodeError).byteOffset))).not.toThrow();
      } else {
        expect(got).toBe(expected);
      }
    }
  });

  it('reads Latin-1 byte for byte, and knows its encodings', () => {
    expect(decodeText(Buffer.from([0x63, 0x61, 0x66, 0xe9]), 'latin1')).toBe('café');
    expect(decodeText(Buffer.from('café'))).toBe('café');
    expect(textEncoding(undefined)).toBe('utf-8');
    expect(textEncoding('utf8')).toBe('utf-8');
    expect(textEncoding('latin1')).toBe('latin1');
    expect(textEncoding('cp1252')).toBeUndefined();
  });
});
