/**
 * Typed JSON for checkpoints: an output is checkpointed only when it can be
 * restored exactly, types included. Plain JSON would turn a `Date` into a
 * string, drop `undefined`, and cannot hold a `bigint` or a `Buffer`, so
 * such values are written as tagged objects (`{"$t":"date","v":"…"}`); an
 * object of the user's that happens to have a `$t` key is wrapped too, so
 * decoding is never ambiguous.
 *
 * @module
 */

/** Why a value cannot be checkpointed, or undefined when it can. */
export function notCheckpointable(value: unknown, depth = 0, seen = new Set<object>()): string | undefined {
  if (value === null || value === undefined) return undefined;
  switch (typeof value) {
    case 'string':
    case 'number':
    case 'boolean':
    case 'bigint':
      return undefined;
    case 'object':
      break;
    default:
      return `a ${typeof value}`;
  }
  if (depth > 64) return 'a value nested more than 64 levels deep';
  if (value instanceof Date || Buffer.isBuffer(value)) return undefined;
  const obj = value as object;
  if (seen.has(obj)) return 'a value that refers to itself';
  seen.add(obj);
  try {
    if (Array.isArray(obj)) {
      for (const item of obj) {
        const why = notCheckpointable(item, depth + 1, seen);
        if (why) return why;
      }
      return undefined;
    }
    const proto = Object.getPrototypeOf(obj) as object | null;
    if (proto !== Object.prototype && proto !== null) {
      const name = (obj as { constructor?: { name?: string } }).constructor?.name || 'class instance';
      return `a ${name}`;
    }
    for (const item of Object.values(obj)) {
      const why = notCheckpointable(item, depth + 1, seen);
      if (why) return why;
    }
    return undefined;
  } finally {
    seen.delete(obj);
  }
}

type Tagged =
  | { $t: 'date'; v: string | null }
  | { $t: 'bigint'; v: string }
  | { $t: 'buffer'; v: string }
  | { $t: 'undefined' }
  | { $t: 'number'; v: 'NaN' | 'Infinity' | '-Infinity' | '-0' }
  | { $t: 'object'; v: Record<string, unknown> };

function encodeValue(value: unknown): unknown {
  if (value === undefined) return { $t: 'undefined' };
  if (value === null) return null;
  switch (typeof value) {
    case 'bigint':
      return { $t: 'bigint', v: value.toString() };
    case 'number':
      if (Number.isNaN(value)) return { $t: 'number', v: 'NaN' };
      if (value === Infinity) return { $t: 'number', v: 'Infinity' };
      if (value === -Infinity) return { $t: 'number', v: '-Infinity' };
      if (Object.is(value, -0)) return { $t: 'number', v: '-0' };
      return value;
    case 'object':
      break;
    default:
      return value;
  }
  if (value instanceof Date) return { $t: 'date', v: Number.isNaN(value.getTime()) ? null : value.toISOString() };
  if (Buffer.isBuffer(value)) return { $t: 'buffer', v: value.toString('base64') };
  if (Array.isArray(value)) return value.map(encodeValue);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) setOwn(out, k, encodeValue(v));
  return Object.hasOwn(out, '$t') ? { $t: 'object', v: out } : out;
}

function decodeValue(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(decodeValue);
  const obj = value as Record<string, unknown>;
  if (Object.hasOwn(obj, '$t') && typeof obj.$t === 'string') {
    const tagged = obj as Tagged;
    switch (tagged.$t) {
      case 'date':
        return new Date(tagged.v === null ? NaN : tagged.v);
      case 'bigint':
        return BigInt(tagged.v);
      case 'buffer':
        return Buffer.from(tagged.v, 'base64');
      case 'undefined':
        return undefined;
      case 'number':
        return tagged.v === '-0' ? -0 : Number(tagged.v);
      case 'object':
        return decodeObject(tagged.v);
      default:
        throw new Error(`unknown checkpoint tag ${String(obj.$t)}`);
    }
  }
  return decodeObject(obj);
}

function decodeObject(obj: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) setOwn(out, k, decodeValue(v));
  return out;
}

/** `target[key] = value`, except that `__proto__` (an own key, as JSON.parse makes it) stays data and never becomes the prototype. */
function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
}

/** Encodes a checkpointable value (see {@link notCheckpointable}) as typed JSON text. */
export function encodeCheckpoint(value: unknown): string {
  return JSON.stringify({ v: 1, value: encodeValue(value) });
}

/** Decodes what {@link encodeCheckpoint} wrote. Throws on anything else. */
export function decodeCheckpoint(text: string): unknown {
  const doc = JSON.parse(text) as { v?: unknown; value?: unknown };
  if (doc === null || typeof doc !== 'object' || doc.v !== 1 || !('value' in doc)) throw new Error('not a bigrays checkpoint (version 1)');
  return decodeValue(doc.value);
}
