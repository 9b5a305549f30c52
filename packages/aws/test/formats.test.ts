/**
 * ToS3 `format` / `compression` and FromS3 `as = 'jsonl' | 'parquet'` and
 * gzip detection, against moto: every format × compression round trip, the
 * stored bytes checked exactly where the format is deterministic (CSV, JSON
 * Lines, their gzip, Parquet), and the Content-Type / Content-Encoding.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { gunzipSync, gzipSync } from 'node:zlib';
import { DatasetWriter, resetFormatKws, resetJobs, type Dataset, type Row } from '@bigrays/core';
import { encodeTable } from '@bigrays/core/plugin';
import { fromS3, toS3 } from '@bigrays/aws';
import { requireService } from '../../../test/support/services.js';
import { closeDirectClients, createBucket, getObject, headObject, messages, openUploads, putObject, useMoto } from './helpers.js';

const up = await requireService('moto', 'aws/formats');

const ROWS: Row[] = [
  { id: 1, name: 'plain', note: null },
  { id: 2, name: 'a,b "q"\nline', note: 'ünïcödé 🎉' },
  { id: 3, name: null, note: '' },
];
const CSV = 'id,name,note\n1,plain,\n2,"a,b ""q""\nline",ünïcödé 🎉\n3,,""\n';
const JSONL =
  '{"id":1,"name":"plain","note":null}\n' + '{"id":2,"name":"a,b \\"q\\"\\nline","note":"ünïcödé 🎉"}\n' + '{"id":3,"name":null,"note":""}\n';

async function bytesOf(input: unknown, options: Parameters<typeof encodeTable>[1]): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of encodeTable(input, options)) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

async function dataset(): Promise<Dataset> {
  const w = await DatasetWriter.create([
    { name: 'id', type: 'integer' },
    { name: 'amount', type: 'decimal' },
    { name: 'at', type: 'timestamp' },
    { name: 'day', type: 'date' },
    { name: 'ok', type: 'boolean' },
    { name: 'big', type: 'bigint' },
    { name: 'bytes', type: 'binary' },
  ]);
  for (let i = 0; i < 3000; i++) {
    await w.writeRow([
      i,
      i % 5 === 0 ? null : `${i}.${String(i % 100).padStart(2, '0')}`,
      new Date(Date.UTC(2026, 0, 1) + i * 1000),
      i % 7 === 0 ? null : '2026-02-28',
      i % 2 === 0,
      `${9007199254740993n + BigInt(i)}`,
      Buffer.from([i & 0xff, 0, 0xff]),
    ]);
  }
  return w.finish();
}

(up ? describe : describe.skip)('ToS3 / FromS3 formats on moto', () => {
  let bucket: string;

  beforeAll(() => useMoto());
  afterAll(() => closeDirectClients());
  beforeEach(async () => {
    resetJobs();
    resetFormatKws();
    bucket = await createBucket('formats');
  });

  it.each([
    ['csv', 'none', 'text/csv', undefined, CSV],
    ['csv', 'gzip', 'text/csv', 'gzip', CSV],
    ['jsonl', 'none', 'application/x-ndjson', undefined, JSONL],
    ['jsonl', 'gzip', 'application/x-ndjson', 'gzip', JSONL],
  ] as const)('rows as %s (compression %s): exact bytes, headers, and read back', async (format, compression, type, encoding, text) => {
    const key = `rows.${format}${compression === 'gzip' ? '.gz' : ''}`;
    await toS3({ bucket, key, input: ROWS, format, compression });
    const stored = (await getObject(bucket, key))!;
    const expected = Buffer.from(text, 'utf8');
    expect(compression === 'gzip' ? gunzipSync(stored) : stored).toEqual(expected);
    // Deterministic: the same input gzips to the same bytes (zlib, no name, mtime 0).
    if (compression === 'gzip') expect(stored).toEqual(gzipSync(expected));
    const head = await headObject(bucket, key);
    expect(head.ContentType).toBe(type);
    expect(head.ContentEncoding).toBe(encoding);
    const back = await fromS3({ bucket, key, as: format });
    if (format === 'jsonl') expect(back).toEqual(ROWS);
    else expect(back).toEqual(ROWS.map((r) => ({ id: String(r.id), name: r.name, note: r.note })));
    expect(await fromS3({ bucket, key, as: 'text' })).toBe(text);
  });

  it('rows as Parquet: exact bytes, content type, typed values back', async () => {
    await toS3({ bucket, key: 'rows.parquet', input: ROWS, format: 'parquet' });
    const stored = (await getObject(bucket, 'rows.parquet'))!;
    expect(stored).toEqual(await bytesOf(ROWS, { format: 'parquet' }));
    expect(stored.subarray(0, 4).toString()).toBe('PAR1');
    const head = await headObject(bucket, 'rows.parquet');
    expect(head.ContentType).toBe('application/vnd.apache.parquet');
    expect(head.ContentEncoding).toBeUndefined();
    expect(await fromS3({ bucket, key: 'rows.parquet', as: 'parquet' })).toEqual(ROWS);
  });

  it.each([
    ['csv', 'none'],
    ['csv', 'gzip'],
    ['jsonl', 'none'],
    ['jsonl', 'gzip'],
    ['parquet', 'none'],
  ] as const)('a Dataset as %s (compression %s) round-trips value for value', async (format, compression) => {
    const ds = await dataset();
    try {
      const key = `ds.${format}.${compression}`;
      await toS3({ bucket, key, input: ds, format, compression });
      const stored = (await getObject(bucket, key))!;
      expect(stored).toEqual(await bytesOf(ds, { format, compression }));
      const back = (await fromS3({ bucket, key, as: format })) as Row[];
      const expected = await ds.toArray();
      expect(back).toHaveLength(3000);
      if (format === 'parquet') {
        expect(back).toEqual(expected);
      } else if (format === 'jsonl') {
        expect(back).toEqual(
          expected.map((r) => ({ ...r, at: (r.at as Date).toISOString(), bytes: (r.bytes as Buffer).toString('base64') })),
        );
      } else {
        // CSV reads back as text: compare with the spool file's own CSV.
        const csv = (await bytesOf(ds, { format: 'csv' })).toString('utf8');
        expect(await fromS3({ bucket, key, as: 'text' })).toBe(csv);
      }
    } finally {
      await ds.delete();
    }
  });

  it('FromS3 detects gzip by its magic bytes (no Content-Encoding needed); decompress = none keeps the bytes', async () => {
    await putObject(bucket, 'other-tool.csv.gz', gzipSync(CSV));
    await putObject(bucket, 'other-tool.jsonl.gz', gzipSync(JSONL));
    expect(await fromS3({ bucket, key: 'other-tool.csv.gz', as: 'text' })).toBe(CSV);
    expect(await fromS3({ bucket, key: 'other-tool.jsonl.gz', as: 'jsonl' })).toEqual(ROWS);
    expect(await fromS3({ bucket, key: 'other-tool.csv.gz' })).toEqual(gzipSync(CSV));
    expect(await fromS3({ bucket, key: 'other-tool.csv.gz', as: 'buffer', decompress: 'gzip' })).toEqual(Buffer.from(CSV));
    // Not gunzipped: gzip bytes are not UTF-8 text, which the strict decoder reports.
    const raw = await fromS3({ bucket, key: 'other-tool.csv.gz', as: 'text', decompress: 'none' }).catch((e: unknown) => e);
    expect(messages(raw)).toMatch(/other-tool\.csv\.gz: the input is not valid UTF-8: byte 0x8b at byte offset 1/);
  });

  it('a value that does not fit its Parquet column mid-upload fails the task and leaves no object (multipart aborted)', async () => {
    // ~12 MB of Parquet before the bad row: more than one 8 MiB part is on its way when it fails.
    async function* rows() {
      for (let i = 0; i < 300_000; i++) yield { id: i, payload: `${i} ${'x'.repeat(40)} ${Math.random()}` };
      yield { id: 'not a number', payload: 'late' };
    }
    const error = await toS3({ bucket, key: 'broken.parquet', input: rows(), format: 'parquet' }).catch((e: unknown) => e);
    expect(messages(error)).toMatch(/column 'id', row 300001: "not a number" is not a 32-bit integer/);
    expect(messages(error)).toMatch(/nothing was written/);
    expect(await getObject(bucket, 'broken.parquet')).toBeUndefined();
    expect(await openUploads(bucket)).toEqual([]);
  }, 120_000);

  it('refuses combinations that make no sense, naming the attribute and the fix', async () => {
    const err1 = await toS3({ bucket, key: 'x.parquet', input: ROWS, format: 'parquet', compression: 'gzip' }).catch((e: unknown) => e);
    expect(messages(err1)).toMatch(/compression = 'gzip' does not apply to Parquet.*set compression = 'none'/);
    const err2 = await toS3({ bucket, key: 'x.jsonl', input: 'just text', format: 'jsonl' }).catch((e: unknown) => e);
    expect(messages(err2)).toMatch(/format = 'jsonl' needs a table \(rows or a Dataset\)/);
    const err3 = await toS3({ bucket, key: 'x', input: ROWS, format: 'xml' as never }).catch((e: unknown) => e);
    expect(messages(err3)).toMatch(/format must be 'csv', 'jsonl' or 'parquet'; got "xml"/);
    await putObject(bucket, 'bad.jsonl', '{"a":1}\nnot json\n');
    expect(messages(await fromS3({ bucket, key: 'bad.jsonl', as: 'jsonl' }).catch((e: unknown) => e))).toMatch(/JSON Lines line 2 is not valid JSON/);
    expect(messages(await fromS3({ bucket, key: 'bad.jsonl', as: 'parquet' }).catch((e: unknown) => e))).toMatch(/is not a readable Parquet file/);
  });
});
