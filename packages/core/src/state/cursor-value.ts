/**
 * Values of incremental cursors. The ledger stores a cursor as text; its
 * kind (from the task's `initial`) says how to read it back, bind it and
 * compare it: a timestamp is bound as a `Date` and compared in time, a
 * number as a number, a bigint as a bigint, anything else as text.
 *
 * @module
 */

export type CursorKind = 'timestamp' | 'number' | 'bigint' | 'text';

const ISO_LIKE = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/** The kind of a cursor, from its `initial` value. */
export function cursorKindOf(initial: unknown): CursorKind {
  if (initial instanceof Date) return 'timestamp';
  if (typeof initial === 'number') return 'number';
  if (typeof initial === 'bigint') return 'bigint';
  if (typeof initial === 'string' && ISO_LIKE.test(initial.trim()) && !Number.isNaN(Date.parse(initial))) return 'timestamp';
  return 'text';
}

/**
 * A value (from a row, from `advance()`, from `initial`, from `--set`) as the
 * ledger stores it; undefined when it is null or not a value of this kind.
 */
export function cursorText(kind: CursorKind, value: unknown): string | undefined {
  if (value === null || value === undefined) return undefined;
  switch (kind) {
    case 'timestamp': {
      const time = value instanceof Date ? value.getTime() : typeof value === 'string' ? Date.parse(value) : NaN;
      return Number.isNaN(time) ? undefined : new Date(time).toISOString();
    }
    case 'number': {
      const n = typeof value === 'number' ? value : typeof value === 'bigint' || typeof value === 'string' ? Number(value) : NaN;
      return Number.isFinite(n) && !(typeof value === 'string' && value.trim() === '') ? String(n) : undefined;
    }
    case 'bigint':
      try {
        return typeof value === 'bigint' || typeof value === 'number' || typeof value === 'string' ? BigInt(value).toString() : undefined;
      } catch {
        return undefined;
      }
    case 'text':
      return typeof value === 'string' ? value : value instanceof Date ? value.toISOString() : String(value);
  }
}

/** The value bound to `:cursor` and handed to tasks. */
export function cursorValue(kind: CursorKind, text: string): Date | number | bigint | string {
  switch (kind) {
    case 'timestamp':
      return new Date(text);
    case 'number':
      return Number(text);
    case 'bigint':
      return BigInt(text);
    case 'text':
      return text;
  }
}

/** Negative, zero or positive as `a` is before, equal to or after `b`. */
export function compareCursor(kind: CursorKind, a: string, b: string): number {
  switch (kind) {
    case 'timestamp':
      return Date.parse(a) - Date.parse(b);
    case 'number':
      return Number(a) - Number(b);
    case 'bigint': {
      const d = BigInt(a) - BigInt(b);
      return d < 0n ? -1 : d > 0n ? 1 : 0;
    }
    case 'text':
      return a < b ? -1 : a > b ? 1 : 0;
  }
}
