import { rememberSecrets } from '../config/secrets.js';
import { templateAttributesOf, templateObjectAttributesOf, templateValueProblem } from '../metadata/task-contract.js';
import { attributePlaceholders, formatAttribute, placeholders, type FormatValue } from '../templates/format.js';
import { getFormatKws } from '../templates/format-kws.js';
import type { TaskClass } from '../metadata/records.js';

/** A task's template attributes as declared (before any placeholder is filled). */
export function templateSources(taskClass: TaskClass, instance: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const objectAttributes = new Set(templateObjectAttributesOf(taskClass));
  for (const attr of new Set([...templateAttributesOf(taskClass), ...objectAttributes])) {
    const value = instance[attr];
    if (typeof value === 'string' || (objectAttributes.has(attr) && value !== undefined)) out[attr] = value;
  }
  return out;
}

/**
 * The parameters a task's templates see: the job's (`updateFormatKws`, as
 * they are now), then the task's own `formatKws`, then the command line's
 * `--param` values, each winning over the one before.
 */
export function taskParameters(
  instance: Readonly<Record<string, unknown>>,
  overrides: Readonly<Record<string, FormatValue>> | undefined,
  job: Readonly<Record<string, FormatValue>> = getFormatKws(),
): Record<string, FormatValue> {
  const own = instance.formatKws;
  return { ...job, ...(own !== null && typeof own === 'object' ? (own as Record<string, FormatValue>) : {}), ...overrides };
}

/** What filling one task's templates found. */
export interface TemplateResolution {
  /** Attribute → value with placeholders filled (attributes with a missing placeholder are left out). */
  readonly resolved: Record<string, unknown>;
  /** Placeholder → the `Task.attribute` uses that have no value. */
  readonly missing: Map<string, string[]>;
  /** Values the task refused (`checkTemplateValue`), or format specs that do not fit their value. */
  readonly refused: string[];
}

/** Fills one task's template attributes; never throws (problems are returned for the caller to report). */
export function resolveTaskTemplates(
  name: string,
  taskClass: TaskClass,
  instance: Readonly<Record<string, unknown>>,
  sources: Readonly<Record<string, unknown>>,
  parameters: Readonly<Record<string, FormatValue>>,
): TemplateResolution {
  const resolved: Record<string, unknown> = {};
  const missing = new Map<string, string[]>();
  const refused: string[] = [];
  const objectAttributes = new Set(templateObjectAttributesOf(taskClass));
  for (const [attr, value] of Object.entries(sources)) {
    const objects = objectAttributes.has(attr);
    const absent = attributePlaceholders(value, objects).filter((p) => parameters[p] === undefined);
    for (const p of absent) missing.set(p, [...(missing.get(p) ?? []), `${name}.${attr}`]);
    if (typeof value === 'string') {
      // The task may refuse a value pasted into this attribute (SQL text takes identifiers only).
      for (const parameter of placeholders(value)) {
        const given = parameters[parameter];
        if (given === undefined) continue;
        const problem = templateValueProblem(taskClass, { task: name, attribute: attr, parameter, value: given, instance });
        if (problem !== undefined && !refused.includes(problem)) refused.push(problem);
      }
    }
    if (absent.length > 0) continue;
    try {
      resolved[attr] = formatAttribute(value, parameters, objects);
    } catch (error) {
      refused.push(`${name}.${attr}: ${(error as Error).message}`);
    }
  }
  return { resolved, missing, refused };
}

/**
 * Fills a planned task's templates when it starts, with the parameters as
 * they are then (a task that ran before may have called `updateFormatKws`).
 * Throws a one-line reason when a placeholder still has no value or a value
 * is refused.
 */
export function resolveAtTaskStart(
  name: string,
  taskClass: TaskClass,
  instance: Readonly<Record<string, unknown>>,
  sources: Readonly<Record<string, unknown>>,
  overrides: Readonly<Record<string, FormatValue>> | undefined,
): Record<string, unknown> {
  const parameters = taskParameters(instance, overrides);
  // A value set during the run (a token fetched by an earlier task) is masked like one set before it.
  rememberSecrets(parameters);
  const { resolved, missing, refused } = resolveTaskTemplates(name, taskClass, instance, sources, parameters);
  if (missing.size > 0) {
    const names = [...missing.keys()].map((p) => `{${p}}`).join(', ');
    throw new Error(
      `${names} still had no value when ${name} started (used by ${[...missing.values()].flat().join(', ')}): the task declared with @Task({ setsParameters: [...] }) must call updateFormatKws({ ... }) before it returns`,
    );
  }
  if (refused.length > 0) throw new Error(refused.join('; '));
  return resolved;
}
