/**
 * PostgreSQL's `COPY ... FROM STDIN WITH (FORMAT csv)` ends the data at a
 * line that is exactly `\.` (its end-of-data marker), even in CSV mode, and
 * silently ignores every line after it. A text value `\.` alone in a record
 * (a one-column table, or core's CSV encoder, which has no reason to quote
 * it) is such a line. This stream quotes it (`"\."`, the same value in CSV),
 * as PostgreSQL's own `COPY TO` does.
 *
 * @internal
 * @module
 */
import { Transform, type TransformCallback } from 'node:stream';

const QUOTE = 0x22;
const LF = 0x0a;
const CR = 0x0d;
const BACKSLASH = 0x5c;
const DOT = 0x2e;
const QUOTED_MARKER = Buffer.from('"\\."');

/**
 * A Transform that rewrites every record that is exactly `\.` (followed by
 * LF, CR or the end of the data) into `"\."`. It tracks CSV quoting across
 * chunks, so a `\.` line inside a quoted multi-line value is left alone
 * (PostgreSQL does not take that one as the marker either).
 */
export function copyMarkerGuard(): Transform {
  let inQuote = false;
  /** True when the next byte starts a record. */
  let atRecordStart = true;
  /** Bytes held back because a record start near a chunk's end could not be judged yet. */
  let held: Buffer | undefined;

  /** Processes `buf`; returns the bytes to push and keeps an undecidable tail in `held`. */
  function scan(buf: Buffer, final: boolean): Buffer[] {
    const out: Buffer[] = [];
    let from = 0;
    let i = 0;
    const n = buf.length;
    while (i < n) {
      if (atRecordStart && !inQuote) {
        atRecordStart = false;
        if (buf[i] === BACKSLASH) {
          // Need the next two bytes to decide.
          if (i + 2 >= n && !final) {
            if (i + 1 < n && buf[i + 1] !== DOT) {
              // Not a marker.
            } else {
              out.push(buf.subarray(from, i));
              held = Buffer.from(buf.subarray(i));
              atRecordStart = true;
              return out;
            }
          } else if (buf[i + 1] === DOT && (i + 2 >= n || buf[i + 2] === LF || buf[i + 2] === CR)) {
            out.push(buf.subarray(from, i), QUOTED_MARKER);
            i += 2;
            from = i;
            continue;
          }
        }
      }
      if (inQuote) {
        const q = buf.indexOf(QUOTE, i);
        if (q < 0) break;
        inQuote = false;
        i = q + 1;
        continue;
      }
      const q = buf.indexOf(QUOTE, i);
      const lf = buf.indexOf(LF, i);
      if (lf >= 0 && (q < 0 || lf < q)) {
        atRecordStart = true;
        i = lf + 1;
      } else if (q >= 0) {
        inQuote = true;
        i = q + 1;
      } else {
        break;
      }
    }
    out.push(buf.subarray(from));
    return out;
  }

  return new Transform({
    transform(chunk: Buffer, _encoding, cb: TransformCallback) {
      let buf = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      if (held !== undefined) {
        buf = Buffer.concat([held, buf]);
        held = undefined;
      }
      for (const part of scan(buf, false)) if (part.length > 0) this.push(part);
      cb();
    },
    flush(cb: TransformCallback) {
      if (held !== undefined) {
        const rest = held;
        held = undefined;
        for (const part of scan(rest, true)) if (part.length > 0) this.push(part);
      }
      cb();
    },
  });
}
