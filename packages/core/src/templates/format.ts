import { applyFormatSpec, isFormatSpec } from './format-spec.js';

/**
 * `{name}` templates, as the original's `str.format` keywords, with Python
 * format specs (`{n:03d}`, `{x:.2f}`, `{d:%Y-%m-%d}`). `{{` and `}}` are
 * literal braces; a brace that does not start a `{identifier}` or
 * `{identifier:spec}` is kept as it is, so JSON literals in SQL need no escaping.
 */
export type { FormatValue } from './format-value.js';
import type { FormatValue } from './format-value.js';

const TOKEN = /\{\{|\}\}|\{([A-Za-z_][A-Za-z0-9_.-]*)(?::([^{}]*))?\}/g;

/** A token's placeholder name, or undefined for a literal (`{{`, or an unknown `:spec`). */
function tokenName(match: RegExpMatchArray | string[]): string | undefined {
  const [, name, spec] = match;
  if (name === undefined || (spec !== undefined && !isFormatSpec(spec))) return undefined;
  return name;
}

/** The placeholder names a template uses, in order, without duplicates. */
export function placeholders(template: string): string[] {
  const names = new Set<string>();
  for (const match of template.matchAll(TOKEN)) {
    const name = tokenName(match);
    if (name !== undefined) names.add(name);
  }
  return [...names];
}

function render(value: FormatValue): string {
  return value instanceof Date ? value.toISOString() : String(value);
}

/** Replaces every `{name}`; throws if one has no value (the planner checks first). */
export function formatTemplate(template: string, values: Readonly<Record<string, FormatValue>>): string {
  return template.replace(TOKEN, (token: string, rawName: string | undefined, spec: string | undefined) => {
    const name = tokenName([token, rawName!, spec!]);
    if (name === undefined) return token.startsWith('{{') || token.startsWith('}}') ? token[0]! : token;
    const value = values[name];
    if (value === undefined) throw new Error(`no value for template parameter {${name}}`);
    if (spec === undefined) return render(value);
    try {
      return applyFormatSpec(value, spec);
    } catch (error) {
      throw new Error(`{${name}:${spec}}: ${(error as Error).message}`);
    }
  });
}

/**
 * Formats a template attribute's value: strings directly, and, when
 * `objects` is set, the string values of a plain object (SQL `params`) one
 * level deep. Other values pass through.
 */
export function formatAttribute(value: unknown, values: Readonly<Record<string, FormatValue>>, objects = false): unknown {
  if (typeof value === 'string') return formatTemplate(value, values);
  if (objects && isPlainObject(value)) {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, typeof v === 'string' ? formatTemplate(v, values) : v]),
    );
  }
  return value;
}

/** Every placeholder used by an attribute value (string, or with `objects` a plain object of strings). */
export function attributePlaceholders(value: unknown, objects = false): string[] {
  if (typeof value === 'string') return placeholders(value);
  if (objects && isPlainObject(value)) return [...new Set(Object.values(value).flatMap((v) => (typeof v === 'string' ? placeholders(v) : [])))];
  return [];
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object') return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}
