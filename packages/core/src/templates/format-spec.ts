import type { FormatValue } from './format-value.js';

/**
 * Python format specs people port with their templates: `{n:03d}`,
 * `{x:.2f}`, `{s:>10}`, `{total:,}` (the format mini-language), and
 * `{d:%Y-%m-%d}` (strftime, for `Date` values, in UTC like `toISOString`).
 */
const NUMBER_SPEC = /^(?:(.)?([<>=^]))?([+\- ])?(#)?(0)?(\d+)?([,_])?(?:\.(\d+))?([bcdeEfFgGnosxX%])?$/;

const ISO_DATE = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;

/** Whether `spec` is one this module renders (else the brace text is kept literally). */
export function isFormatSpec(spec: string): boolean {
  return spec.includes('%') || (spec !== '' && NUMBER_SPEC.test(spec));
}

/** Renders `value` with a Python format spec; throws a one-line reason when the spec does not fit the value. */
export function applyFormatSpec(value: FormatValue, spec: string): string {
  // A `--param` is text: an ISO date in it takes date codes too, so `--param day=2026-01-31` works with `{day:%Y%m%d}`.
  if (typeof value === 'string' && spec.includes('%') && ISO_DATE.test(value) && !Number.isNaN(Date.parse(value))) value = new Date(value);
  if (value instanceof Date) {
    if (!spec.includes('%')) throw new Error(`format spec ':${spec}' is for numbers; a Date takes strftime codes such as :%Y-%m-%d`);
    return strftime(value, spec);
  }
  const match = NUMBER_SPEC.exec(spec);
  if (!match) throw new Error(`format spec ':${spec}' is a date format; the value ${String(value)} is not a Date`);
  const [, fill = ' ', align, sign = '-', alt, zero, width, grouping, precision, type] = match;
  let body: string;
  let negative = false;
  if (typeof value === 'string' || typeof value === 'boolean' || type === 's') {
    if (type !== undefined && type !== 's') throw new Error(`format spec ':${spec}' needs a number, got the text '${String(value)}'`);
    body = precision === undefined ? String(value) : String(value).slice(0, Number(precision));
    return pad(body, '', fill, align ?? '<', width);
  }
  const n = value;
  negative = typeof n === 'bigint' ? n < 0n : n < 0 || Object.is(n, -0);
  const abs = typeof n === 'bigint' ? (negative ? -n : n) : Math.abs(n);
  const digits = Number(precision ?? 6);
  switch (type) {
    case 'd':
    case 'n':
      if (typeof abs === 'number' && !Number.isInteger(abs)) throw new Error(`format spec ':${spec}' needs a whole number, got ${n}`);
      body = abs.toString();
      break;
    case 'b': case 'o': case 'x': case 'X': {
      if (typeof abs === 'number' && !Number.isInteger(abs)) throw new Error(`format spec ':${spec}' needs a whole number, got ${n}`);
      const radix = type === 'b' ? 2 : type === 'o' ? 8 : 16;
      body = abs.toString(radix);
      if (type === 'X') body = body.toUpperCase();
      if (alt) body = `0${type === 'X' ? 'X' : type}${body}`;
      break;
    }
    case 'f': case 'F': body = Number(abs).toFixed(digits); break;
    case 'e': case 'E': {
      body = Number(abs).toExponential(digits).replace(/e([+-])(\d)$/, 'e$10$2');
      if (type === 'E') body = body.toUpperCase();
      break;
    }
    case '%': body = `${(Number(abs) * 100).toFixed(digits)}%`; break;
    case 'g': case 'G': body = String(Number(Number(abs).toPrecision(Math.max(digits, 1)))); break;
    case 'c': body = String.fromCodePoint(Number(abs)); break;
    default: body = precision === undefined ? abs.toString() : Number(abs).toFixed(digits);
  }
  if (grouping) {
    const [int, frac] = body.split('.');
    body = int!.replace(/\B(?=(\d{3})+(?!\d))/g, grouping) + (frac === undefined ? '' : `.${frac}`);
  }
  const signText = negative ? '-' : sign === '+' ? '+' : sign === ' ' ? ' ' : '';
  if (zero && align === undefined) return signText + body.padStart(Math.max(Number(width ?? 0) - signText.length, 0), '0');
  if (align === '=') return signText + body.padStart(Math.max(Number(width ?? 0) - signText.length, 0), fill);
  return pad(signText + body, '', fill, align ?? '>', width);
}

function pad(text: string, _prefix: string, fill: string, align: string, width: string | undefined): string {
  const w = Number(width ?? 0);
  if (text.length >= w) return text;
  const gap = w - text.length;
  if (align === '<') return text + fill.repeat(gap);
  if (align === '^') return fill.repeat(Math.floor(gap / 2)) + text + fill.repeat(Math.ceil(gap / 2));
  return fill.repeat(gap) + text;
}

const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const two = (n: number) => String(n).padStart(2, '0');

/** Python's strftime codes, in UTC. */
function strftime(d: Date, spec: string): string {
  return spec.replace(/%(.)/g, (whole, code: string) => {
    switch (code) {
      case 'Y': return String(d.getUTCFullYear()).padStart(4, '0');
      case 'y': return two(d.getUTCFullYear() % 100);
      case 'm': return two(d.getUTCMonth() + 1);
      case 'd': return two(d.getUTCDate());
      case 'H': return two(d.getUTCHours());
      case 'I': return two(d.getUTCHours() % 12 || 12);
      case 'M': return two(d.getUTCMinutes());
      case 'S': return two(d.getUTCSeconds());
      case 'f': return String(d.getUTCMilliseconds() * 1000).padStart(6, '0');
      case 'p': return d.getUTCHours() < 12 ? 'AM' : 'PM';
      case 'j': return String(Math.floor((Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()) - Date.UTC(d.getUTCFullYear(), 0, 1)) / 86_400_000) + 1).padStart(3, '0');
      case 'a': return DAYS[d.getUTCDay()]!.slice(0, 3);
      case 'A': return DAYS[d.getUTCDay()]!;
      case 'b': return MONTHS[d.getUTCMonth()]!.slice(0, 3);
      case 'B': return MONTHS[d.getUTCMonth()]!;
      case 'w': return String(d.getUTCDay());
      case 'z': return '+0000';
      case 'Z': return 'UTC';
      case '%': return '%';
      default: throw new Error(`strftime code ${whole} is not supported; use %Y %m %d %H %M %S %f %j %a %A %b %B %p %y %I %w %z %Z %%`);
    }
  });
}
