import type { BigraysErrorKind } from './errors.js';

/**
 * When an error can happen: while the job module loads (command line, job
 * file, decorators), while it is planned (configuration, parameters, task
 * interfaces), or while it runs (resources, tasks, signals). Load and plan
 * errors mean nothing ran.
 */
export type ErrorPhase = 'load' | 'plan' | 'run';

/** The one map from error kind to phase; the CLI derives its exit codes from it. */
export const PHASE_OF_KIND: Readonly<Record<BigraysErrorKind, ErrorPhase>> = {
  usage: 'load',
  decorator: 'load',
  configuration: 'plan',
  plan: 'plan',
  'task-interface': 'plan',
  state: 'plan',
  resource: 'run',
  task: 'run',
  'job-failed': 'run',
  interrupted: 'run',
};

/**
 * The phase of an error: by its `kind` for bigrays errors (of any copy of
 * @bigrays/core, recognised by shape), `run` for anything else (a task's own
 * throw reaches the CLI only through a run).
 */
export function phaseOf(error: unknown): ErrorPhase {
  const kind = typeof error === 'object' && error !== null ? (error as { kind?: unknown }).kind : undefined;
  return (typeof kind === 'string' && PHASE_OF_KIND[kind as BigraysErrorKind]) || 'run';
}
