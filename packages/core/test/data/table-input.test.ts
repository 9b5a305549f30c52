import { afterEach, describe, expect, it } from '@jest/globals';
import { Readable } from 'node:stream';
import { DatasetWriter } from '../../src/data/dataset-writer.js';
import { deleteAllSpoolFiles } from '../../src/data/spool-files.js';
import { contentTypeOf, describeValue, tableInputKind, toCsvReadable } from '../../src/data/table-input.js';
import { readAll } from './helpers.js';

afterEach(async () => {
  await deleteAllSpoolFiles();
});

describe('toCsvReadable', () => {
  it('turns rows into CSV with a header', async () => {
    expect(await readAll(toCsvReadable([{ a: 1 }, { a: 2, b: 'x' }]))).toBe('a,b\n1,\n2,x\n');
    expect(await readAll(toCsvReadable(new Set([{ a: 1 }])))).toBe('a\n1\n');
    async function* rows() {
      yield { n: 'async' };
    }
    expect(await readAll(toCsvReadable(rows()))).toBe('n\nasync\n');
  });

  it('copies a Dataset file, header included', async () => {
    const w = await DatasetWriter.create([{ name: 'a', type: 'integer' }]);
    await w.writeRow([1]);
    const ds = await w.finish();
    expect(await readAll(toCsvReadable(ds))).toBe('a\n1\n');
  });

  it('passes strings, bytes and streams through as is', async () => {
    expect(await readAll(toCsvReadable('not,csv\n"as is'))).toBe('not,csv\n"as is');
    expect(await readAll(toCsvReadable(Buffer.from('bytes')))).toBe('bytes');
    expect(await readAll(toCsvReadable(new Uint8Array([104, 105, 33]).subarray(1)))).toBe('i!');
    const stream = Readable.from([Buffer.from('str'), Buffer.from('eam')]);
    expect(toCsvReadable(stream)).toBe(stream);
    expect(await readAll(toCsvReadable(new Blob(['web stream']).stream()))).toBe('web stream');
  });

  it('reports row progress for row inputs', async () => {
    const seen: { rows: number; bytes: number }[] = [];
    await readAll(toCsvReadable([{ a: 1 }, { a: 2 }], { onProgress: (p) => seen.push(p) }));
    expect(seen.at(-1)).toEqual({ rows: 2, bytes: 6 });
  });

  it('rejects anything else, naming what it got and what it accepts', () => {
    const accepted = 'an array of row objects, a Dataset, an iterable or async iterable of row objects, a string, a Buffer/Uint8Array, or a Readable stream';
    expect(() => toCsvReadable(42)).toThrow(`input must be ${accepted}; got number (42)`);
    expect(() => toCsvReadable({ a: 1 }, { label: 'ToCSV.input' })).toThrow('ToCSV.input must be an array of row objects');
    expect(() => toCsvReadable({ a: 1 })).toThrow('got a plain object (not a table)');
    expect(() => toCsvReadable(null)).toThrow('got null');
    expect(() => toCsvReadable(undefined)).toThrow('got undefined (was the attribute or @Input set?)');
    expect(() => toCsvReadable(Promise.resolve([]))).toThrow('got a Promise (await it first)');
    expect(() => toCsvReadable(['a', 'b'])).toThrow('got an array of string');
    expect(() => toCsvReadable([[1, 2]])).toThrow('got an array of arrays');
    expect(() => toCsvReadable(new Map([['a', 1]]) as never)).not.toThrow();
    expect(() => toCsvReadable(new Date())).toThrow('got an instance of Date');
    expect(() => toCsvReadable(() => [])).toThrow(TypeError);
  });
});

describe('contentTypeOf / tableInputKind', () => {
  it('classifies inputs', async () => {
    const ds = await (await DatasetWriter.create([{ name: 'a', type: 'text' }])).finish();
    expect(contentTypeOf([{ a: 1 }])).toBe('text/csv');
    expect(contentTypeOf([])).toBe('text/csv');
    expect(contentTypeOf(ds)).toBe('text/csv');
    expect(contentTypeOf('text')).toBe('text/plain; charset=utf-8');
    expect(contentTypeOf(Buffer.from('x'))).toBe('application/octet-stream');
    expect(contentTypeOf(Readable.from([]))).toBe('application/octet-stream');
    expect(tableInputKind(Readable.from([]))).toBe('stream');
    expect(tableInputKind(42)).toBeUndefined();
  });

  it('describes values', () => {
    expect(describeValue(true)).toBe('boolean (true)');
    expect(describeValue(Symbol('s'))).toBe('a symbol (Symbol(s))');
    expect(describeValue(function rows() {})).toBe('a function (rows); pass its result, not the function');
    expect(describeValue(Object.create(null))).toBe('a plain object (not a table)');
  });
});
