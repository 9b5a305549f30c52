import { afterEach, describe, expect, it } from '@jest/globals';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Dataset, DATASET_INIT } from '../../src/data/dataset.js';
import { DatasetWriter, type DatasetColumn } from '../../src/data/dataset-writer.js';
import { deleteAllSpoolFiles, liveSpoolFiles } from '../../src/data/spool-files.js';
import { withTaskScope, type TaskScope } from '../../src/context/task-context.js';
import { readAll, tempDir, TRICKY_STRINGS } from './helpers.js';

const ALL_TYPES: DatasetColumn[] = [
  { name: 'id', type: 'integer' },
  { name: 'name', type: 'text' },
  { name: 'score', type: 'float' },
  { name: 'big', type: 'bigint' },
  { name: 'price', type: 'decimal' },
  { name: 'ok', type: 'boolean' },
  { name: 'day', type: 'date' },
  { name: 'at', type: 'timestamp' },
  { name: 'doc', type: 'json' },
  { name: 'bytes', type: 'binary' },
  { name: 'misc', type: 'unknown' },
];

afterEach(async () => {
  await deleteAllSpoolFiles();
});

async function smallDataset(): Promise<Dataset> {
  const w = await DatasetWriter.create(ALL_TYPES);
  await w.writeRow([
    1,
    'a, "quoted"\nname',
    1.5,
    9007199254740993n,
    '12345678901234567890.01',
    true,
    '2026-01-02',
    new Date(Date.UTC(2026, 0, 2, 3, 4, 5, 6)),
    { k: [1, 'two'] },
    Buffer.from([0xca, 0xfe]),
    'x',
  ]);
  await w.writeRow({ id: 2, name: '', ok: false, day: new Date(Date.UTC(2026, 4, 6)), doc: 'plain text' });
  await w.writeRow([3, null, null, null, null, null, null, null, null, null, null]);
  return w.finish();
}

describe('DatasetWriter + Dataset', () => {
  it('writes a spool file with a header and reads typed rows back', async () => {
    const ds = await smallDataset();
    expect(ds.columns).toEqual(ALL_TYPES.map((c) => c.name));
    expect(ds.columnTypes).toEqual(ALL_TYPES.map((c) => c.type));
    expect(ds.rowCount).toBe(3);
    expect(ds.byteLength).toBe(statSync(ds.path).size);
    expect(readFileSync(ds.path, 'utf8').split('\n')[0]).toBe('id,name,score,big,price,ok,day,at,doc,bytes,misc');
    expect(basename(dirname(ds.path))).toMatch(new RegExp(`^bigrays-spool-${process.pid}-`));
    expect(dirname(dirname(ds.path))).toBe(tmpdir());

    const rows = await ds.toArray();
    expect(rows).toEqual([
      {
        id: 1,
        name: 'a, "quoted"\nname',
        score: 1.5,
        big: '9007199254740993',
        price: '12345678901234567890.01',
        ok: true,
        day: '2026-01-02',
        at: new Date(Date.UTC(2026, 0, 2, 3, 4, 5, 6)),
        doc: { k: [1, 'two'] },
        bytes: Buffer.from([0xca, 0xfe]),
        misc: 'x',
      },
      { id: 2, name: '', score: null, big: null, price: null, ok: false, day: '2026-05-06', at: null, doc: 'plain text', bytes: null, misc: null },
      { id: 3, name: null, score: null, big: null, price: null, ok: null, day: null, at: null, doc: null, bytes: null, misc: null },
    ]);

    const iterated = [];
    for await (const row of ds) iterated.push(row);
    expect(iterated).toEqual(rows);

    const arrays = [];
    for await (const a of ds.rows({ arrays: true })) arrays.push(a);
    expect(arrays[1]).toEqual([2, '', null, null, null, false, '2026-05-06', null, 'plain text', null, null]);
  });

  it('keeps every tricky string, and null vs "", through the file', async () => {
    const w = await DatasetWriter.create([{ name: 'i', type: 'integer' }, { name: 's', type: 'text' }]);
    TRICKY_STRINGS.forEach((s, i) => w.writeRow([i, s]));
    const ds = await w.finish();
    expect((await ds.toArray()).map((r) => r['s'])).toEqual(TRICKY_STRINGS);
  });

  it("quotes a lone \\. in a one-column spool file, so that PostgreSQL's COPY does not take it for the end of the data", async () => {
    const w = await DatasetWriter.create([{ name: 's', type: 'text' }]);
    for (const s of ['a', '\\.', 'b']) w.writeRow([s]);
    const ds = await w.finish();
    expect(readFileSync(ds.path, 'utf8')).toBe('s\na\n"\\."\nb\n');
    expect((await ds.toArray()).map((r) => r['s'])).toEqual(['a', '\\.', 'b']);
  });

  it('keeps a value that starts with U+FEFF (a BOM to CSV readers) in every row, the first included', async () => {
    const w = await DatasetWriter.create([{ name: 's', type: 'text' }]);
    for (const s of ['\ufeffbom', null, '\ufeff']) w.writeRow([s]);
    const ds = await w.finish();
    expect((await ds.toArray()).map((r) => r['s'])).toEqual(['\ufeffbom', null, '\ufeff']);
    expect(await readAll(ds.csvStream({ header: false }))).toBe('"\ufeffbom"\n\n"\ufeff"\n');
  });

  it('reads a first row that starts with U+FEFF unquoted (as PostgreSQL COPY writes it) as data, not as a byte-order mark', async () => {
    const w = await DatasetWriter.create([{ name: 's', type: 'text' }]);
    for (const s of ['x', null]) w.writeRow([s]);
    const ds = await w.finish();
    // The bytes COPY … TO STDOUT (CSV) gives for these rows: it quotes no leading U+FEFF.
    writeFileSync(ds.path, 's\n\ufeffbom\n\n');
    expect((await ds.toArray()).map((r) => r['s'])).toEqual(['\ufeffbom', null]);
  });

  it('csvStream yields the raw file, with or without the header', async () => {
    const ds = await smallDataset();
    const file = readFileSync(ds.path, 'utf8');
    expect(await readAll(ds.csvStream())).toBe(file);
    expect(await readAll(ds.csvStream({ header: false }))).toBe(file.slice(file.indexOf('\n') + 1));
  });

  it('an empty table is just the header', async () => {
    const ds = await (await DatasetWriter.create([{ name: 'a', type: 'text' }])).finish();
    expect(ds.rowCount).toBe(0);
    expect(await readAll(ds.csvStream())).toBe('a\n');
    expect(await readAll(ds.csvStream({ header: false }))).toBe('');
    expect(await ds.toArray()).toEqual([]);
  });

  it('takes raw CSV body bytes through rawSink, with the row count given to finish()', async () => {
    const w = await DatasetWriter.create([{ name: 'n', type: 'integer' }, { name: 's', type: 'text' }]);
    await pipeline(Readable.from([Buffer.from('1,one\n2,"t'), Buffer.from('wo"\n3,\n')]), w.rawSink());
    await expect(w.finish()).rejects.toThrow('row count is required');
    const ds = await w.finish(3);
    expect(ds.rowCount).toBe(3);
    expect(await ds.toArray()).toEqual([
      { n: 1, s: 'one' },
      { n: 2, s: 'two' },
      { n: 3, s: null },
    ]);
    expect(readFileSync(ds.path, 'utf8')).toBe('n,s\n1,one\n2,"two"\n3,\n');
  });

  it('completes a raw body that lacks its final newline', async () => {
    const w = await DatasetWriter.create([{ name: 'n', type: 'integer' }]);
    await pipeline(Readable.from([Buffer.from('1\n2')]), w.rawSink());
    const ds = await w.finish(2);
    expect(readFileSync(ds.path, 'utf8')).toBe('n\n1\n2\n');
  });

  it('validates columns and rows', async () => {
    await expect(DatasetWriter.create([{ name: 'a', type: 'text' }, { name: 'a', type: 'integer' }])).rejects.toThrow('duplicate column name "a"');
    await expect(DatasetWriter.create([{ name: 'a', type: 'money' as never }])).rejects.toThrow('unknown type "money"');
    await expect(DatasetWriter.create([{ name: '', type: 'text' }])).rejects.toThrow('non-empty name');
    const w = await DatasetWriter.create([{ name: 'a', type: 'text' }]);
    expect(() => w.writeRow([1, 2])).toThrow('got 2 values for 1 columns');
    expect(() => w.writeRow(null as never)).toThrow('got null');
    await w.finish();
    expect(() => w.writeRow(['x'])).toThrow('already finished');
  });

  it('Datasets cannot be constructed directly', () => {
    expect(() => new Dataset(Symbol('fake') as typeof DATASET_INIT, {} as never)).toThrow('DatasetWriter.finish()');
  });

  it('writes into a given directory', async () => {
    const dir = join(tempDir(), 'nested', 'spool');
    const ds = await (await DatasetWriter.create([{ name: 'a', type: 'text' }], { dir })).finish();
    expect(dirname(ds.path)).toBe(dir);
  });
});

describe('deletion and spool-file tracking', () => {
  it('delete() removes the file, is idempotent, and reading afterwards fails clearly', async () => {
    const ds = await smallDataset();
    expect(liveSpoolFiles()).toContain(ds.path);
    await ds.delete();
    await ds.delete();
    expect(ds.deleted).toBe(true);
    expect(existsSync(ds.path)).toBe(false);
    expect(liveSpoolFiles()).not.toContain(ds.path);
    await expect(ds.toArray()).rejects.toThrow(/Dataset .* \(3 rows\) was deleted/);
    await expect(async () => {
      for await (const _row of ds) break;
    }).rejects.toThrow('was deleted');
    expect(() => ds.csvStream()).toThrow('was deleted');
  });

  it('a file removed behind its back also reads as deleted', async () => {
    const ds = await smallDataset();
    await deleteAllSpoolFiles();
    await expect(ds.toArray()).rejects.toThrow('was deleted');
  });

  it('abort() deletes an unfinished file; deleteAllSpoolFiles() empties the registry', async () => {
    const w = await DatasetWriter.create([{ name: 'a', type: 'text' }]);
    await w.writeRow(['x']);
    expect(liveSpoolFiles()).toEqual([w.path]);
    await w.abort();
    await w.abort();
    expect(existsSync(w.path)).toBe(false);
    expect(liveSpoolFiles()).toEqual([]);
    const ds = await smallDataset();
    expect(liveSpoolFiles()).toEqual([ds.path]);
    await deleteAllSpoolFiles();
    expect(liveSpoolFiles()).toEqual([]);
    expect(existsSync(ds.path)).toBe(false);
  });

  it('inside a run, the job end deletes both finished and abandoned spool files', async () => {
    const cleanups: (() => void | Promise<void>)[] = [];
    const scope: TaskScope = {
      task: 'Spooler',
      signal: new AbortController().signal,
      run: { onJobEnd: (fn) => cleanups.push(fn) },
      report: () => undefined,
    };
    const { ds, abandoned } = await withTaskScope(scope, async () => {
      const ds = await smallDataset();
      const abandoned = await DatasetWriter.create([{ name: 'a', type: 'text' }]);
      await abandoned.writeRow(['half-written']);
      return { ds, abandoned };
    });
    expect(cleanups.length).toBe(2);
    expect(existsSync(ds.path) && existsSync(abandoned.path)).toBe(true);
    for (const fn of cleanups) await fn();
    expect(existsSync(ds.path)).toBe(false);
    expect(existsSync(abandoned.path)).toBe(false);
    expect(ds.deleted).toBe(true);
    expect(liveSpoolFiles()).toEqual([]);
  });
});

describe('large datasets', () => {
  it('streams 200,000 rows without holding them in memory', async () => {
    const N = 200_000;
    const text = 'lorem ipsum dolor sit amet, consectetur adipiscing elit '.repeat(3);
    const w = await DatasetWriter.create([
      { name: 'id', type: 'integer' },
      { name: 'text', type: 'text' },
      { name: 'amount', type: 'float' },
      { name: 'at', type: 'timestamp' },
      { name: 'ok', type: 'boolean' },
    ]);
    const base = Date.UTC(2026, 0, 1);
    for (let i = 0; i < N; i++) {
      const p = w.writeRow([i, `${i} ${text}`, i / 4, new Date(base + i * 1000), i % 2 === 0]);
      if (p) await p;
    }
    const ds = await w.finish();
    expect(ds.rowCount).toBe(N);

    // Holding the rows would take at least the text bytes plus an object and a Date per row.
    const holdingAtLeast = N * (text.length + 100);
    // With --expose-gc (the test scripts pass it), samples measure what is retained, not garbage a busy machine has not collected yet.
    const collect = (globalThis as { gc?: () => void }).gc ?? (() => undefined);
    collect();
    const before = process.memoryUsage().heapUsed;
    let peak = before;
    let count = 0;
    let sum = 0;
    for await (const row of ds) {
      sum += row['id'] as number;
      count++;
      if (count % 5000 === 0) {
        collect();
        peak = Math.max(peak, process.memoryUsage().heapUsed);
      }
      if (count === N) {
        expect(row).toEqual({ id: N - 1, text: `${N - 1} ${text}`, amount: (N - 1) / 4, at: new Date(base + (N - 1) * 1000), ok: false });
      }
    }
    expect(count).toBe(N);
    expect(sum).toBe((N * (N - 1)) / 2);
    const growth = peak - before;
    // Measured ~10 MB (garbage not yet collected); holding the rows would be over 53 MB.
    if (process.env.SHOW_GROWTH) process.stderr.write(`growth ${growth}\n`);
    expect(growth).toBeLessThan(holdingAtLeast / 2);
  }, 60_000);
});
