import { describe, expect, it } from '@jest/globals';
import {
  COLUMN_TYPES,
  createArrayDecoder,
  createRowDecoder,
  decodeValue,
  decoderFor,
  parseTimestamp,
  type ColumnType,
} from '../../src/data/column-types.js';

describe('decodeValue', () => {
  it('keeps null as null for every type', () => {
    for (const t of COLUMN_TYPES) expect(decodeValue(t, null)).toBeNull();
  });

  it('text and unknown are strings, "" included', () => {
    expect(decodeValue('text', 'hello')).toBe('hello');
    expect(decodeValue('text', '')).toBe('');
    expect(decodeValue('unknown', '42')).toBe('42');
  });

  it('integer and float are numbers', () => {
    expect(decodeValue('integer', '42')).toBe(42);
    expect(decodeValue('integer', '-7')).toBe(-7);
    expect(decodeValue('float', '1.5e3')).toBe(1500);
    expect(decodeValue('float', '-0.25')).toBe(-0.25);
    expect(decodeValue('float', 'NaN')).toBeNaN();
    expect(decodeValue('float', 'Infinity')).toBe(Infinity);
    expect(decodeValue('float', '-Infinity')).toBe(-Infinity);
    expect(decodeValue('integer', '')).toBeNull();
    expect(() => decodeValue('integer', 'abc')).toThrow('cannot decode "abc" as integer');
    expect(() => decodeValue('float', '1.2.3')).toThrow('as float');
  });

  it('bigint and decimal stay exact strings', () => {
    expect(decodeValue('bigint', '9223372036854775807')).toBe('9223372036854775807');
    expect(decodeValue('decimal', '12345678901234567890.000000000001')).toBe('12345678901234567890.000000000001');
  });

  it('boolean accepts t/true/1 and f/false/0', () => {
    for (const t of ['t', 'true', '1', 'TRUE', 'True', 'T']) expect(decodeValue('boolean', t)).toBe(true);
    for (const f of ['f', 'false', '0', 'FALSE', 'False', 'F']) expect(decodeValue('boolean', f)).toBe(false);
    expect(decodeValue('boolean', '')).toBeNull();
    expect(() => decodeValue('boolean', 'maybe')).toThrow('as boolean');
  });

  it('date stays a YYYY-MM-DD string', () => {
    expect(decodeValue('date', '2026-01-02')).toBe('2026-01-02');
  });

  it('json is parsed; text that is not JSON stays a string', () => {
    expect(decodeValue('json', '{"a":[1,2,{"b":null}]}')).toEqual({ a: [1, 2, { b: null }] });
    expect(decodeValue('json', '"str"')).toBe('str');
    expect(decodeValue('json', '3')).toBe(3);
    expect(decodeValue('json', 'not json')).toBe('not json');
  });

  it('binary decodes PostgreSQL hex bytea', () => {
    expect(decodeValue('binary', '\\x00ff10')).toEqual(Buffer.from([0, 255, 16]));
    expect(decodeValue('binary', '\\x')).toEqual(Buffer.alloc(0));
    expect(decodeValue('binary', 'raw')).toEqual(Buffer.from('raw'));
  });

  it('timestamp accepts ISO 8601 and PostgreSQL forms; no zone means UTC', () => {
    const expected = Date.UTC(2026, 0, 2, 3, 4, 5, 123);
    const utc = [
      '2026-01-02T03:04:05.123Z',
      '2026-01-02 03:04:05.123+00',
      '2026-01-02 03:04:05.123+00:00',
      '2026-01-02 03:04:05.123',
      '2026-01-02T03:04:05.123456',
      '2026-01-02 03:04:05.123999+00',
      '2026-01-02 08:34:05.123+05:30',
      '2026-01-02 08:04:05.123+05',
      '2026-01-02 08:34:05.123+0530',
      '2026-01-01 22:04:05.123-05',
    ];
    for (const text of utc) expect([text, (decodeValue('timestamp', text) as Date).getTime()]).toEqual([text, expected]);
    expect((decodeValue('timestamp', '2026-01-02 03:04:05') as Date).getTime()).toBe(Date.UTC(2026, 0, 2, 3, 4, 5));
    expect((decodeValue('timestamp', '2026-01-02') as Date).getTime()).toBe(Date.UTC(2026, 0, 2));
    expect((decodeValue('timestamp', '2026-01-02T03:04Z') as Date).getTime()).toBe(Date.UTC(2026, 0, 2, 3, 4));
    expect(parseTimestamp('0099-06-01 00:00:00+00').toISOString()).toBe('0099-06-01T00:00:00.000Z');
    expect(parseTimestamp('Fri, 02 Jan 2026 03:04:05 GMT').getTime()).toBe(Date.UTC(2026, 0, 2, 3, 4, 5));
    expect(() => decodeValue('timestamp', 'yesterday')).toThrow('as timestamp');
    expect(() => decodeValue('timestamp', '2026-13-45 00:00:00')).toThrow('as timestamp');
  });

  it('rejects an unknown type', () => {
    expect(() => decoderFor('money' as ColumnType)).toThrow('unknown column type "money"');
  });
});

describe('row decoders', () => {
  const types: ColumnType[] = ['integer', 'text', 'boolean', 'timestamp', 'json'];
  const record = ['7', '', 't', '2026-01-02 00:00:00+00', '{"k":1}'];

  it('decodes a record into an array', () => {
    expect(createArrayDecoder(types)(record)).toEqual([7, '', true, new Date(Date.UTC(2026, 0, 2)), { k: 1 }]);
    expect(createArrayDecoder(types)([null, null, null, null, null])).toEqual([null, null, null, null, null]);
  });

  it('decodes a record into an object, even with a __proto__ column', () => {
    const decode = createRowDecoder(['id', 'name', 'ok', 'at', 'doc'], types);
    expect(decode(record)).toEqual({ id: 7, name: '', ok: true, at: new Date(Date.UTC(2026, 0, 2)), doc: { k: 1 } });
    const odd = createRowDecoder(['__proto__', 'x'], ['text', 'integer'])(['p', '1']);
    expect(Object.getPrototypeOf(odd)).toBe(Object.prototype);
    expect(Object.keys(odd)).toEqual(['__proto__', 'x']);
    expect(odd['x']).toBe(1);
  });

  it('treats a missing trailing field as null', () => {
    expect(createRowDecoder(['a', 'b'], ['integer', 'integer'])(['1'])).toEqual({ a: 1, b: null });
  });
});

describe('PostgreSQL timestamps without a Date form (issue 10 #9)', () => {
  it('infinity, -infinity and BC timestamps stay PostgreSQL text', () => {
    for (const t of ['infinity', '-infinity', '0044-03-15 12:00:00 BC', '0044-03-15 12:00:00+00 BC']) expect(decodeValue('timestamp', t)).toBe(t);
  });

  it('parseTimestamp never reads a BC timestamp as AD', () => {
    expect(() => parseTimestamp('0044-03-15 12:00:00 BC')).toThrow(/cannot decode/);
  });

  it('a field that cannot be decoded names the column, its type and the row', () => {
    const rows = createRowDecoder(['id', 'at'], ['integer', 'timestamp']);
    expect(rows(['1', '2026-01-01'])).toEqual({ id: 1, at: new Date('2026-01-01T00:00:00Z') });
    expect(() => rows(['2', 'garbage'])).toThrow('column "at" (timestamp), row 2: cannot decode "garbage" as timestamp');
    const arrays = createArrayDecoder(['integer', 'timestamp'], ['id', 'at']);
    expect(() => arrays(['x', '2026-01-01'])).toThrow('column "id" (integer), row 1: cannot decode "x" as integer');
  });
});
