import { describe, expect, it } from '@jest/globals';
import {
  COLUMN_SAMPLE_ROWS,
  columnsOf,
  encodeCsvHeader,
  encodeCsvRecord,
  encodeCsvRow,
  encodeCsvString,
  encodeCsvValue,
  rowsToCsvStream,
  type CsvProgress,
} from '../../src/data/csv-writer.js';
import { parseCsvString } from '../../src/data/csv-parser.js';
import { readAll, TRICKY_STRINGS } from './helpers.js';

describe('encodeCsvValue', () => {
  it('keeps null and the empty string apart', () => {
    expect(encodeCsvValue(null)).toBe('');
    expect(encodeCsvValue(undefined)).toBe('');
    expect(encodeCsvValue('')).toBe('""');
  });

  it('quotes only strings that need it, doubling quotes', () => {
    expect(encodeCsvValue('plain')).toBe('plain');
    expect(encodeCsvValue('a much longer plain string without specials')).toBe('a much longer plain string without specials');
    expect(encodeCsvValue('a,b')).toBe('"a,b"');
    expect(encodeCsvValue('say "hi"')).toBe('"say ""hi"""');
    expect(encodeCsvValue('a long string that says "hi" to you')).toBe('"a long string that says ""hi"" to you"');
    expect(encodeCsvValue('x\ny')).toBe('"x\ny"');
    expect(encodeCsvValue('x\ry')).toBe('"x\ry"');
    expect(encodeCsvValue(' lead')).toBe('" lead"');
    expect(encodeCsvValue('trail ')).toBe('"trail "');
    expect(encodeCsvValue('in side')).toBe('in side');
    expect(encodeCsvValue('日本語 🎉')).toBe('日本語 🎉');
  });

  it('encodes numbers, bigints and booleans', () => {
    expect(encodeCsvValue(42)).toBe('42');
    expect(encodeCsvValue(-1.5)).toBe('-1.5');
    expect(encodeCsvValue(1e21)).toBe('1e+21');
    expect(encodeCsvValue(Number.NaN)).toBe('NaN');
    expect(encodeCsvValue(12345678901234567890n)).toBe('12345678901234567890');
    expect(encodeCsvValue(true)).toBe('true');
    expect(encodeCsvValue(false)).toBe('false');
  });

  it('encodes Dates as ISO 8601, exactly like toISOString, and invalid Dates as null', () => {
    const samples = [0, -1, 1, Date.UTC(2026, 0, 2, 3, 4, 5, 6), Date.UTC(1969, 11, 31, 23, 59, 59, 999), -62198755200000, 253402300800000, 8.64e15];
    for (let i = 0; i < 2000; i++) samples.push(Math.round((Math.random() - 0.3) * 4e12));
    for (const t of samples) expect(encodeCsvValue(new Date(t))).toBe(new Date(t).toISOString());
    expect(encodeCsvValue(new Date(Number.NaN))).toBe('');
  });

  it('encodes bytes as PostgreSQL bytea hex, respecting the view offset', () => {
    expect(encodeCsvValue(Buffer.from([0, 1, 0xab, 0xff]))).toBe('\\x0001abff');
    const backing = new Uint8Array([9, 9, 0xde, 0xad, 9]);
    expect(encodeCsvValue(backing.subarray(2, 4))).toBe('\\xdead');
    expect(encodeCsvValue(new Uint8Array(0))).toBe('\\x');
  });

  it('encodes other objects as JSON, quoted as a string when needed', () => {
    expect(encodeCsvValue({ a: 1 })).toBe('"{""a"":1}"');
    expect(encodeCsvValue([1, 2])).toBe('"[1,2]"');
    expect(encodeCsvValue({ big: 2n ** 70n })).toBe('"{""big"":""1180591620717411303424""}"');
  });
});

describe('lines', () => {
  it('encodes a header, an array row and an object row, ending lines with \\n', () => {
    expect(encodeCsvHeader(['id', 'full name', 'a,b'])).toBe('id,full name,"a,b"\n');
    expect(encodeCsvRow([1, 'x', null, ''])).toBe('1,x,,""\n');
    expect(encodeCsvRecord({ b: 2, a: 'y', extra: 'ignored' }, ['a', 'b', 'missing'])).toBe('y,2,\n');
  });

  it('quotes a field that starts with U+FEFF, which a reader drops as a byte-order mark at the start of a file', () => {
    expect(encodeCsvString('\ufeffbom')).toBe('"\ufeffbom"');
    expect(encodeCsvString('a\ufeff')).toBe('a\ufeff');
  });

  it("quotes a lone \\. (PostgreSQL's end-of-data marker) when it is the only field of a line", () => {
    // COPY FROM STDIN ... CSV (and psql's \\copy) stops at a line that is exactly \\. unquoted, dropping every later row.
    expect(encodeCsvRow(['\\.'])).toBe('"\\."\n');
    expect(encodeCsvRecord({ a: '\\.' }, ['a'])).toBe('"\\."\n');
    expect(encodeCsvHeader(['\\.'])).toBe('"\\."\n');
    // Elsewhere it is plain data, written as PostgreSQL writes it.
    expect(encodeCsvRow(['\\.', 'x'])).toBe('\\.,x\n');
    expect(encodeCsvRow(['x', '\\.'])).toBe('x,\\.\n');
    expect(encodeCsvRow(['\\.x'])).toBe('\\.x\n');
    expect(parseCsvString(encodeCsvRow(['\\.']))).toEqual([['\\.']]);
  });

  it('columnsOf is the union of keys in first-seen order', () => {
    expect(columnsOf([{ a: 1, b: 2 }, { a: 1, b: 2 }, { c: 3, a: 1 }, { d: 4, b: 1 }])).toEqual(['a', 'b', 'c', 'd']);
    expect(columnsOf([])).toEqual([]);
  });
});

describe('round trip through the parser', () => {
  it('every tricky string (and null vs "") comes back unchanged', () => {
    const line = encodeCsvRow(TRICKY_STRINGS);
    expect(parseCsvString(line)).toEqual([TRICKY_STRINGS]);
    for (const s of TRICKY_STRINGS) expect(parseCsvString(encodeCsvRow([s, s]))).toEqual([[s, s]]);
  });

  it('a single null column survives as an empty line', () => {
    const csv = encodeCsvHeader(['a']) + encodeCsvRow([null]) + encodeCsvRow(['']) + encodeCsvRow([null]);
    expect(csv).toBe('a\n\n""\n\n');
    expect(parseCsvString(csv)).toEqual([['a'], [null], [''], [null]]);
  });
});

describe('rowsToCsvStream', () => {
  it('writes a header with the union of keys of an array, then the rows', async () => {
    const csv = await readAll(rowsToCsvStream([{ a: 1, b: 'x' }, { b: 'y', c: true }]));
    expect(csv).toBe('a,b,c\n1,x,\n,y,true\n');
  });

  it('takes the union of the first rows\' keys for an async iterable and honours header: false', async () => {
    async function* rows() {
      yield { a: 1, b: 2 };
      yield { b: 3, a: 4, later: 'kept' };
    }
    expect(await readAll(rowsToCsvStream(rows()))).toBe('a,b,later\n1,2,\n4,3,kept\n');
    expect(await readAll(rowsToCsvStream(rows(), { header: false }))).toBe('1,2,\n4,3,kept\n');
  });

  it('fails on a key first seen after the sampled rows of an iterable, naming the row and the key (never drops it)', async () => {
    function* rows(extraAt: number) {
      for (let i = 1; i <= COLUMN_SAMPLE_ROWS + 10; i++) yield i === extraAt ? { a: i, surprise: 'x' } : { a: i };
    }
    await expect(readAll(rowsToCsvStream(rows(COLUMN_SAMPLE_ROWS + 5)))).rejects.toThrow(
      `row ${COLUMN_SAMPLE_ROWS + 5} of the input has the column 'surprise', which is not among the columns taken from the first ${COLUMN_SAMPLE_ROWS} rows (a)`,
    );
    async function* later() {
      yield* rows(COLUMN_SAMPLE_ROWS + 1);
    }
    await expect(readAll(rowsToCsvStream(later()))).rejects.toThrow(`row ${COLUMN_SAMPLE_ROWS + 1} of the input has the column 'surprise'`);
    // Within the sample the key is a column; explicit columns still choose what is written.
    const csv = await readAll(rowsToCsvStream(rows(COLUMN_SAMPLE_ROWS)));
    expect(csv.split('\n')[0]).toBe('a,surprise');
    expect(csv.split('\n')[COLUMN_SAMPLE_ROWS]).toBe(`${COLUMN_SAMPLE_ROWS},x`);
    expect((await readAll(rowsToCsvStream(rows(COLUMN_SAMPLE_ROWS + 5), { columns: ['a'] }))).split('\n').length).toBe(COLUMN_SAMPLE_ROWS + 12);
  });

  it('takes explicit columns, and arrays of values with them', async () => {
    const rows = [{ a: 1, b: 2 }, [3, 4]];
    expect(await readAll(rowsToCsvStream(rows, { columns: ['b', 'a'] }))).toBe('b,a\n2,1\n3,4\n');
  });

  it('writes nothing for no rows, and only the header when columns are given', async () => {
    expect(await readAll(rowsToCsvStream([]))).toBe('');
    expect(await readAll(rowsToCsvStream([], { columns: ['a', 'b'] }))).toBe('a,b\n');
    async function* none() {}
    expect(await readAll(rowsToCsvStream(none(), { columns: ['x'] }))).toBe('x\n');
  });

  it('fails clearly on a row that is not an object, or on arrays without columns', async () => {
    await expect(readAll(rowsToCsvStream([{ a: 1 }, 'oops' as never]))).rejects.toThrow('row 2 is string');
    await expect(readAll(rowsToCsvStream([[1, 2]]))).rejects.toThrow('column names must be given');
  });

  it('batches many rows per chunk and reports progress with final totals', async () => {
    const rows = Array.from({ length: 50_000 }, (_, i) => ({ id: i, name: `name ${i}` }));
    const progress: CsvProgress[] = [];
    const chunks: Buffer[] = [];
    for await (const c of rowsToCsvStream(rows, { onProgress: (p) => progress.push(p) })) chunks.push(c as Buffer);
    const total = Buffer.concat(chunks);
    expect(chunks.length).toBeLessThan(20);
    expect(chunks[0]!.length).toBeGreaterThanOrEqual(64 * 1024);
    expect(progress.at(-1)).toEqual({ rows: 50_000, bytes: total.length });
    expect(parseCsvString(total.toString()).length).toBe(50_001);
  });

  it('pulls from the source only as fast as the consumer reads (backpressure)', async () => {
    let pulled = 0;
    function* rows() {
      for (let i = 0; i < 1_000_000; i++) {
        pulled++;
        yield { i, text: 'some text to fill the chunk' };
      }
    }
    const stream = rowsToCsvStream(rows());
    const it = stream[Symbol.asyncIterator]();
    await it.next();
    expect(pulled).toBeGreaterThan(0);
    expect(pulled).toBeLessThan(20_000);
    await it.return?.();
  });

  it('releases the source (its finally block runs) when destroyed early', async () => {
    let released = false;
    async function* rows() {
      try {
        for (let i = 0; ; i++) yield { i, pad: 'x'.repeat(100) };
      } finally {
        released = true;
      }
    }
    const stream = rowsToCsvStream(rows());
    for await (const _chunk of stream) break;
    await new Promise((r) => setTimeout(r, 10));
    expect(released).toBe(true);
  });

  it('encodes multi-byte text correctly across chunk boundaries', async () => {
    const rows = Array.from({ length: 20_000 }, (_, i) => ({ i, s: `日本語🎉 ${i}` }));
    const csv = await readAll(rowsToCsvStream(rows, { chunkSize: 1000 }));
    const parsed = parseCsvString(csv);
    expect(parsed.length).toBe(20_001);
    expect(parsed[12_345]).toEqual(['12344', '日本語🎉 12344']);
  });

  it('quotes a line longer than a chunk correctly', async () => {
    const big = 'x,"y"\n'.repeat(100_000);
    const csv = await readAll(rowsToCsvStream([{ big }, { big: 'small' }]));
    expect(parseCsvString(csv)).toEqual([['big'], [big], ['small']]);
  });

  it('encodeCsvString is the string path of encodeCsvValue', () => {
    for (const s of TRICKY_STRINGS) if (s !== null) expect(encodeCsvString(s)).toBe(encodeCsvValue(s));
  });
});
