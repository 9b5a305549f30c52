/**
 * Reading pg's errors: the SQLSTATE code, detail and hint, and the 1-based
 * character position of the error in what was sent.
 *
 * @module
 */
import type { ErrorReader } from '../dialect.js';

export const postgresErrors: ErrorReader = {
  message: (e) => e.message,
  code: (e) => e.code,
  details(e) {
    let text = '';
    if (e.detail) text += `\n  detail: ${e.detail}`;
    if (e.hint) text += `\n  hint: ${e.hint}`;
    return text;
  },
  offset(e, text, textOffset) {
    if (e.position === undefined) return undefined;
    const p = Number(e.position) - 1 - textOffset;
    return p >= 0 && p <= text.length ? p : undefined;
  },
};
