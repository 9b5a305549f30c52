/**
 * Canonical text of a value, so that what bigrays returns (JS values from
 * rows, a Dataset, a CSV file, S3) can be compared value for value with what
 * the database's own client exports (PostgreSQL COPY text, mysql2's raw
 * text, better-sqlite3's raw values). `null` is SQL NULL; every other value
 * is a string. A value of an unexpected JS type canonicalizes to
 * `<type>…`, so a type change shows as a mismatch rather than passing.
 */

/** The logical kind of a column, which decides how its values compare. */
export type Kind = 'text' | 'int' | 'bigint' | 'decimal' | 'float' | 'bool' | 'date' | 'timestamp' | 'json' | 'binary' | 'array';

export type Canonical = string | null;

/** Options: `looseDecimal` compares decimals by value (a table bigrays created in another database may choose another scale). */
export interface CanonOptions {
  looseDecimal?: boolean;
}

const typeTag = (v: unknown) => `<${v === null ? 'null' : Array.isArray(v) ? 'array' : v instanceof Date ? 'Date' : Buffer.isBuffer(v) ? 'Buffer' : typeof v}>`;

// ------------------------------------------------------------------ numbers

/**
 * Exact canonical form of a decimal number written in text (`-0012.3400e2`
 * → `-1234e0`), or undefined when the text is not a decimal number. Used for
 * decimals compared by value and for numbers inside JSON.
 */
export function canonNumberText(text: string): string | undefined {
  const m = /^\s*([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?\s*$/.exec(text);
  if (!m || (m[2] === '' && (m[3] ?? '') === '')) return undefined;
  const sign = m[1] === '-' ? '-' : '';
  let digits = (m[2] ?? '') + (m[3] ?? '');
  let exp = BigInt(m[4] ?? '0') - BigInt((m[3] ?? '').length);
  digits = digits.replace(/^0+/, '');
  if (digits === '') return '0';
  const trailing = /0*$/.exec(digits)![0].length;
  digits = digits.slice(0, digits.length - trailing);
  exp += BigInt(trailing);
  return `${sign}${digits}e${exp}`;
}

function canonFloat(v: unknown): Canonical {
  if (typeof v === 'number') return Object.is(v, -0) ? '-0' : String(v);
  if (typeof v === 'string') {
    const n = Number(v.trim());
    if (v.trim() === 'NaN' || n === n) return Object.is(n, -0) ? '-0' : String(n);
  }
  return `${typeTag(v)}${String(v)}`;
}

function canonInteger(v: unknown): Canonical {
  if (typeof v === 'number' && Number.isInteger(v)) return String(v);
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'string' && /^-?\d+$/.test(v)) return BigInt(v).toString();
  return `${typeTag(v)}${String(v)}`;
}

function canonBigint(v: unknown): Canonical {
  // bigint is documented as an exact string; a number (even an exact one) is a type change.
  if (typeof v === 'string' && /^-?\d+$/.test(v)) return BigInt(v).toString();
  if (typeof v === 'bigint') return v.toString();
  return `${typeTag(v)}${String(v)}`;
}

function canonDecimal(v: unknown, loose: boolean): Canonical {
  if (typeof v === 'string') {
    if (/^[+-]?(NaN|Infinity|inf)$/i.test(v)) return v.replace(/^\+/, '').replace(/^(-?)inf$/i, '$1Infinity');
    if (!loose) return v;
    return canonNumberText(v) ?? `<string>${v}`;
  }
  if (typeof v === 'number' && loose) return canonNumberText(String(v)) ?? String(v);
  return `${typeTag(v)}${String(v)}`;
}

function canonBool(v: unknown): Canonical {
  if (v === true || v === 't' || v === 'true' || v === 1 || v === '1' || v === 1n) return 'true';
  if (v === false || v === 'f' || v === 'false' || v === 0 || v === '0' || v === 0n) return 'false';
  return `${typeTag(v)}${String(v)}`;
}

// ------------------------------------------------------------------ dates

const pad = (n: number, w: number) => String(n).padStart(w, '0');

/** ISO 8601 with astronomical years (1 BC = 0000, 2 BC = -0001), as `Date#toISOString` writes them. */
function isoYear(year: number): string {
  if (year >= 0 && year <= 9999) return pad(year, 4);
  return (year < 0 ? '-' : '+') + pad(Math.abs(year), 6);
}

function canonDate(v: unknown): Canonical {
  if (v === Infinity || v === 'infinity') return 'infinity';
  if (v === -Infinity || v === '-infinity') return '-infinity';
  if (v instanceof Date) {
    if (Number.isNaN(v.getTime())) return '<Date>Invalid Date';
    return `${isoYear(v.getUTCFullYear())}-${pad(v.getUTCMonth() + 1, 2)}-${pad(v.getUTCDate(), 2)}`;
  }
  if (typeof v !== 'string') return `${typeTag(v)}${String(v)}`;
  let m = /^(\d{4,})-(\d\d)-(\d\d)( BC)?$/.exec(v);
  if (m) return `${isoYear(m[4] ? 1 - Number(m[1]) : Number(m[1]))}-${m[2]}-${m[3]}`;
  m = /^([+-]\d{6})-(\d\d)-(\d\d)$/.exec(v);
  if (m) return `${isoYear(Number(m[1]))}-${m[2]}-${m[3]}`;
  return `<string>${v}`;
}

/**
 * Parses the text a database client exports for a timestamp
 * (`2026-01-02 03:04:05.123456`, `+05:30` / `+05` zones, ` BC`) into
 * milliseconds since the epoch, sub-millisecond digits truncated (bigrays'
 * documented precision). Undefined when the text is not such a timestamp.
 */
export function timestampTextMs(text: string): number | undefined {
  const m = /^(\d{4,})-(\d\d)-(\d\d)[ T](\d\d):(\d\d):(\d\d)(?:\.(\d+))?(?:(Z)|([+-])(\d\d)(?::?(\d\d))?(?::(\d\d))?)?( BC)?$/.exec(text);
  if (!m) return undefined;
  let year = Number(m[1]);
  if (m[13]) year = 1 - year;
  const ms = Number(((m[7] ?? '') + '000').slice(0, 3));
  const d = new Date(0);
  d.setUTCFullYear(year, Number(m[2]) - 1, Number(m[3]));
  d.setUTCHours(Number(m[4]), Number(m[5]), Number(m[6]), ms);
  let t = d.getTime();
  if (m[9]) {
    const offset = (Number(m[10]) * 3600 + Number(m[11] ?? 0) * 60 + Number(m[12] ?? 0)) * 1000;
    t -= m[9] === '-' ? -offset : offset;
  }
  return t;
}

function canonTimestamp(v: unknown): Canonical {
  if (v === Infinity || v === 'infinity') return 'infinity';
  if (v === -Infinity || v === '-infinity') return '-infinity';
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? '<Date>Invalid Date' : v.toISOString();
  if (typeof v === 'string') {
    const ms = timestampTextMs(v);
    if (ms !== undefined) return new Date(ms).toISOString();
    const iso = Date.parse(v);
    if (/^[+-]?\d{4,6}-\d\d-\d\dT/.test(v) && !Number.isNaN(iso)) return new Date(iso).toISOString();
  }
  return `${typeTag(v)}${String(v)}`;
}

// ------------------------------------------------------------------ JSON

/**
 * A lossless JSON reader: numbers keep their text (canonicalized exactly),
 * objects are sorted by key. Gives the canonical JSON text of `text`, or
 * undefined when it is not JSON.
 */
export function canonJsonText(text: string): string | undefined {
  let i = 0;
  const ws = () => {
    while (i < text.length && ' \t\n\r'.includes(text[i]!)) i++;
  };
  const value = (): string => {
    ws();
    const c = text[i];
    if (c === '{') {
      i++;
      const entries: [string, string, string][] = [];
      ws();
      if (text[i] === '}') {
        i++;
        return '{}';
      }
      for (;;) {
        ws();
        const key = str();
        ws();
        if (text[i++] !== ':') throw new SyntaxError('expected :');
        entries.push([JSON.parse(key) as string, key, value()]);
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i++] !== '}') throw new SyntaxError('expected }');
        break;
      }
      entries.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
      return `{${entries.map(([, k, v]) => `${k}:${v}`).join(',')}}`;
    }
    if (c === '[') {
      i++;
      const items: string[] = [];
      ws();
      if (text[i] === ']') {
        i++;
        return '[]';
      }
      for (;;) {
        items.push(value());
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i++] !== ']') throw new SyntaxError('expected ]');
        break;
      }
      return `[${items.join(',')}]`;
    }
    if (c === '"') return str();
    for (const lit of ['true', 'false', 'null']) {
      if (text.startsWith(lit, i)) {
        i += lit.length;
        return lit;
      }
    }
    const m = /^-?\d+(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i));
    if (!m) throw new SyntaxError(`unexpected ${c}`);
    i += m[0].length;
    return canonNumberText(m[0])!;
  };
  const str = (): string => {
    const m = /^"(?:[^"\\]|\\.)*"/s.exec(text.slice(i));
    if (!m) throw new SyntaxError('expected a string');
    i += m[0].length;
    return JSON.stringify(JSON.parse(m[0]) as string);
  };
  try {
    const out = value();
    ws();
    return i === text.length ? out : undefined;
  } catch {
    return undefined;
  }
}

/** Whether `v` is a core `JsonText` (by shape: its class name and its `text`). */
function isJsonText(v: unknown): v is { text: string } {
  return typeof v === 'object' && v !== null && v.constructor?.name === 'JsonText' && typeof (v as { text?: unknown }).text === 'string';
}

/** Canonical JSON of a parsed JS value (numbers by their shortest text, which is where precision loss shows). */
export function canonJsonValue(v: unknown): string {
  if (v === null) return 'null';
  // core's `JsonText` (data/json-exact.ts): the exact JSON text of a document no plain JS value holds (a number
  // beyond a double, a top-level JSON null). Compared by its text, canonicalized like the client's JSON text. Known
  // by shape (the class may come from another copy of core: dist vs src, another realm).
  if (isJsonText(v)) return canonJsonText(v.text) ?? `<JsonText>${v.text}`;
  if (typeof v === 'number') return Number.isFinite(v) ? canonNumberText(String(v))! : `<number>${v}`;
  if (typeof v === 'bigint') return canonNumberText(v.toString())!;
  if (typeof v === 'string' || typeof v === 'boolean') return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(canonJsonValue).join(',')}]`;
  if (typeof v === 'object') {
    const keys = Object.keys(v as object).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonJsonValue((v as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return `${typeTag(v)}${String(v)}`;
}

// ------------------------------------------------------------------ binary, arrays

function canonBinary(v: unknown): Canonical {
  if (v instanceof Uint8Array) return `hex:${Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('hex')}`;
  if (typeof v === 'string' && /^\\x[0-9a-fA-F]*$/.test(v)) return `hex:${v.slice(2).toLowerCase()}`;
  return `${typeTag(v)}${String(v)}`;
}

/** PostgreSQL's text form of a one-dimensional array (it quotes ASCII white space only, not U+2003 and the like). */
export function pgArrayText(items: readonly unknown[]): string {
  const item = (x: unknown) => {
    if (x === null || x === undefined) return 'NULL';
    const s = String(x);
    if (s === '' || /^null$/i.test(s) || /[{}",\\ \t\n\r\v\f]/.test(s)) return `"${s.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
    return s;
  };
  return `{${items.map(item).join(',')}}`;
}

/** A PostgreSQL array's text, or a JSON array (what another database holds after bigrays wrote one), as PostgreSQL array text. */
function canonArrayText(text: string): Canonical {
  if (text.startsWith('[')) {
    try {
      const items = JSON.parse(text) as unknown;
      if (Array.isArray(items) && items.every((x) => x === null || typeof x !== 'object')) return pgArrayText(items);
    } catch {
      /* not JSON: compare as is */
    }
  }
  return text;
}

function canonArray(v: unknown): Canonical {
  if (Array.isArray(v)) return pgArrayText(v);
  if (typeof v === 'string') return canonArrayText(v);
  return `${typeTag(v)}${String(v)}`;
}

// ------------------------------------------------------------------ entry points

/** Canonical text of a JS value bigrays produced for a column of `kind`. */
export function canonValue(kind: Kind, v: unknown, options: CanonOptions = {}): Canonical {
  if (v === null || v === undefined) return null;
  switch (kind) {
    case 'text':
      return typeof v === 'string' ? v : `${typeTag(v)}${String(v)}`;
    case 'int':
      return canonInteger(v);
    case 'bigint':
      return canonBigint(v);
    case 'decimal':
      return canonDecimal(v, options.looseDecimal === true);
    case 'float':
      return canonFloat(v);
    case 'bool':
      return canonBool(v);
    case 'date':
      return canonDate(v);
    case 'timestamp':
      return canonTimestamp(v);
    case 'json':
      // A JS string is a parsed JSON string: unparsed JSON text handed back as a string shows as a mismatch.
      return canonJsonValue(v);
    case 'binary':
      return canonBinary(v);
    case 'array':
      return canonArray(v);
  }
}

/**
 * Canonical text of what a database client exported as text (PostgreSQL
 * COPY text after unescaping, mysql2's raw field text, a CSV field): `null`
 * is SQL NULL.
 */
export function canonText(kind: Kind, text: string | null, options: CanonOptions = {}): Canonical {
  if (text === null) return null;
  switch (kind) {
    case 'text':
      return text;
    case 'array':
      return canonArrayText(text);
    case 'int':
    case 'bigint':
      return /^-?\d+$/.test(text) ? BigInt(text).toString() : `<text>${text}`;
    case 'decimal':
      return canonDecimal(text, options.looseDecimal === true);
    case 'float':
      return canonFloat(text);
    case 'bool':
      return canonBool(text);
    case 'date':
      return canonDate(text);
    case 'timestamp':
      return canonTimestamp(text);
    case 'json':
      return canonJsonText(text) ?? `<text>${text}`;
    case 'binary':
      return canonBinary(text);
  }
}

// ------------------------------------------------------------------ tables and diffs

/** A table of canonical values: column names, and one array per row. */
export interface CanonTable {
  columns: string[];
  rows: Canonical[][];
}

const show = (c: Canonical | undefined) => (c === undefined ? '(missing)' : c === null ? 'NULL' : JSON.stringify(c.length > 120 ? `${c.slice(0, 60)}…(${c.length} chars)…${c.slice(-40)}` : c));

/**
 * Compares `actual` (a bigrays path) with `expected` (the database client's
 * export): undefined when equal, else a readable diff naming the path, the
 * row, the column and both values (at most 12 mismatches listed).
 */
export function diffTables(path: string, expected: CanonTable, actual: CanonTable): string | undefined {
  const problems: string[] = [];
  if (expected.columns.join('\u0001') !== actual.columns.join('\u0001')) {
    problems.push(`columns: expected ${JSON.stringify(expected.columns)}, got ${JSON.stringify(actual.columns)}`);
  }
  if (expected.rows.length !== actual.rows.length) {
    problems.push(`row count: expected ${expected.rows.length} (database client), got ${actual.rows.length}`);
  }
  const n = Math.min(expected.rows.length, actual.rows.length);
  for (let r = 0; r < n && problems.length < 12; r++) {
    const e = expected.rows[r]!;
    const a = actual.rows[r]!;
    for (let c = 0; c < expected.columns.length && problems.length < 12; c++) {
      const name = expected.columns[c]!;
      const ai = actual.columns.indexOf(name);
      const av = ai < 0 ? undefined : a[ai];
      if (av !== e[c]) problems.push(`row ${r + 1}, column ${name}: database client says ${show(e[c])}, ${path} gives ${show(av)}`);
    }
  }
  return problems.length === 0 ? undefined : `${path} differs from the database client's export:\n  ${problems.join('\n  ')}`;
}
