import type { Plan, PlannedTask, ResourceUse } from '../../plan/plan.js';
import { displayValue, redact } from '../../config/secrets.js';
import { palette, table } from './format.js';

/** A resource with its per-task overrides, secrets masked. */
export function describeResource(use: ResourceUse | undefined): string {
  if (!use) return '-';
  const overrides = Object.entries(use.overrides).map(([k, v]) => `${k}=${displayValue(k, v)}`);
  return overrides.length ? `${use.resource.name} {${overrides.join(', ')}}` : use.resource.name;
}

function action(task: PlannedTask, open: ResourceUse | undefined): string {
  switch (task.resourceAction) {
    case 'open':
      return `open ${task.resource!.resource.name}`;
    case 'keep':
      return `keep ${task.resource!.resource.name}`;
    case 'swap':
      return `swap: close ${open!.resource.name}, open ${task.resource!.resource.name}`;
    case 'none':
      return open ? `(${open.resource.name} stays open)` : '-';
  }
}

const oneLine = (value: unknown): string =>
  (typeof value === 'string' ? value : JSON.stringify(value)).replace(/\s+/g, ' ').trim();

/** `bigrays plan`: ordered tasks, resource per task, swaps, inputs, resolved templates. */
export function renderPlan(plan: Plan, jobLabel: string, color: boolean): string {
  const c = palette(color);
  let open: ResourceUse | undefined;
  const rows = [['#', 'task', 'resource', 'before it runs', 'inputs', 'options'].map(c.dim)];
  plan.tasks.forEach((task, i) => {
    const options = Object.entries(task.options)
      .filter(([k, v]) => k !== 'name' && v !== undefined && v !== false)
      .map(([k, v]) => (v === true || (k === 'incremental' && typeof v === 'object') ? k : `${k}=${v}`));
    rows.push([
      String(i + 1),
      task.name,
      describeResource(task.resource),
      action(task, open),
      task.inputs.map((input) => `${input.property} ← ${input.upstreamName}`).join(', ') || '-',
      options.join(', ') || '-',
    ]);
    if (task.resource) open = task.resource;
  });
  const swaps = plan.tasks.filter((t) => t.resourceAction === 'swap').length;
  const parts = [
    `${c.bold('Plan')} for ${jobLabel}: ${plan.tasks.length} task${plan.tasks.length === 1 ? '' : 's'}, ${swaps} resource swap${swaps === 1 ? '' : 's'}`,
    table(rows),
  ];
  if (open) parts.push(`  at the end: close ${open.resource.name}`);
  const params = Object.entries(plan.parameters);
  parts.push('', `${c.bold('Parameters')}: ${params.length ? params.map(([k, v]) => `${k}=${displayValue(k, v)}`).join(', ') : '(none)'}`);
  const templates = plan.tasks.flatMap((t) => Object.entries(t.resolved).map(([attr, value]) => [`${t.name}.${attr}`, redact(oneLine(value))]));
  if (templates.length) parts.push('', c.bold('Templates'), table(templates));
  return parts.join('\n');
}
