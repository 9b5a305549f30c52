/**
 * `{name}` templates, as the original's `str.format` keywords. `{{` and `}}`
 * are literal braces; a brace that does not start a `{identifier}` is kept
 * as it is, so JSON literals in SQL need no escaping.
 */
export type FormatValue = string | number | bigint | boolean | Date;

const TOKEN = /\{\{|\}\}|\{([A-Za-z_][A-Za-z0-9_.-]*)\}/g;

/** The placeholder names a template uses, in order, without duplicates. */
export function placeholders(template: string): string[] {
  const names = new Set<string>();
  for (const match of template.matchAll(TOKEN)) if (match[1] !== undefined) names.add(match[1]);
  return [...names];
}

function render(value: FormatValue): string {
  return value instanceof Date ? value.toISOString() : String(value);
}

/** Replaces every `{name}`; throws if one has no value (the planner checks first). */
export function formatTemplate(template: string, values: Readonly<Record<string, FormatValue>>): string {
  return template.replace(TOKEN, (token, name: string | undefined) => {
    if (name === undefined) return token[0]!;
    const value = values[name];
    if (value === undefined) throw new Error(`no value for template parameter {${name}}`);
    return render(value);
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
