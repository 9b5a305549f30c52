import { ConfigurationError, PlanError, TaskInterfaceError } from '../errors/errors.js';
import {
  getInputRecords,
  getRequiresRecord,
  getTaskRecord,
  isTaskClass,
  resolveUpstream,
  taskName,
  type TaskClass,
} from '../metadata/records.js';
import { effectiveConfig, envName } from '../config/config.js';
import { rememberSecrets } from '../config/secrets.js';
import { declareConfigKeys } from '../config/config-keys.js';
import { requiredAttributesOf, templateObjectAttributesOf } from '../metadata/task-contract.js';
import { checkUnknownParameters } from './unknown-parameters.js';
import type { FormatValue } from '../templates/format.js';
import { portedNameProblems } from './ported-names.js';
import { resolveTaskTemplates, taskParameters, templateSources } from './templates.js';
import { getFormatKws } from '../templates/format-kws.js';
import { resourceUse } from './resource-key.js';
import { selectTasks, type TaskSelection } from './select-tasks.js';
import { findCycle } from './cycles.js';
import type { Plan, PlannedCursor, PlannedInput, PlannedTask, ResourceAction, ResourceUse, RestoredInput } from './plan.js';
import { planCursor, resumeDecision, upstreamCheckpoint, type PlanStateInput } from './plan-state.js';
import { cursorValue } from '../state/cursor-value.js';

/** Everything the planner needs: which tasks, and parameters that override `updateFormatKws`. */
export interface PlanOptions extends TaskSelection {
  parameters?: Readonly<Record<string, FormatValue>>;
  /** What the run ledger knows (checkpoints, the run to resume); read by the caller before planning. */
  ledgerState?: PlanStateInput;
  /**
   * `'require'` (default): missing configuration throws `ConfigurationError`.
   * `'report'`: the plan is built anyway and carries the error in
   * `configurationError` (`bigrays plan` and `graph` show the job without the
   * configuration it will need to run).
   */
  configuration?: 'require' | 'report';
}

interface Draft {
  name: string;
  taskClass: TaskClass;
  instance: Record<string, unknown>;
}

/**
 * Turns the recorded metadata into a validated, ordered plan. Throws
 * `TaskInterfaceError`, `PlanError` or `ConfigurationError` listing every
 * problem of that kind; nothing runs when planning fails.
 */
export function buildPlan(options: PlanOptions = {}): Plan {
  const drafts = selectTasks(options).map(instantiate);
  checkInterfaces(drafts);
  const { inputs, restoredInputs } = planInputs(drafts, options);
  const parameters = { ...getFormatKws(), ...options.parameters };
  const templates = drafts.map((d) => templateSources(d.taskClass, d.instance));
  const resources = drafts.map((d) => {
    const record = getRequiresRecord(d.taskClass);
    return record ? resourceUse(record) : undefined;
  });
  // Secrets that BigraysConfig does not hold (a `--param api_token=…`, a task's own DSN) are masked from here on.
  rememberSecrets(parameters);
  for (const use of resources) {
    if (!use) continue;
    rememberSecrets(use.overrides);
    declareConfigKeys(use.resource);
  }
  const cursors = planCursors(drafts, options);
  const resolved = resolveTemplates(drafts, options.parameters, cursors);
  // With --only/--from the tasks that use a parameter may be left out: nothing to compare against.
  if (options.only === undefined && options.from === undefined) {
    checkUnknownParameters(
      options.parameters,
      drafts.map((d, i) => ({ sources: templates[i]!, objects: new Set(templateObjectAttributesOf(d.taskClass)) })),
      declaredParameters(drafts),
    );
  }
  let configurationError: ConfigurationError | undefined;
  try {
    checkConfiguration(drafts, resources);
  } catch (error) {
    if (options.configuration !== 'report' || !(error instanceof ConfigurationError)) throw error;
    configurationError = error;
  }
  const actions = resourceActions(resources);

  const resume = options.ledgerState?.resume;
  const tasks: PlannedTask[] = drafts.map((d, i) => ({
    name: d.name,
    taskClass: d.taskClass,
    options: getTaskRecord(d.taskClass)!.options,
    resource: resources[i],
    resourceAction: actions[i]!,
    inputs: inputs[i]!,
    resolved: resolved[i]!,
    templates: templates[i]!,
    instance: d.instance,
    ...(resume ? { resume: resumeDecision(resume.runId, resume.tasks.get(d.name)) } : {}),
    ...(cursors[i] ? { cursor: cursors[i] } : {}),
  }));
  return {
    tasks,
    ...(configurationError ? { configurationError } : {}),
    overrides: { ...options.parameters },
    parameters: Object.fromEntries(Object.entries(parameters).map(([k, v]) => [k, v instanceof Date ? v.toISOString() : String(v)])),
    ...(resume ? { resumeOf: resume.runId } : {}),
    ...(restoredInputs.length > 0 ? { restoredInputs } : {}),
  };
}

/** Parameter names the job declares without necessarily using them in a template. */
function declaredParameters(drafts: readonly Draft[]): Set<string> {
  const names = new Set(Object.keys(getFormatKws()));
  for (const { taskClass, instance } of drafts) {
    for (const p of getTaskRecord(taskClass)?.options.setsParameters ?? []) names.add(p);
    const own = instance.formatKws;
    if (own !== null && typeof own === 'object') for (const p of Object.keys(own)) names.add(p);
  }
  return names;
}

function instantiate(taskClass: TaskClass): Draft {
  const name = taskName(taskClass);
  try {
    return { name, taskClass, instance: new taskClass() as Record<string, unknown> };
  } catch (error) {
    throw new TaskInterfaceError(
      `${name} could not be created with no arguments (${(error as Error)?.message ?? error}); tasks are instantiated by bigrays: give the constructor no required parameters`,
    );
  }
}

function checkInterfaces(drafts: readonly Draft[]): void {
  const problems: string[] = [];
  for (const { name, taskClass, instance } of drafts) {
    if (typeof instance.run !== 'function') {
      problems.push(`${name} has no run() method: add one, or extend a built-in task such as SQLQuery or ToS3`);
    }
    problems.push(...portedNameProblems(name, taskClass, instance));
    const inputProps = new Set(getInputRecords(taskClass).map((r) => r.property));
    const missing = requiredAttributesOf(taskClass).filter((attr) => instance[attr] === undefined && !inputProps.has(attr));
    for (const attr of missing) {
      const base = Object.getPrototypeOf(taskClass) as { name?: string };
      problems.push(`${name} lacks required attribute '${attr}' (required by ${base.name || 'its base class'}): set \`${attr} = ...\` in the class or mark it with @Input(...)`);
    }
  }
  if (problems.length > 0) throw new TaskInterfaceError(problems.join('\n'));
}

function planInputs(drafts: readonly Draft[], options: PlanOptions): { inputs: PlannedInput[][]; restoredInputs: RestoredInput[] } {
  const position = new Map(drafts.map((d, i) => [d.taskClass as object, i]));
  const problems: string[] = [];
  const edges = new Map<TaskClass, TaskClass[]>();

  const planned = drafts.map(({ name, taskClass }) =>
    getInputRecords(taskClass).flatMap((record): PlannedInput[] => {
      let upstream: unknown;
      try {
        upstream = resolveUpstream(record);
      } catch (error) {
        problems.push(`${name}.${record.property}: @Input(() => ...) threw ${(error as Error)?.message ?? error}`);
        return [];
      }
      if (!isTaskClass(upstream)) {
        const shown = typeof upstream === 'function' ? upstream.name : String(upstream);
        problems.push(`${name}.${record.property}: @Input(${shown}) is not a task: decorate ${shown} with @Task()`);
        return [];
      }
      edges.set(taskClass, [...(edges.get(taskClass) ?? []), upstream]);
      return [{ property: record.property, upstream, upstreamName: taskName(upstream) }];
    }),
  );
  if (problems.length > 0) throw new PlanError(problems.join('\n'), problems);

  const cycle = findCycle(drafts.map((d) => d.taskClass), (node) => edges.get(node) ?? []);
  if (cycle) {
    const path = cycle.map((node) => taskName(node)).join(' → ');
    throw new PlanError(`the tasks' inputs form a cycle: ${path}; a task cannot depend on its own output`);
  }

  // --from/--only leave upstream tasks out: their outputs come from the ledger's latest checkpoint of them.
  const flag =
    options.from !== undefined
      ? ({ name: '--from', text: `--from ${options.from}` } as const)
      : options.only !== undefined
        ? ({ name: '--only', text: `--only ${options.only.join(',')}` } as const)
        : undefined;
  const restored = new Map<TaskClass, RestoredInput>();
  planned.forEach((inputs, i) => {
    for (const input of inputs) {
      const at = position.get(input.upstream);
      const name = drafts[i]!.name;
      if (at === undefined) {
        const known = restored.get(input.upstream);
        const source = known?.from ?? upstreamCheckpoint(options.ledgerState, flag, input.upstreamName, name, input.property);
        if (typeof source === 'string') problems.push(source);
        else restored.set(input.upstream, { taskClass: input.upstream, name: input.upstreamName, from: source, neededBy: [...(known?.neededBy ?? []), name] });
      } else if (at > i) {
        problems.push(`${name}.${input.property} needs the output of ${input.upstreamName}, which runs after ${name}: run ${input.upstreamName} before ${name}`);
      }
    }
  });
  if (problems.length > 0) throw new PlanError(problems.join('\n'), problems);
  return { inputs: planned, restoredInputs: [...restored.values()] };
}

/** Incremental tasks' cursors (`@Task({ incremental })`), from the ledger's committed values. */
function planCursors(drafts: readonly Draft[], options: PlanOptions): (PlannedCursor | undefined)[] {
  const problems: string[] = [];
  const cursors = drafts.map((d) => {
    const cursor = planCursor(d.name, getTaskRecord(d.taskClass)!.options, options.ledgerState);
    if (typeof cursor === 'string') problems.push(cursor);
    return typeof cursor === 'string' ? undefined : cursor;
  });
  if (problems.length > 0) throw new PlanError(problems.join('\n'), problems);
  return cursors;
}

/** `{cursor}` of an incremental task: its own cursor value for this run. */
export function cursorParameter(cursor: PlannedCursor | undefined): Record<string, FormatValue> {
  return cursor ? { cursor: cursorValue(cursor.kind, cursor.value) as FormatValue } : {};
}

function resolveTemplates(
  drafts: readonly Draft[],
  overrides: Readonly<Record<string, FormatValue>> | undefined,
  cursors: readonly (PlannedCursor | undefined)[],
): Record<string, unknown>[] {
  const missing = new Map<string, string[]>();
  const refused: string[] = [];
  // Parameters an earlier task sets during the run (`@Task({ setsParameters })`): filled when the later task starts.
  const setDuringRun = new Set<string>();
  const resolved = drafts.map(({ name, taskClass, instance }, i) => {
    const parameters = { ...taskParameters(instance, overrides), ...cursorParameter(cursors[i]) };
    const result = resolveTaskTemplates(name, taskClass, instance, templateSources(taskClass, instance), parameters);
    for (const [p, uses] of result.missing) if (!setDuringRun.has(p)) missing.set(p, [...(missing.get(p) ?? []), ...uses]);
    for (const problem of result.refused) if (!refused.includes(problem)) refused.push(problem);
    for (const p of getTaskRecord(taskClass)?.options.setsParameters ?? []) setDuringRun.add(p);
    return result.resolved;
  });
  if (missing.size > 0) {
    const problems = [...missing].map(([p, uses]) => `{${p}} has no value (used by ${uses.join(', ')})`);
    throw new PlanError(
      `missing parameters:\n${problems.map((p) => `  - ${p}`).join('\n')}\nset them with updateFormatKws({ ... }) in the job or --param name=value on the command line`,
      problems,
    );
  }
  if (refused.length > 0) {
    throw new PlanError(refused.length === 1 ? refused[0]! : `template values refused:\n${refused.map((p) => `  - ${p}`).join('\n')}`, refused);
  }
  return resolved;
}

function checkConfiguration(drafts: readonly Draft[], resources: readonly (ResourceUse | undefined)[]): void {
  const needs = new Map<string, { use: ResourceUse; tasks: string[] }>();
  resources.forEach((use, i) => {
    if (!use) return;
    const entry = needs.get(use.key) ?? { use, tasks: [] };
    entry.tasks.push(drafts[i]!.name);
    needs.set(use.key, entry);
  });
  const lines: string[] = [];
  const variables = new Set<string>();
  for (const { use, tasks } of needs.values()) {
    const missing = use.resource.missingConfig(effectiveConfig(use.overrides));
    if (missing.length === 0) continue;
    missing.forEach((key) => variables.add(envName(key)));
    lines.push(`${missing.map(envName).join(', ')} (for ${use.resource.name}, needed by ${tasks.join(', ')})`);
  }
  if (lines.length > 0) {
    throw new ConfigurationError(
      `missing configuration: set ${lines.join('; ')}. Export the environment variables, or assign BigraysConfig.<KEY> in the job`,
      [...variables],
    );
  }
}

function resourceActions(resources: readonly (ResourceUse | undefined)[]): ResourceAction[] {
  let open: ResourceUse | undefined;
  return resources.map((use) => {
    if (!use) return 'none';
    const action: ResourceAction = !open ? 'open' : open.key === use.key ? 'keep' : 'swap';
    open = use;
    return action;
  });
}
