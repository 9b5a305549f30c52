/** ToCSV `compression = 'gzip'` and `format = 'jsonl'` on its file output. */
import { afterEach, describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { DatasetWriter } from '../../src/data/dataset-writer.js';
import { deleteAllSpoolFiles } from '../../src/data/spool-files.js';
import { parseJsonLines } from '../../src/formats/jsonl.js';
import { ToCSV } from '../../src/tasks/to-csv.js';
import { tempDir } from '../data/helpers.js';

class Export extends ToCSV {}
const exportTask = (filename: string, input: unknown, extra: Partial<Export> = {}) => Object.assign(new Export(), { filename, input }, extra);

afterEach(() => deleteAllSpoolFiles());

describe('ToCSV file formats', () => {
  it("compression = 'gzip' writes .csv.gz: deterministic gzip of the same CSV (rows, a Dataset, a string)", async () => {
    const dir = tempDir();
    await exportTask(join(dir, 'rows.csv.gz'), [{ id: 1, name: 'x, y' }, { id: 2, name: null }], { compression: 'gzip' }).run();
    expect(readFileSync(join(dir, 'rows.csv.gz'))).toEqual(gzipSync('id,name\n1,"x, y"\n2,\n'));

    const w = await DatasetWriter.create([{ name: 'n', type: 'integer' }, { name: 's', type: 'text' }]);
    for (let i = 0; i < 20_000; i++) await w.writeRow([i, `row "${i}"\n`]);
    const ds = await w.finish();
    await exportTask(join(dir, 'ds.csv.gz'), ds, { compression: 'gzip' }).run();
    expect(gunzipSync(readFileSync(join(dir, 'ds.csv.gz')))).toEqual(readFileSync(ds.path));

    await exportTask(join(dir, 'text.gz'), 'as is\n', { compression: 'gzip' }).run();
    expect(gunzipSync(readFileSync(join(dir, 'text.gz'))).toString()).toBe('as is\n');
  });

  it("format = 'jsonl' writes one JSON object per row (gzipped too); Dataset values keep their types", async () => {
    const dir = tempDir();
    const w = await DatasetWriter.create([
      { name: 'id', type: 'integer' },
      { name: 'at', type: 'timestamp' },
      { name: 'doc', type: 'json' },
      { name: 'bin', type: 'binary' },
    ]);
    w.writeRow([1, new Date('2026-01-02T03:04:05.678Z'), { a: [1, 2] }, Buffer.from('hi')]);
    w.writeRow([2, null, null, null]);
    const ds = await w.finish();
    const expected = '{"id":1,"at":"2026-01-02T03:04:05.678Z","doc":{"a":[1,2]},"bin":"aGk="}\n{"id":2,"at":null,"doc":null,"bin":null}\n';
    await exportTask(join(dir, 'ds.jsonl'), ds, { format: 'jsonl' }).run();
    expect(readFileSync(join(dir, 'ds.jsonl'), 'utf8')).toBe(expected);
    await exportTask(join(dir, 'ds.jsonl.gz'), ds, { format: 'jsonl', compression: 'gzip' }).run();
    expect(gunzipSync(readFileSync(join(dir, 'ds.jsonl.gz'))).toString()).toBe(expected);
    const back = [];
    for await (const batch of parseJsonLines([Buffer.from(expected)])) back.push(...batch);
    expect(back).toEqual([
      { id: 1, at: '2026-01-02T03:04:05.678Z', doc: { a: [1, 2] }, bin: 'aGk=' },
      { id: 2, at: null, doc: null, bin: null },
    ]);
  });

  it('rows of an iterable: columns are the union of the first 1,000 rows\' keys (as for CSV); a later new key fails the task', async () => {
    const dir = tempDir();
    async function* rows(n: number, lateKeyAt = -1) {
      for (let i = 0; i < n; i++) yield i === lateKeyAt ? { a: i, late: true } : i === 3 ? { a: i, b: 'x' } : { a: i };
    }
    await exportTask(join(dir, 'u.jsonl'), rows(5), { format: 'jsonl' }).run();
    expect(readFileSync(join(dir, 'u.jsonl'), 'utf8')).toBe(
      '{"a":0,"b":null}\n{"a":1,"b":null}\n{"a":2,"b":null}\n{"a":3,"b":"x"}\n{"a":4,"b":null}\n',
    );
    await expect(exportTask(join(dir, 'late.jsonl'), rows(1500, 1200), { format: 'jsonl' }).run()).rejects.toThrow(
      /row 1201 of the input has the column 'late', which is not among the columns taken from the first 1000 rows \(a, b\)/,
    );
    await expect(exportTask(join(dir, 'late.parquet'), rows(1500, 1200), { format: 'parquet' }).run()).rejects.toThrow(/row 1201 .* column 'late'/);
  });

  it('rejects unknown formats and compressions, naming the attribute', async () => {
    const dir = tempDir();
    await expect(exportTask(join(dir, 'a'), [{ a: 1 }], { format: 'xml' }).run()).rejects.toThrow(/Export\.format must be 'csv', 'jsonl' or 'parquet'; got "xml"/);
    await expect(exportTask(join(dir, 'b'), [{ a: 1 }], { compression: 'zip' }).run()).rejects.toThrow(/Export\.compression must be 'none' or 'gzip'; got "zip"/);
  });
});
