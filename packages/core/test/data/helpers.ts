import { afterAll } from '@jest/globals';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';

const created: string[] = [];

// Runs after every test file that imports these helpers.
afterAll(() => {
  for (const dir of created.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A fresh empty directory under the OS temp dir, removed after the test file. */
export function tempDir(prefix = 'bigrays-data-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  created.push(dir);
  return dir;
}

/** Reads a byte stream to the end as UTF-8 text. */
export async function readAll(stream: Readable | AsyncIterable<Buffer | string>): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(typeof c === 'string' ? Buffer.from(c) : c);
  return Buffer.concat(chunks).toString('utf8');
}

/** Files in `dir`, sorted. */
export function filesIn(dir: string): string[] {
  return readdirSync(dir).sort();
}

/** Values whose CSV encoding is easy to get wrong. */
export const TRICKY_STRINGS: (string | null)[] = [
  'plain',
  '',
  null,
  'a,b',
  'quote " inside',
  '"starts with a quote',
  'ends with a quote"',
  '""',
  'line\nbreak',
  'crlf\r\nbreak',
  'bare\rcr',
  '\n',
  ',',
  '"',
  ' leading space',
  'trailing space ',
  '   ',
  'tab\tinside',
  'ünïcödé façade',
  '日本語のテキスト',
  'emoji 🎉👍🏽 family 👨‍👩‍👧',
  'null',
  'NULL',
  '\\N',
  'a much longer string, with commas, "quotes" and\nnewlines, repeated '.repeat(20),
];
