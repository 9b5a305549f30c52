/**
 * A small SQL tokenizer for portable bound parameters.
 *
 * It finds `:name` placeholders and top-level `;` separators while skipping
 * everything that may legitimately contain them: string literals
 * (`'...'` with `''`, PostgreSQL `E'...'` and MySQL backslash escapes),
 * quoted identifiers (`"..."`, `` `...` ``, SQLite `[...]`), comments
 * (`-- ...`, MySQL `# ...`, `/* ... *\/`, nested on PostgreSQL),
 * PostgreSQL dollar-quoted strings (`$$...$$`, `$tag$...$tag$`) and
 * PostgreSQL `::` casts.
 *
 * It never inserts values into the text: a placeholder becomes the driver's
 * native one (`$1` for pg, `?` for mysql2 and better-sqlite3) and its value
 * is bound, so a value can never change the SQL.
 *
 * @module
 */

import { dialectOf, type Dialect } from './engines/dialects.js';

export type { Dialect } from './engines/dialects.js';

/** A `:name` placeholder found in the SQL. */
interface ParamToken {
  name: string;
  /** Offset of the `:` in the original text. */
  start: number;
  /** Offset just after the name. */
  end: number;
}

interface Scan {
  params: ParamToken[];
  /** Offsets of top-level `;` characters. */
  semicolons: number[];
}

const isIdentStart = (c: number): boolean =>
  (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c > 127;
const isIdentPart = (c: number): boolean => isIdentStart(c) || (c >= 48 && c <= 57);

/** Scans `sql` once, returning its placeholders and statement separators. */
function scan(sql: string, dialect: Dialect): Scan {
  const syntax = dialectOf(dialect).syntax;
  const params: ParamToken[] = [];
  const semicolons: number[] = [];
  const n = sql.length;
  let i = 0;
  while (i < n) {
    const c = sql.charCodeAt(i);
    // ' string literal
    if (c === 39 /* ' */) {
      const prev = i > 0 ? sql.charCodeAt(i - 1) : 0;
      const backslashes = syntax.backslashEscapes || ((prev === 69 || prev === 101) /* E e */ && syntax.escapeStringPrefix && !isIdentPart(i > 1 ? sql.charCodeAt(i - 2) : 0));
      i = skipQuoted(sql, i, 39, backslashes);
      continue;
    }
    // "identifier" (a string in MySQL's default mode, where backslashes escape)
    if (c === 34 /* " */) {
      i = skipQuoted(sql, i, 34, syntax.backslashEscapes);
      continue;
    }
    // `identifier`
    if (c === 96 /* ` */ && syntax.backtickIdentifiers) {
      i = skipQuoted(sql, i, 96, false);
      continue;
    }
    // [identifier] (SQLite only; in PostgreSQL brackets are array subscripts)
    if (c === 91 /* [ */ && syntax.bracketIdentifiers) {
      const close = sql.indexOf(']', i + 1);
      i = close < 0 ? n : close + 1;
      continue;
    }
    // -- line comment
    if (c === 45 /* - */ && sql.charCodeAt(i + 1) === 45) {
      i = skipLine(sql, i + 2);
      continue;
    }
    // # line comment (MySQL)
    if (c === 35 /* # */ && syntax.hashComments) {
      i = skipLine(sql, i + 1);
      continue;
    }
    // /* block comment */ (nested in PostgreSQL)
    if (c === 47 /* / */ && sql.charCodeAt(i + 1) === 42 /* * */) {
      i = skipBlockComment(sql, i, syntax.nestedBlockComments);
      continue;
    }
    // $tag$ dollar-quoted string (PostgreSQL)
    if (c === 36 /* $ */ && syntax.dollarQuotes && !(i > 0 && isIdentPart(sql.charCodeAt(i - 1)))) {
      const end = dollarQuoteEnd(sql, i);
      if (end >= 0) {
        i = end;
        continue;
      }
    }
    if (c === 58 /* : */) {
      const next = sql.charCodeAt(i + 1);
      // :: cast (or any run of colons): never a placeholder
      if (next === 58) {
        i += 2;
        while (sql.charCodeAt(i) === 58) i++;
        continue;
      }
      if (isIdentStart(next) && !(i > 0 && sql.charCodeAt(i - 1) === 58)) {
        let j = i + 2;
        while (j < n && isIdentPart(sql.charCodeAt(j))) j++;
        params.push({ name: sql.slice(i + 1, j), start: i, end: j });
        i = j;
        continue;
      }
    }
    if (c === 59 /* ; */) semicolons.push(i);
    // Skip identifiers as a whole, so that `a:b` inside a word cannot start a placeholder mid-identifier.
    if (isIdentStart(c)) {
      i++;
      while (i < n && (isIdentPart(sql.charCodeAt(i)) || sql.charCodeAt(i) === 36)) i++;
      continue;
    }
    i++;
  }
  return { params, semicolons };
}

function skipQuoted(sql: string, start: number, quote: number, backslashes: boolean): number {
  const n = sql.length;
  let i = start + 1;
  while (i < n) {
    const c = sql.charCodeAt(i);
    if (backslashes && c === 92 /* \ */) {
      i += 2;
      continue;
    }
    if (c === quote) {
      if (sql.charCodeAt(i + 1) === quote) {
        i += 2;
        continue;
      }
      return i + 1;
    }
    i++;
  }
  return n;
}

function skipLine(sql: string, from: number): number {
  const nl = sql.indexOf('\n', from);
  return nl < 0 ? sql.length : nl + 1;
}

function skipBlockComment(sql: string, start: number, nested: boolean): number {
  const n = sql.length;
  let depth = 1;
  let i = start + 2;
  while (i < n && depth > 0) {
    const c = sql.charCodeAt(i);
    if (c === 42 && sql.charCodeAt(i + 1) === 47) {
      depth--;
      i += 2;
    } else if (nested && c === 47 && sql.charCodeAt(i + 1) === 42) {
      depth++;
      i += 2;
    } else {
      i++;
    }
  }
  return i;
}

/** End offset of a dollar-quoted string starting at `start`, or -1 if `$` does not open one. */
function dollarQuoteEnd(sql: string, start: number): number {
  let j = start + 1;
  const first = sql.charCodeAt(j);
  if (first !== 36) {
    if (!isIdentStart(first)) return -1; // $1 is a positional parameter, not a quote
    while (j < sql.length && isIdentPart(sql.charCodeAt(j))) j++;
    if (sql.charCodeAt(j) !== 36) return -1;
  }
  const tag = sql.slice(start, j + 1);
  const close = sql.indexOf(tag, j + 1);
  return close < 0 ? sql.length : close + tag.length;
}

/** One statement of a script, with its offset in the original text. */
export interface StatementText {
  text: string;
  offset: number;
}

/**
 * Splits a script at top-level semicolons (not inside strings, identifiers,
 * comments or dollar quotes). Empty statements (only whitespace and comments) are dropped.
 */
export function splitStatements(sql: string, dialect: Dialect): StatementText[] {
  const { semicolons } = scan(sql, dialect);
  const out: StatementText[] = [];
  let from = 0;
  for (const end of [...semicolons, sql.length]) {
    const text = sql.slice(from, end);
    if (!isBlank(text, dialect)) out.push({ text, offset: from });
    from = end + 1;
  }
  return out;
}

/** True when `sql` holds no statement: only whitespace, comments and semicolons. */
export function isBlank(sql: string, dialect: Dialect): boolean {
  return stripComments(sql, dialect).replace(/[\s;]+/g, '') === '';
}

function stripComments(sql: string, dialect: Dialect): string {
  const syntax = dialectOf(dialect).syntax;
  let out = '';
  const n = sql.length;
  let i = 0;
  while (i < n) {
    const c = sql.charCodeAt(i);
    if (c === 45 && sql.charCodeAt(i + 1) === 45) {
      i = skipLine(sql, i + 2);
      out += ' ';
    } else if (c === 35 && syntax.hashComments) {
      i = skipLine(sql, i + 1);
      out += ' ';
    } else if (c === 47 && sql.charCodeAt(i + 1) === 42) {
      i = skipBlockComment(sql, i, syntax.nestedBlockComments);
      out += ' ';
    } else if (c === 39 || c === 34 || (c === 96 && syntax.backtickIdentifiers)) {
      const end = skipQuoted(sql, i, c, syntax.backslashEscapes);
      out += sql.slice(i, end);
      i = end;
    } else {
      out += sql[i];
      i++;
    }
  }
  return out;
}

/** Removes trailing whitespace, semicolons and a trailing line comment's effect (by ending with a newline when needed). */
export function trimStatement(sql: string, dialect: Dialect): string {
  const parts = splitStatements(sql, dialect);
  if (parts.length !== 1) return sql;
  return parts[0]!.text.replace(/\s+$/, '');
}

/** A statement with its placeholders translated to the driver's, and the names to bind in order. */
export interface CompiledSql {
  /** The SQL as sent to the driver. */
  text: string;
  /** The SQL as written (with `:name` placeholders). */
  source: string;
  /** Parameter names, one per native placeholder position (`$n` → names[n-1]; each `?` in order). */
  names: string[];
  /** Maps an offset in `text` back to the offset in `source` (for error positions). */
  sourceOffset(textOffset: number): number;
  /** The named values bound to it (set by the session), shown in an error (secrets masked). */
  params?: Readonly<Record<string, unknown>>;
}

/**
 * Translates `:name` placeholders to native ones: `$1`, `$2`... for
 * PostgreSQL (a name used twice reuses its number), `?` for MySQL and SQLite
 * (a name used twice is bound twice).
 */
export function compileSql(sql: string, dialect: Dialect): CompiledSql {
  const { params } = scan(sql, dialect);
  const numbered = dialectOf(dialect).syntax.numberedPlaceholders;
  if (params.length === 0) {
    return { text: sql, source: sql, names: [], sourceOffset: (o) => o };
  }
  const names: string[] = [];
  const numbers = new Map<string, number>();
  let text = '';
  let last = 0;
  // [offset in text, offset in source] at the start of each copied run
  const anchors: [number, number][] = [];
  for (const p of params) {
    text += sql.slice(last, p.start);
    let native: string;
    if (numbered) {
      let k = numbers.get(p.name);
      if (k === undefined) {
        names.push(p.name);
        k = names.length;
        numbers.set(p.name, k);
      }
      native = `$${k}`;
    } else {
      names.push(p.name);
      native = '?';
    }
    anchors.push([text.length, p.start]);
    text += native;
    anchors.push([text.length, p.end]);
    last = p.end;
  }
  text += sql.slice(last);
  const sourceOffset = (offset: number): number => {
    let base: [number, number] = [0, 0];
    for (const a of anchors) {
      if (a[0] > offset) break;
      base = a;
    }
    return base[1] + (offset - base[0]);
  };
  return { text, source: sql, names, sourceOffset };
}

/** The `:name` placeholders a statement uses, in order of first use. */
export function placeholderNames(sql: string, dialect: Dialect): string[] {
  return [...new Set(scan(sql, dialect).params.map((p) => p.name))];
}

/**
 * The `:name` placeholders of `sql` with their offsets, in order (a name
 * used twice appears twice). For code that renders placeholders itself
 * (`UnloadToS3`, where a warehouse takes the query as text).
 */
export function placeholderTokens(sql: string, dialect: Dialect): readonly { name: string; start: number; end: number }[] {
  return scan(sql, dialect).params;
}
