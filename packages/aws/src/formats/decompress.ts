/**
 * Gzip detection for `FromS3`: decompress a downloaded body when asked, or
 * (`'auto'`) when its first bytes are gzip's magic number.
 *
 * @module
 */
import { Readable, pipeline } from 'node:stream';
import { createGunzip } from 'node:zlib';

/** How `FromS3` treats gzip: `'auto'` (detect), `'gzip'` (always gunzip), `'none'` (never). */
export type FromS3Decompress = 'auto' | 'gzip' | 'none';

const GZIP_MAGIC_0 = 0x1f;
const GZIP_MAGIC_1 = 0x8b;

/**
 * The bytes of `body`, gunzipped when `mode` is `'gzip'`, or `'auto'` and
 * the body starts with `1f 8b`. Valid UTF-8 text (CSV, JSON Lines) never
 * starts with those bytes (0x8b cannot follow 0x1f in UTF-8), so detection
 * needs no Content-Encoding header: objects uploaded by other tools as
 * `*.gz` are recognised too. Concatenated gzip members are read whole.
 */
export async function* maybeGunzip(body: AsyncIterable<Buffer>, mode: FromS3Decompress): AsyncGenerator<Buffer, void, undefined> {
  if (mode === 'none') {
    yield* body;
    return;
  }
  const it = body[Symbol.asyncIterator]();
  const head: Buffer[] = [];
  let headBytes = 0;
  let done = false;
  // Two bytes decide; they may arrive in separate chunks.
  while (headBytes < 2) {
    const next = await it.next();
    if (next.done === true) {
      done = true;
      break;
    }
    head.push(next.value);
    headBytes += next.value.length;
  }
  const first = Buffer.concat(head);
  const gzipped = mode === 'gzip' || (first.length >= 2 && first[0] === GZIP_MAGIC_0 && first[1] === GZIP_MAGIC_1);
  async function* all(): AsyncGenerator<Buffer, void, undefined> {
    if (first.length > 0) yield first;
    if (done) return;
    for (;;) {
      const next = await it.next();
      if (next.done === true) return;
      yield next.value;
    }
  }
  if (!gzipped) {
    yield* all();
    return;
  }
  const gunzip = createGunzip();
  pipeline(Readable.from(all()), gunzip, () => undefined);
  try {
    for await (const chunk of gunzip) yield chunk as Buffer;
  } finally {
    gunzip.destroy();
  }
}
