import type { TaskClass } from '../metadata/records.js';
import type { JobResult } from './job-result.js';

/**
 * While the CLI loads a job module it installs a host: a `bigraysRun()` call
 * made by the module is handed to the CLI instead of running on its own, so
 * the job runs exactly once, with the CLI's parameters and filters. Kept on
 * `globalThis` for the same reason as the job registry.
 */
export interface RunHost {
  request(tasks: readonly TaskClass[]): Promise<JobResult>;
}

const HOST = Symbol.for('bigrays:run-host');
const holder = globalThis as unknown as Record<symbol, RunHost | undefined>;

export function setRunHost(next: RunHost | undefined): void {
  holder[HOST] = next;
}

export function getRunHost(): RunHost | undefined {
  return holder[HOST];
}
