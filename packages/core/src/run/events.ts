import type { Plan } from '../plan/plan.js';
import type { JobResult, TaskReport } from './job-result.js';

/** What the runner tells an observer (the CLI's live view, a test). */
export type RunEvent =
  | { type: 'job-start'; plan: Plan }
  | { type: 'task-start'; task: string; index: number; attempt: number }
  | { type: 'task-progress'; task: string; rows?: number; bytes?: number }
  | { type: 'task-retry'; task: string; attempt: number; delayMs: number; error: unknown }
  | { type: 'task-end'; task: string; index: number; report: TaskReport }
  | { type: 'resource-open'; resource: string; task: string }
  | { type: 'resource-close'; resource: string; error?: unknown }
  | { type: 'job-end'; result: JobResult };

export type RunObserver = (event: RunEvent) => void;
