import type { Plan } from '../../plan/plan.js';
import { table } from './format.js';

/**
 * What the run ledger changes in a plan: per task, what `--resume` does and
 * why; which upstream outputs `--from`/`--only` restore, from which run.
 * Empty when the ledger changes nothing.
 */
export function renderLedgerPlan(plan: Plan): string {
  const parts: string[] = [];
  if (plan.resumeOf) {
    const rows = [['task', 'action', 'why']];
    for (const task of plan.tasks) {
      const decision = task.resume;
      rows.push([task.name, decision?.action === 'restore' ? 'skip, restore output' : 're-run', decision?.reason ?? '']);
    }
    parts.push(`Resume of run ${plan.resumeOf} (same parameters):`, table(rows));
  }
  if (plan.restoredInputs?.length) {
    if (parts.length) parts.push('');
    parts.push('Upstream outputs restored from checkpoints:');
    parts.push(table(plan.restoredInputs.map((input) => [input.name, `from run ${input.from.runId}`, `for ${input.neededBy.join(', ')}`])));
  }
  const cursors = plan.tasks.filter((t) => t.cursor);
  if (cursors.length) {
    if (parts.length) parts.push('');
    parts.push('Incremental cursors (reads rows after):');
    const from = { ledger: 'committed by the last successful run', initial: 'initial value', 'full-refresh': 'initial value (--full-refresh)' } as const;
    parts.push(table(cursors.map((t) => [t.name, `${t.cursor!.column} > ${t.cursor!.value}`, from[t.cursor!.source]])));
  }
  return parts.join('\n');
}
