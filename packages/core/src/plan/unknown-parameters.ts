import { PlanError } from '../errors/errors.js';
import { attributePlaceholders } from '../templates/format.js';
import type { FormatValue } from '../templates/format.js';

/** Edit distance, for "did you mean". */
function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, previous + (a[i - 1]!.toLowerCase() === b[j - 1]!.toLowerCase() ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length]!;
}

/**
 * Refuses a `--param` that nothing uses or declares: a misspelt name would
 * otherwise be accepted silently and the default used. Used means a
 * template placeholder of a task in the plan; declared means a job
 * parameter set with `updateFormatKws`, a task's `formatKws` key, or a
 * `setsParameters` name (a job that reads a parameter in code declares it
 * with a default).
 */
export function checkUnknownParameters(
  given: Readonly<Record<string, FormatValue>> | undefined,
  templates: readonly { sources: Readonly<Record<string, unknown>>; objects: ReadonlySet<string> }[],
  declared: ReadonlySet<string>,
): void {
  if (!given) return;
  const used = new Set<string>();
  for (const { sources, objects } of templates) {
    for (const [attr, value] of Object.entries(sources)) for (const p of attributePlaceholders(value, objects.has(attr))) used.add(p);
  }
  const known = [...new Set([...used, ...declared])].sort();
  const problems = Object.keys(given)
    .filter((name) => !used.has(name) && !declared.has(name))
    .map((name) => {
      const close = known.filter((k) => distance(name, k) <= Math.max(2, Math.floor(k.length / 3)));
      const hint = close.length > 0 ? `did you mean ${close.map((k) => `'${k}'`).join(' or ')}? ` : '';
      return `--param ${name}: no template uses {${name}} and the job does not declare it; ${hint}the job's parameters are: ${known.join(', ') || '(none)'} (a job that reads it in code declares it with updateFormatKws({ ${name}: <default> }))`;
    });
  if (problems.length > 0) throw new PlanError(problems.join('\n'), problems);
}
