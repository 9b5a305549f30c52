import type { TaskClass, TaskOptions } from '../metadata/records.js';
import type { ResourceClass } from '../resources/resource.js';
import type { FormatValue } from '../templates/format.js';
import type { ConfigurationError } from '../errors/errors.js';

/** A resource opening: which class, with which per-task overrides. */
export interface ResourceUse {
  readonly resource: ResourceClass;
  readonly overrides: Readonly<Record<string, string>>;
  /** Equal keys mean "same resource, same configuration": the open one is kept. */
  readonly key: string;
}

/** One input of a planned task: which property receives which upstream's output. */
export interface PlannedInput {
  readonly property: string;
  readonly upstream: TaskClass;
  readonly upstreamName: string;
}

/** What happens to the open resource before a task runs. */
export type ResourceAction = 'none' | 'open' | 'keep' | 'swap';

/** One task of a validated plan. */
export interface PlannedTask {
  readonly name: string;
  readonly taskClass: TaskClass;
  readonly options: Readonly<TaskOptions>;
  readonly resource: ResourceUse | undefined;
  /** What the resource manager does before this task, if every earlier task runs. */
  readonly resourceAction: ResourceAction;
  readonly inputs: readonly PlannedInput[];
  /** Template attributes with their placeholders filled in. */
  readonly resolved: Readonly<Record<string, unknown>>;
  /** Template attributes as declared; the runner fills them again when the task starts (run-time `updateFormatKws`). */
  readonly templates?: Readonly<Record<string, unknown>>;
  /** The instance the runner will use (attributes are read at plan time). */
  readonly instance: Record<string, unknown>;
}

/** A validated, ordered plan. Nothing in it can fail for a reason the planner checks. */
export interface Plan {
  readonly tasks: readonly PlannedTask[];
  readonly parameters: Readonly<Record<string, string>>;
  /** Planned with `configuration: 'report'`: the configuration still missing (the plan cannot run as it is). */
  readonly configurationError?: ConfigurationError;
  /** The `--param` values given to the planner; they win over `updateFormatKws` at run time too. */
  readonly overrides?: Readonly<Record<string, FormatValue>>;
}
