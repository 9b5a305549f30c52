import type { TaskClass } from '../metadata/records.js';

/**
 * Which tasks belong to the job being defined. `@Task()` appends to the open
 * job; a task defined after that job ran starts a new job, so two jobs
 * defined one after the other in one process never see each other's tasks.
 * The CLI opens a fresh job before it loads a job module.
 *
 * The state lives on `globalThis` under a registered symbol so that a job
 * importing a second copy of @bigrays/core (a global CLI, a local library)
 * still registers with the CLI that loads it.
 */
interface JobScope {
  readonly id: number;
  readonly tasks: TaskClass[];
  ran: boolean;
}

interface RegistryState {
  nextId: number;
  open: JobScope;
}

const STATE = Symbol.for('bigrays:job-registry');
const holder = globalThis as unknown as Record<symbol, RegistryState | undefined>;
const state: RegistryState = (holder[STATE] ??= { nextId: 2, open: { id: 1, tasks: [], ran: false } });

/** Adds a task class to the open job; returns that job's id. */
export function registerTask(task: TaskClass): number {
  if (state.open.ran) beginJob();
  state.open.tasks.push(task);
  return state.open.id;
}

/** The tasks of the open job, in definition order. */
export function currentJobTasks(): readonly TaskClass[] {
  return [...state.open.tasks];
}

/** Marks the open job as run: the next `@Task()` starts a new job. */
export function markJobRan(): void {
  state.open.ran = true;
}

/** Starts a new, empty job. */
export function beginJob(): void {
  state.open = { id: state.nextId++, tasks: [], ran: false };
}

/** Forgets every task definition (for tests). */
export function resetJobs(): void {
  beginJob();
}
