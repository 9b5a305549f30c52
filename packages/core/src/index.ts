/**
 * @bigrays/core: decorators, planner, runner, resources, configuration,
 * logging, errors, Dataset and ToCSV.
 *
 * @packageDocumentation
 */
import './metadata/symbol-metadata.js';
import 'reflect-metadata';

export { Task } from './decorators/task.js';
export { Requires } from './decorators/requires.js';
export { Input, type UpstreamRef } from './decorators/input.js';
export type { TaskOptions, IncrementalOptions, TaskClass, TaskRecord, RequiresRecord, InputRecord, Constructor } from './metadata/records.js';
export { getTaskRecord, getRequiresRecord, getInputRecords, isTaskClass, taskName } from './metadata/records.js';
export { TASK_KEY, REQUIRES_KEY, INPUTS_KEY } from './metadata/keys.js';

export { beginJob, resetJobs, currentJobTasks } from './job/registry.js';

export {
  BigraysError,
  ConfigurationError,
  PlanError,
  TaskInterfaceError,
  DecoratorError,
  ResourceError,
  TaskError,
  InterruptedError,
  UsageError,
  StateError,
  type BigraysErrorKind,
} from './errors/errors.js';
export { JobFailedError, JobResult, type TaskReport, type TaskStatus } from './run/job-result.js';

export { BigraysConfig, configSource, effectiveConfig, firstSet, envName, type Config, type ConfigSource } from './config/config.js';
export { KNOWN_CONFIG_KEYS, type KnownConfigKey } from './config/known-keys.js';
export { redact, maskDsn, displayValue, isSecretKey, secretValues, rememberSecrets, MASK } from './config/secrets.js';

export { updateFormatKws, getFormatKws, resetFormatKws } from './templates/format-kws.js';
export { formatTemplate, placeholders, formatAttribute, type FormatValue } from './templates/format.js';

export { Resource, type ResourceClass } from './resources/resource.js';
export type { TaskContract, TemplateUse } from './tasks/task-contract.js';

export { buildPlan, type PlanOptions } from './plan/planner.js';
export type { Plan, PlannedTask, PlannedInput, ResourceUse, ResourceAction, ResumeDecision, RestoredInput, CheckpointSource } from './plan/plan.js';
export { executePlan, type RunOptions } from './run/runner.js';
export { bigraysRun, runJob, type RunJobOptions } from './run/bigrays-run.js';
export { outputOf } from './run/outputs.js';
export type { RunEvent, RunObserver } from './run/events.js';
export { taskCursor, withCursor, type TaskCursor } from './run/cursor.js';
export { reportProgress, taskSignal, currentTask, type Progress, type TaskScope, type RunScope } from './run/task-context.js';
export { setRunHost, getRunHost, type RunHost } from './run/host.js';
export { signalExitCode } from './run/signals.js';

export { getLogger, setLogLevel, LOG_LEVELS, type LogLevelName } from './logging/logger.js';

export { runTask } from './functional/run-task.js';

export type { BigraysRunOptions } from './run/bigrays-run.js';
export type { StateOptions } from './state/run-ledger.js';
export type {
  LedgerStore,
  CheckpointStore,
  CheckpointRef,
  RunRecord,
  RunSummary,
  RunStatus,
  RunState,
  TaskRunRecord,
  CursorRecord,
  LeaseHolder,
} from './state/ledger.js';
export { registerLedgerStore, registerCheckpointStore, type LedgerStoreFactory, type CheckpointStoreFactory } from './state/store-registry.js';
export { openLedgerStore, resolveJobName } from './state/locate.js';
export { FileLedgerStore } from './state/file-store.js';
export { leaseExpired } from './state/lease-expiry.js';
export * from './data/index.js';
export { ToCSV } from './tasks/to-csv.js';
export { ToParquet } from './tasks/to-parquet.js';
export * from './formats/index.js';
export { toCsv } from './functional/to-csv.js';
export { toParquet } from './functional/to-parquet.js';
