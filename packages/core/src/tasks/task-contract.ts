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
 */
export interface TaskContract {
  readonly requiredAttributes?: readonly string[];
  readonly templateAttributes?: readonly string[];
  readonly templateObjectAttributes?: readonly string[];
}

export function requiredAttributesOf(task: object): readonly string[] {
  return (task as TaskContract).requiredAttributes ?? [];
}

export function templateAttributesOf(task: object): readonly string[] {
  return (task as TaskContract).templateAttributes ?? [];
}

export function templateObjectAttributesOf(task: object): readonly string[] {
  return (task as TaskContract).templateObjectAttributes ?? [];
}
