/**
 * What a task class may declare statically, read by the planner. Built-in
 * base classes set these; subclasses inherit them.
 *
 * - `requiredAttributes`: instance attributes that must be set (or be an
 *   `@Input` property). A missing one is a `TaskInterfaceError` at plan time.
 * - `templateAttributes`: attributes whose `{name}` placeholders are filled
 *   from the job's parameters before `run()`.
 */
export interface TaskContract {
  readonly requiredAttributes?: readonly string[];
  readonly templateAttributes?: readonly string[];
}

export function requiredAttributesOf(task: object): readonly string[] {
  return (task as TaskContract).requiredAttributes ?? [];
}

export function templateAttributesOf(task: object): readonly string[] {
  return (task as TaskContract).templateAttributes ?? [];
}
