/**
 * Tables on disk and CSV: `Dataset`, `DatasetWriter`, the CSV encoder and
 * parser, column types, and the input helpers shared by export tasks.
 *
 * @module
 */
export { Dataset, type DatasetCsvOptions, type DatasetRowsOptions, type Row } from './dataset.js';
export { DatasetWriter, type DatasetColumn, type DatasetWriterOptions } from './dataset-writer.js';
export {
  COLUMN_TYPES,
  createArrayDecoder,
  createRowDecoder,
  decodeValue,
  decoderFor,
  parseTimestamp,
  type ColumnType,
  type ValueDecoder,
} from './column-types.js';
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
} from './csv-writer.js';
export {
  CsvParser,
  parseCsv,
  parseCsvBatches,
  parseCsvString,
  type CsvChunk,
  type CsvRecord,
} from './csv-parser.js';
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
} from './table-input.js';
export {
  StrictTextDecoder,
  TEXT_ENCODINGS,
  TextDecodeError,
  decodeText,
  textEncoding,
  type TextEncoding,
} from './text-decoder.js';
export { JsonText, isExactJsonNumber, parseJsonExact } from './json-exact.js';
export { deleteAllSpoolFiles, liveSpoolFiles } from './spool-files.js';
export { CopyProgress } from './copy-progress.js';
