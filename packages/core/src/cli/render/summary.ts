import type { JobResult } from '../../run/job-result.js';
import { formatDuration, formatVolume, palette, table } from './format.js';

/** The table printed when a run ends. */
export function renderSummary(result: JobResult, color: boolean): string {
  const c = palette(color);
  const count = (status: string) => result.tasks.filter((t) => t.status === status).length;
  const head = [
    `${result.tasks.length} task${result.tasks.length === 1 ? '' : 's'}`,
    c.green(`${count('succeeded')} succeeded`),
    count('failed') ? c.red(`${count('failed')} failed`) : '0 failed',
    count('skipped') ? c.yellow(`${count('skipped')} skipped`) : '0 skipped',
    formatDuration(result.durationMs),
  ].join(' · ');
  const statusText = (s: string) => (s === 'succeeded' ? c.green(s) : s === 'failed' ? c.red(s) : s === 'skipped' ? c.yellow(s) : s);
  const rows = [
    ['task', 'status', 'duration', 'moved'].map(c.dim),
    // A failed task moved nothing that stayed (an aborted upload, a rolled-back write): its partial counts are not shown.
    ...result.tasks.map((t) => [t.name, t.restoredFrom ? c.green('restored') : statusText(t.status), t.status === 'skipped' ? '-' : formatDuration(t.durationMs), t.status === 'failed' ? '-' : formatVolume(t.rows, t.bytes) || '-']),
  ];
  const verdict = result.interrupted
    ? c.red(`interrupted by ${result.interrupted}`)
    : result.ok
      ? c.green('job succeeded')
      : c.red('job failed');
  // Errors not tied to a task (a resource that failed to close): the closing report that follows a failed run prints
  // them; an interrupted run has no closing report, so they are shown here, once.
  const extra = result.interrupted ? result.errors.map((e) => `  ${c.red('✖')} ${e.message}`) : [];
  return [`${c.bold('Summary')}: ${head}`, table(rows), ...extra, verdict].join('\n');
}
