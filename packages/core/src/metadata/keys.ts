/**
 * Every metadata key bigrays stores on a class, in one place so that the
 * decorators (which write) and the planner (which reads) cannot drift apart.
 */
export const TASK_KEY = 'bigrays:task';
export const REQUIRES_KEY = 'bigrays:requires';
export const INPUTS_KEY = 'bigrays:inputs';
/** Standard decorators only: `@Input` problems found before the class name is known, thrown by `@Task` naming the class. */
export const INPUT_PROBLEMS_KEY = 'bigrays:input-problems';
