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

  it('rejects unknown formats and compressions, naming the attribute', async () => {
    const dir = tempDir();
    await expect(exportTask(join(dir, 'a'), [{ a: 1 }], { format: 'xml' }).run()).rejects.toThrow(/Export\.format must be 'csv', 'jsonl' or 'parquet'; got "xml"/);
    await expect(exportTask(join(dir, 'b'), [{ a: 1 }], { compression: 'zip' }).run()).rejects.toThrow(/Export\.compression must be 'none' or 'gzip'; got "zip"/);
  });
});
