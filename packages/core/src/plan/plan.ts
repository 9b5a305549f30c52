import type { TaskClass, TaskOptions } from '../metadata/records.js';
import type { ResourceClass } from '../resources/resource.js';
import type { CheckpointRef } from '../state/ledger.js';
import type { CursorKind } from '../state/cursor-value.js';
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
  /** With `--resume`: whether the task's output is restored from the resumed run or the task runs, and why. */
  readonly resume?: ResumeDecision;
  /** An incremental task: its cursor for this run. */
  readonly cursor?: PlannedCursor;
}

/** An incremental task's cursor, as this run reads it. */
export interface PlannedCursor {
  /** The output column whose greatest value becomes the next cursor. */
  readonly column: string;
  readonly kind: CursorKind;
  /** The value this run starts from (text form, as stored). */
  readonly value: string;
  /** Where it comes from: the ledger's committed value, or the task's `initial` (first run, after `--reset`, or `--full-refresh`). */
  readonly source: 'ledger' | 'initial' | 'full-refresh';
  readonly maxFutureMs: number;
}

/** A checkpoint in the ledger: which run wrote it, and where it is. */
export interface CheckpointSource {
  readonly runId: string;
  readonly checkpoint: CheckpointRef;
}

/** What `--resume` does with one task. */
export type ResumeDecision =
  | {
      readonly action: 'restore';
      readonly reason: string;
      readonly from: CheckpointSource;
      /** An incremental task: the cursor it reached in the resumed run (committed when this run succeeds). */
      readonly cursor?: { readonly from: string | null; readonly to: string | null };
    }
  | { readonly action: 'run'; readonly reason: string };

/** An upstream task outside the run (`--from`/`--only`) whose output comes from a checkpoint. */
export interface RestoredInput {
  readonly taskClass: TaskClass;
  readonly name: string;
  readonly from: CheckpointSource;
  /** The planned tasks that take it as an input. */
  readonly neededBy: readonly string[];
}

/** A validated, ordered plan. Nothing in it can fail for a reason the planner checks. */
export interface Plan {
  readonly tasks: readonly PlannedTask[];
  readonly parameters: Readonly<Record<string, string>>;
  /** The run this one resumes (`--resume`). */
  readonly resumeOf?: string;
  /** Upstream outputs restored from checkpoints before the first task (`--from`/`--only`). */
  readonly restoredInputs?: readonly RestoredInput[];
  /** Planned with `configuration: 'report'`: the configuration still missing (the plan cannot run as it is). */
  readonly configurationError?: ConfigurationError;
  /** The `--param` values given to the planner; they win over `updateFormatKws` at run time too. */
  readonly overrides?: Readonly<Record<string, FormatValue>>;
}
