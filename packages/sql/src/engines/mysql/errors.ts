/**
 * Reading mysql2's errors: the server's message and code, and the
 * "near '…' at line N" text that says where the parser stopped.
 *
 * @module
 */
import type { ErrorReader } from '../dialect.js';

function nthLineStart(text: string, line: number): number {
  let at = 0;
  for (let i = 1; i < line; i++) {
    const nl = text.indexOf('\n', at);
    if (nl < 0) return at;
    at = nl + 1;
  }
  return at;
}

export const mysqlErrors: ErrorReader = {
  message: (e) => e.sqlMessage ?? e.message,
  code: (e) => e.code ?? e.errno,
  offset(e, text) {
    const m = /near '([\s\S]*)' at line (\d+)\s*$/.exec(e.sqlMessage ?? e.message ?? '');
    if (!m) return undefined;
    const near = m[1]!;
    const lineStart = nthLineStart(text, Number(m[2]));
    if (near === '') return text.length;
    // The reported line is where the parser stopped, which may be past the offending text: take the
    // last occurrence of the "near" text that starts before the end of that line.
    const probe = near.slice(0, 40);
    let lineEnd = text.indexOf('\n', lineStart);
    if (lineEnd < 0) lineEnd = text.length;
    let best = -1;
    for (let at = text.indexOf(probe); at >= 0 && at <= lineEnd; at = text.indexOf(probe, at + 1)) best = at;
    return best >= 0 ? best : lineStart;
  },
};
