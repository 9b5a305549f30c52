/**
 * @bigrays/core: what a job author uses. Decorators, running a job, resources
 * and configuration, parameters, errors, progress and cancellation, logging,
 * `Dataset` and `ToCSV`.
 *
 * Extension packages (`@bigrays/sql`, `@bigrays/aws`, your own) import their
 * building blocks from `@bigrays/core/plugin`; test hooks live in
 * `@bigrays/core/testing`. Nothing else is public.
 *
 * @packageDocumentation
 */
import './metadata/symbol-metadata.js';
import 'reflect-metadata';

// Declaring a job.
export { Task } from './decorators/task.js';
export { Requires } from './decorators/requires.js';
export { Input, type UpstreamRef } from './decorators/input.js';
export type { TaskOptions, IncrementalOptions, TaskClass, Constructor } from './metadata/records.js';
export type { TaskContract, TemplateUse } from './metadata/task-contract.js';
export { Resource, type ResourceClass } from './resources/resource.js';

// Configuration and parameters.
export { BigraysConfig, type Config, type ConfigSource } from './config/config.js';
export type { ConfigKey } from './config/config-keys.js';
export { updateFormatKws, getFormatKws, resetFormatKws } from './templates/format-kws.js';
export type { FormatValue } from './templates/format.js';

// Running a job.
export { bigraysRun, runJob, type RunJobOptions } from './run/bigrays-run.js';
export { resetJobs } from './job/registry.js';
export { outputOf } from './run/outputs.js';
export { JobResult, type TaskReport, type TaskStatus } from './run/job-result.js';
export type { RunEvent, RunObserver } from './run/events.js';
export { reportProgress, taskSignal, type Progress } from './context/task-context.js';

// Errors.
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
export { JobFailedError } from './run/job-result.js';
export { taskCursor, withCursor, type TaskCursor } from './run/cursor.js';
export type { BigraysRunOptions } from './run/bigrays-run.js';
export type { StateOptions } from './run/run-ledger.js';

// Logging.
export { getLogger, setLogLevel, LOG_LEVELS, type LogLevelName } from './logging/logger.js';

// Tables and export tasks.
export { Dataset, type DatasetCsvOptions, type DatasetRowsOptions, type Row } from './data/dataset.js';
export { DatasetWriter, type DatasetColumn, type DatasetWriterOptions } from './data/dataset-writer.js';
export type { ColumnType } from './data/column-types.js';
export { JsonText } from './data/json-exact.js';
export { ToCSV } from './tasks/to-csv.js';
export { ToParquet } from './tasks/to-parquet.js';
export type { TableFormat, TableCompression } from './formats/encode.js';
export type { ParquetColumnType } from './formats/parquet/schema.js';

// The functional interface.
export { runTask } from './functional/run-task.js';
export { toCsv } from './functional/to-csv.js';
export { toParquet } from './functional/to-parquet.js';
