import type { Plan } from '../../plan/plan.js';
import { describeResource } from './plan-view.js';

const id = (i: number) => `t${i + 1}`;
const quote = (s: string) => s.replace(/"/g, '\\"');

function groups(plan: Plan): Map<string, { label: string; members: number[] }> {
  const byKey = new Map<string, { label: string; members: number[] }>();
  plan.tasks.forEach((task, i) => {
    const key = task.resource?.key ?? '';
    const entry = byKey.get(key) ?? { label: describeResource(task.resource), members: [] };
    entry.members.push(i);
    byKey.set(key, entry);
  });
  return byKey;
}

function edges(plan: Plan): { from: number; to: number; label: string }[] {
  const index = new Map(plan.tasks.map((t, i) => [t.taskClass as object, i]));
  return plan.tasks.flatMap((task, to) => task.inputs.map((input) => ({ from: index.get(input.upstream)!, to, label: input.property })));
}

/** The task graph in Mermaid: tasks grouped by resource, arrows for `@Input` data flow. */
export function renderMermaid(plan: Plan): string {
  const lines = ['flowchart LR'];
  let n = 0;
  for (const [key, group] of groups(plan)) {
    const nodes = group.members.map((i) => `${id(i)}["${i + 1}. ${quote(plan.tasks[i]!.name)}"]`);
    if (key === '') lines.push(...nodes.map((node) => `  ${node}`));
    else lines.push(`  subgraph r${++n}["${quote(group.label)}"]`, ...nodes.map((node) => `    ${node}`), '  end');
  }
  for (const e of edges(plan)) lines.push(`  ${id(e.from)} -->|${e.label}| ${id(e.to)}`);
  return lines.join('\n');
}

/** The task graph in Graphviz DOT, with one cluster per resource. */
export function renderDot(plan: Plan): string {
  const lines = ['digraph job {', '  rankdir=LR;', '  node [shape=box];'];
  let n = 0;
  for (const [key, group] of groups(plan)) {
    const nodes = group.members.map((i) => `${id(i)} [label="${i + 1}. ${quote(plan.tasks[i]!.name)}"];`);
    if (key === '') lines.push(...nodes.map((node) => `  ${node}`));
    else lines.push(`  subgraph cluster_${++n} {`, `    label="${quote(group.label)}";`, ...nodes.map((node) => `    ${node}`), '  }');
  }
  for (const e of edges(plan)) lines.push(`  ${id(e.from)} -> ${id(e.to)} [label="${quote(e.label)}"];`);
  lines.push('}');
  return lines.join('\n');
}
