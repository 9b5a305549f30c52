/**
 * `@bigrays/core/testing`: hooks for bigrays' own test suites and benches.
 * Not for jobs or extension packages; no compatibility promise.
 *
 * @packageDocumentation
 */
import './metadata/symbol-metadata.js';
import 'reflect-metadata';

export { liveSpoolFiles, deleteAllSpoolFiles } from './data/spool-files.js';
export { beginJob, currentJobTasks } from './job/registry.js';
export { buildPlan, type PlanOptions } from './plan/planner.js';
export type { Plan, PlannedTask, PlannedInput, ResourceUse, ResourceAction } from './plan/plan.js';
export { executePlan, type RunOptions } from './run/runner.js';
