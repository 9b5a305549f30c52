import { describe, expect, it } from '@jest/globals';
import { JsonText, isExactJsonNumber, parseJsonExact } from '../../src/data/json-exact.js';
import { encodeCsvValue } from '../../src/data/csv-writer.js';
import { decodeValue } from '../../src/data/column-types.js';

describe('parseJsonExact (issue 10 #6)', () => {
  it('parses JSON whose numbers a double holds exactly', () => {
    expect(parseJsonExact('{"a": [1, 2.5, -0, 1e2, 0.1, 9007199254740991], "s": "9007199254740993"}')).toEqual({
      a: [1, 2.5, -0, 100, 0.1, 9007199254740991],
      s: '9007199254740993',
    });
    expect(parseJsonExact('"text"')).toBe('text');
    expect(parseJsonExact('true')).toBe(true);
  });

  it('keeps the text of documents a JS value cannot hold, and of a JSON null', () => {
    for (const t of ['9007199254740993', '{"a": 12345678901234567890}', '1e400', '[0.1000000000000000000001]', 'null', '-1e-400']) {
      expect(parseJsonExact(t)).toEqual(new JsonText(t));
    }
  });

  it('text that is not JSON stays a string', () => {
    expect(parseJsonExact('not json')).toBe('not json');
  });

  it('isExactJsonNumber', () => {
    for (const t of ['0', '-0', '1.0', '1E2', '0.30000000000000004', '123456789012345', '1.7976931348623157e308']) expect(isExactJsonNumber(t)).toBe(true);
    for (const t of ['9007199254740993', '0.1000000000000000000001', '1e400', '2e-400']) expect(isExactJsonNumber(t)).toBe(false);
  });

  it('JsonText is written as its text (CSV) and decoded back the same from a Dataset json column', () => {
    const v = new JsonText('{"a": 12345678901234567890}');
    expect(encodeCsvValue(v)).toBe('"{""a"": 12345678901234567890}"');
    expect(decodeValue('json', '{"a": 12345678901234567890}')).toEqual(v);
    expect(decodeValue('json', 'null')).toEqual(new JsonText('null'));
  });
});
