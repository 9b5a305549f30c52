import type { FormatValue } from '../templates/format.js';

/**
 * What a task class may declare statically, read by the planner. Built-in
 * base classes set these; subclasses inherit them.
 *
 * - `requiredAttributes`: instance attributes that must be set (or be an
 *   `@Input` property). A missing one is a `TaskInterfaceError` at plan time.
 * - `templateAttributes`: attributes whose `{name}` placeholders are filled
 *   from the job's parameters before `run()`, when their value is a string.
 * - `templateObjectAttributes`: attributes holding a plain object whose
 *   string values are filled the same way (SQL `params`). Other objects (an
 *   SNS message sent as JSON) are never templated.
 * - `checkTemplateValue(use)`: called by the planner for each parameter
 *   about to be pasted into a (string) template attribute; a returned text
 *   is a problem (naming the fix) and the plan fails with a `PlanError`.
 *   SQL tasks use it to let only identifiers into SQL text.
 */
export interface TaskContract {
  readonly requiredAttributes?: readonly string[];
  readonly templateAttributes?: readonly string[];
  readonly templateObjectAttributes?: readonly string[];
  checkTemplateValue?(use: TemplateUse): string | undefined;
  /**
   * Python bigrays attribute (or pandas option) names a user may port to
   * this task, each with the fix to print (`if_exists` → "write ifExists =
   * 'replace'"). Setting one is a plan error: it would be silently ignored.
   */
  readonly portedAttributes?: Readonly<Record<string, string>>;
}

/** One `{parameter}` about to be filled in a template attribute, as `checkTemplateValue` sees it. */
export interface TemplateUse {
  /** The task's name. */
  readonly task: string;
  /** The template attribute, e.g. `query`. */
  readonly attribute: string;
  /** The parameter's name (`table` for `{table}`). */
  readonly parameter: string;
  /** The value that would be pasted. */
  readonly value: FormatValue;
  /** The task instance (its other attributes, e.g. an opt-in list). */
  readonly instance: Readonly<Record<string, unknown>>;
}

export function requiredAttributesOf(task: object): readonly string[] {
  return (task as TaskContract).requiredAttributes ?? [];
}

export function portedAttributesOf(task: object): Readonly<Record<string, string>> {
  return (task as TaskContract).portedAttributes ?? {};
}

export function templateAttributesOf(task: object): readonly string[] {
  return (task as TaskContract).templateAttributes ?? [];
}

export function templateObjectAttributesOf(task: object): readonly string[] {
  return (task as TaskContract).templateObjectAttributes ?? [];
}

/** The problem `checkTemplateValue` finds with a use, if the task class declares the check. */
export function templateValueProblem(task: object, use: TemplateUse): string | undefined {
  const check = (task as TaskContract).checkTemplateValue;
  return typeof check === 'function' ? check.call(task, use) : undefined;
}
