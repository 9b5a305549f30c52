import { describe, expect, it } from '@jest/globals';
import { Readable } from 'node:stream';
import { CsvParser, parseCsv, parseCsvBatches, parseCsvString, type CsvRecord } from '../../src/data/csv-parser.js';
import { encodeCsvRow } from '../../src/data/csv-writer.js';
import { TRICKY_STRINGS } from './helpers.js';

async function collect(source: AsyncIterable<Buffer | string> | Iterable<Buffer | string>): Promise<CsvRecord[]> {
  const out: CsvRecord[] = [];
  for await (const r of parseCsv(source)) out.push(r);
  return out;
}

function bytewise(text: string): Buffer[] {
  const bytes = Buffer.from(text, 'utf8');
  return Array.from(bytes, (b) => Buffer.from([b]));
}

/** A CSV exercising every parser state: quotes, escaped quotes, CRLF, nulls, multi-byte text. */
const TRICKY_CSV =
  'id,text,other\r\n' +
  '1,"a,b","say ""hi"""\r\n' +
  '2,,""\r\n' +
  '3,"multi\r\nline","x"\n' +
  '4,日本語🎉,plain\n' +
  ',"",\n' +
  '5,"""","end"\r\n';
const TRICKY_RECORDS: CsvRecord[] = [
  ['id', 'text', 'other'],
  ['1', 'a,b', 'say "hi"'],
  ['2', null, ''],
  ['3', 'multi\r\nline', 'x'],
  ['4', '日本語🎉', 'plain'],
  [null, '', null],
  ['5', '"', 'end'],
];

describe('parseCsvString', () => {
  it('parses quoted fields with commas, quotes and newlines, LF or CRLF', () => {
    expect(parseCsvString(TRICKY_CSV)).toEqual(TRICKY_RECORDS);
  });

  it('unquoted empty is null, quoted empty is ""', () => {
    expect(parseCsvString('a,,""\n')).toEqual([['a', null, '']]);
    expect(parseCsvString(',\n')).toEqual([[null, null]]);
    expect(parseCsvString('""\n')).toEqual([['']]);
  });

  it('treats an empty line as one null field, and needs no final newline', () => {
    expect(parseCsvString('a\n\nb')).toEqual([['a'], [null], ['b']]);
    expect(parseCsvString('a,b')).toEqual([['a', 'b']]);
    expect(parseCsvString('a,')).toEqual([['a', null]]);
    expect(parseCsvString('"x"')).toEqual([['x']]);
    expect(parseCsvString('')).toEqual([]);
    expect(parseCsvString('\n')).toEqual([[null]]);
  });

  it('skips a UTF-8 BOM', () => {
    expect(parseCsvString('\ufeffid,name\n1,x\n')).toEqual([['id', 'name'], ['1', 'x']]);
  });

  it('reads non-RFC input leniently, like Python csv', () => {
    expect(parseCsvString('ab"c,d\n')).toEqual([['ab"c', 'd']]);
    expect(parseCsvString('"ab"cd,e\n')).toEqual([['abcd', 'e']]);
  });

  it('rejects input that ends inside a quoted field', () => {
    expect(() => parseCsvString('a,"unterminated\n')).toThrow('ends inside a quoted field (record 1)');
  });
});

describe('chunk boundaries', () => {
  it('parses the same when fed one byte at a time (splitting UTF-8, CRLF and "")', async () => {
    expect(await collect(bytewise(TRICKY_CSV))).toEqual(TRICKY_RECORDS);
  });

  it('parses the same when split into two chunks at every position', () => {
    for (let i = 0; i <= TRICKY_CSV.length; i++) {
      const p = new CsvParser();
      const out = p.push(TRICKY_CSV.slice(0, i));
      p.push(TRICKY_CSV.slice(i), out);
      p.end(out);
      expect(out).toEqual(TRICKY_RECORDS);
    }
  });

  it('round-trips every tricky value byte by byte', async () => {
    const csv = encodeCsvRow(TRICKY_STRINGS) + encodeCsvRow([...TRICKY_STRINGS].reverse());
    expect(await collect(bytewise(csv))).toEqual([TRICKY_STRINGS, [...TRICKY_STRINGS].reverse()]);
  });

  it('reads a Readable of Buffers and a mixed string source', async () => {
    expect(await collect(Readable.from([Buffer.from('a,b\n1,'), Buffer.from('2\n')]))).toEqual([['a', 'b'], ['1', '2']]);
    expect(await collect(['x', ',y\r', '\nz'])).toEqual([['x', 'y'], ['z']]);
  });

  it('yields batches, one per chunk', async () => {
    const batches: CsvRecord[][] = [];
    for await (const b of parseCsvBatches(['a\nb\n', 'c\n'])) batches.push(b);
    expect(batches).toEqual([[['a'], ['b']], [['c']]]);
  });

  it('stops reading (and destroys the Readable) when the consumer breaks', async () => {
    const stream = Readable.from(['a\n', 'b\n', 'c\n'].map((s) => Buffer.from(s)));
    for await (const _r of parseCsv(stream)) break;
    expect(stream.destroyed).toBe(true);
  });
});
