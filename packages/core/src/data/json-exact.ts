/**
 * Exact JSON values. `JSON.parse` rounds integers beyond 2^53 and numbers
 * with more digits than a double holds, turns `1e400` into `Infinity`
 * (written back as `null`), and gives a top-level JSON `null` the same value
 * as SQL NULL. Reading a JSON column with {@link parseJsonExact} gives the
 * parsed value when it is exact, and a {@link JsonText} holding the JSON text
 * as the database sent it when it would not be: bigrays writes a `JsonText`
 * back unchanged (SQL writes, CSV, Datasets).
 *
 * @module
 */

/**
 * JSON text kept as is because no plain JavaScript value holds it exactly:
 * a document with a number a double cannot hold (e.g. `9007199254740993`,
 * `1e400`, `0.1000000000000000000001`), or a JSON `null` stored in a column
 * (which must stay different from SQL NULL, read as `null`).
 *
 * `text` is the JSON; parse it with a parser of your choice when you need
 * the numbers exactly. `JSON.stringify` of a `JsonText` (through `toJSON`)
 * gives `JSON.parse(text)`, which is inexact; bigrays' own writers use `text`.
 */
export class JsonText {
  constructor(
    /** The JSON text, as the database sent it. */
    readonly text: string,
  ) {}

  /** For `JSON.stringify`: the (possibly inexact) parsed value. */
  toJSON(): unknown {
    return JSON.parse(this.text);
  }

  toString(): string {
    return this.text;
  }
}

/** JSON strings (skipped) and JSON numbers (checked). */
const TOKENS = /"(?:[^"\\]|\\.)*"|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/g;
const SHORT_INTEGER = /^-?\d{1,15}$/;

/** `[digits without leading/trailing zeros, exponent]` of a decimal number text, `['', 0]` for zero. */
function canonical(text: string): [string, number] {
  let t = text.charCodeAt(0) === 45 ? text.slice(1) : text;
  let exp = 0;
  const e = t.search(/[eE]/);
  if (e >= 0) {
    exp = Number(t.slice(e + 1));
    t = t.slice(0, e);
  }
  const dot = t.indexOf('.');
  if (dot >= 0) {
    exp -= t.length - dot - 1;
    t = t.slice(0, dot) + t.slice(dot + 1);
  }
  t = t.replace(/^0+/, '');
  const trimmed = t.replace(/0+$/, '');
  exp += t.length - trimmed.length;
  return trimmed === '' ? ['', 0] : [trimmed, exp];
}

/** Whether a JSON number's text reads into a double without any change of value. */
export function isExactJsonNumber(text: string): boolean {
  if (SHORT_INTEGER.test(text)) return true;
  const n = Number(text);
  if (!Number.isFinite(n)) return false;
  const [a, ae] = canonical(text);
  const [b, be] = canonical(String(n));
  return a === b && ae === be && (a === '' || (text.charCodeAt(0) === 45) === n < 0);
}

/**
 * Parses JSON text exactly: the parsed value when every number in it reads
 * into a double unchanged and it is not a bare `null`; otherwise a
 * {@link JsonText} of the text. Text that is not valid JSON stays a string.
 */
export function parseJsonExact(text: string): unknown {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    // Drivers that return JSON columns as text may hand us a bare string; keep it rather than fail the read.
    return text;
  }
  if (value === null) return new JsonText(text);
  if (typeof value === 'string' || typeof value === 'boolean') return value;
  TOKENS.lastIndex = 0;
  for (let m = TOKENS.exec(text); m !== null; m = TOKENS.exec(text)) {
    const token = m[0];
    if (token.charCodeAt(0) !== 34 && !isExactJsonNumber(token)) return new JsonText(text);
  }
  return value;
}
