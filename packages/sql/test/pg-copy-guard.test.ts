import { describe, it, expect } from '@jest/globals';
import { Readable } from 'node:stream';
import { copyMarkerGuard } from '../src/engines/postgres/copy-guard.js';

async function through(chunks: string[]): Promise<string> {
  const out: Buffer[] = [];
  for await (const c of Readable.from(chunks.map((s) => Buffer.from(s))).pipe(copyMarkerGuard())) out.push(c as Buffer);
  return Buffer.concat(out).toString();
}

describe('copyMarkerGuard (COPY end-of-data marker in CSV data)', () => {
  const input = 'a\n\\.\n"x\n\\.\ny"\n\\.,b\n\\.x\n\\.';
  const expected = 'a\n"\\."\n"x\n\\.\ny"\n\\.,b\n\\.x\n"\\."';

  it('quotes a record that is exactly \\., and nothing else', async () => {
    expect(await through([input])).toBe(expected);
  });

  it('gives the same bytes however the input is split into chunks', async () => {
    for (let i = 0; i <= input.length; i++) {
      for (let j = i; j <= input.length; j += 3) {
        expect(await through([input.slice(0, i), input.slice(i, j), input.slice(j)])).toBe(expected);
      }
    }
  });
});
