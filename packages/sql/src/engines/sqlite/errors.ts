/**
 * Reading better-sqlite3's errors: the code, and the token a syntax error
 * names (`near "x": syntax error`).
 *
 * @module
 */
import type { ErrorReader } from '../dialect.js';

function indexOfToken(text: string, token: string): number {
  const re = new RegExp(`(^|[^A-Za-z0-9_])(${token.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')})(?![A-Za-z0-9_])`, 'i');
  const m = re.exec(text);
  return m ? m.index + m[1]!.length : text.indexOf(token);
}

export const sqliteErrors: ErrorReader = {
  message: (e) => e.message,
  code: (e) => e.code,
  offset(e, text) {
    const m = /near "([\s\S]*?)": syntax error/.exec(e.message ?? '');
    if (m) {
      const at = indexOfToken(text, m[1]!);
      if (at >= 0) return at;
    }
    if (/incomplete input/.test(e.message ?? '')) return text.trimEnd().length;
    return undefined;
  },
};
