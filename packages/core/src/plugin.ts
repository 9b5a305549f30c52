/**
 * `@bigrays/core/plugin`: the building blocks of extension packages.
 *
 * `@bigrays/sql`, `@bigrays/aws` and third-party packages that add tasks or
 * resources import from here; a job author never needs to. Everything a job
 * author uses (decorators, `Resource`, errors, `Dataset`, ...) stays in
 * `@bigrays/core` and is not repeated here: import both.
 *
 * What is here, and the rule each part keeps:
 *
 * - **Task context** (`currentTask`, `TaskScope`, `RunScope`): the task
 *   running in this async context. A long operation reads `taskSignal()` (in
 *   `@bigrays/core`) and stops when it fires; `currentTask()?.run.onJobEnd`
 *   registers clean-up for the end of the job.
 * - **Errors of helpers** (`runningTaskError`, `runningTaskName`,
 *   `errorMessage`): a helper that fails (a resource method, an upload)
 *   throws `runningTaskError(ResourceName, message, { cause })`, a
 *   `TaskError` naming the task that called it, its cause attached.
 * - **Progress** (`CopyProgress`): counts rows/bytes of a copy and reports
 *   them, throttled, to the running task. Use it rather than calling
 *   `reportProgress` per chunk; other running totals ask one
 *   `ProgressThrottle` (every 100 ms) when to report.
 * - **Table inputs** (`tableInputKind`, `toCsvReadable`, `describeValue`,
 *   `unsupportedInputError`, `contentTypeOf`, `ACCEPTED_INPUTS`): one rule for
 *   what an export task accepts as its `input` (rows, `Dataset`, text, bytes,
 *   a stream) and how it becomes CSV. A new export task uses these so its
 *   messages and accepted inputs match `ToCSV`.
 * - **CSV** (`rowsToCsvStream`, `encodeCsv*`, `columnsOf`, `CsvParser`,
 *   `parseCsv*`): the encoder and parser every bigrays CSV goes through
 *   (RFC 4180, `\n` line ends, exact round trip through `Dataset`).
 * - **Formats** (`checkTableInput`: the one check of an export task's input;
 *   `encodeTable`, `contentHeadersOf`, `formatProblem`,
 *   `jsonLinesStream`, `parseJsonLines`, `parquetStream`, `parquetRows`, ...):
 *   the table formats and compressions export tasks write (`format`,
 *   `compression` options) and read back, one encoder for every destination.
 * - **Column types** (`decoderFor`, `decodeValue`, `createRowDecoder`,
 *   `parseTimestamp`, ...): how a spooled `Dataset` column is read back.
 * - **Text** (`StrictTextDecoder`, `decodeText`, `textEncoding`): strict
 *   UTF-8 or latin1 decoding naming the first bad byte.
 * - **Configuration and redaction** (`firstSet`, `envName`,
 *   `effectiveConfig`, `configSource`, `configKeysOf`, `keyAndAliases`,
 *   `redact`, `maskDsn`, `displayValue`,
 *   `isSecretKey`, `secretValues`, `rememberSecrets`, `MASK`): read a
 *   resource's keys and keep secrets out of every message. Pass every
 *   message that may hold a DSN or a credential through `redact`. A resource
 *   declares its keys once, as `static configKeys` (see `ConfigKey`), and
 *   reads a key with its aliases as `firstSet(config, ...keyAndAliases(keys,
 *   'NAME'))`.
 * - **Templates** (`formatTemplate`, `placeholders`, `formatAttribute`): the
 *   `{parameter}` rules the planner applies, for tasks that template more.
 * - **Declarations** (`taskName`, `isTaskClass`, `getTaskRecord`,
 *   `getRequiresRecord`, `getInputRecords`): read what the decorators
 *   recorded, never the metadata keys themselves.
 *
 * @packageDocumentation
 */
import './metadata/symbol-metadata.js';
import 'reflect-metadata';

// Task context and progress.
export { currentTask, type TaskScope, type RunScope, type Progress } from './context/task-context.js';
export { CopyProgress } from './data/copy-progress.js';
export { ProgressThrottle, PROGRESS_INTERVAL_MS } from './context/progress-throttle.js';

// Errors of helpers: one way to word what was thrown, one TaskError for the running task.
export { errorMessage } from './errors/message.js';
export { runningTaskName, runningTaskError } from './context/task-error.js';

// Declarations.
export type { TaskContract, TemplateUse } from './metadata/task-contract.js';
export type { TaskRecord, RequiresRecord, InputRecord } from './metadata/records.js';
export { taskName, isTaskClass, getTaskRecord, getRequiresRecord, getInputRecords } from './metadata/records.js';

// Table inputs shared by export tasks.
export {
  ACCEPTED_INPUTS,
  contentTypeOf,
  describeValue,
  tableInputKind,
  toCsvReadable,
  unsupportedInputError,
  type TableInput,
  type TableInputKind,
  type ToCsvReadableOptions,
} from './data/table-input.js';

// CSV.
export {
  COLUMN_SAMPLE_ROWS,
  columnsOf,
  encodeCsvHeader,
  encodeCsvRecord,
  encodeCsvRow,
  encodeCsvString,
  encodeCsvValue,
  rowsToCsvStream,
  type CsvProgress,
  type CsvSourceRow,
  type RowsToCsvOptions,
} from './data/csv-writer.js';
export { CsvParser, parseCsv, parseCsvBatches, parseCsvString, type CsvChunk, type CsvRecord } from './data/csv-parser.js';

// Output formats of export tasks: CSV, JSON Lines, Parquet, gzip.
export {
  checkTableInput,
  encodeTable,
  contentHeadersOf,
  formatProblem,
  type TableInputCheck,
  TABLE_FORMATS,
  TABLE_COMPRESSIONS,
  type TableFormat,
  type TableCompression,
  type EncodeTableOptions,
  type ContentHeaders,
} from './formats/encode.js';
export { jsonLinesStream, parseJsonLines, encodeJsonLine } from './formats/jsonl.js';
export { parquetStream, DEFAULT_ROW_GROUP_SIZE, type ParquetStreamOptions } from './formats/parquet/write.js';
export { parquetRows } from './formats/parquet/read.js';
export { isParquetColumnType, type ParquetColumnType } from './formats/parquet/schema.js';

// Column types of a spooled Dataset.
export {
  COLUMN_TYPES,
  createArrayDecoder,
  createRowDecoder,
  decodeValue,
  decoderFor,
  parseTimestamp,
  type ColumnType,
  type ValueDecoder,
} from './data/column-types.js';

// Text decoding.
export { StrictTextDecoder, TEXT_ENCODINGS, TextDecodeError, decodeText, textEncoding, type TextEncoding } from './data/text-decoder.js';

// Exact JSON (numbers beyond a double kept as their text).
export { isExactJsonNumber, parseJsonExact } from './data/json-exact.js';

// Configuration and redaction.
export { configSource, effectiveConfig, firstSet, envName } from './config/config.js';
export { configKeysOf, keyAndAliases, type ConfigKey } from './config/config-keys.js';
export { redact, maskDsn, displayValue, isSecretKey, secretValues, rememberSecrets, MASK } from './config/secrets.js';

// Templates.
export { formatTemplate, placeholders, formatAttribute, type FormatValue } from './templates/format.js';

// Run-ledger and checkpoint stores (BIGRAYS_STATE / BIGRAYS_CHECKPOINTS): a plugin registers the URI schemes it serves.
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
