/**
 * Output formats of export tasks: CSV, JSON Lines, Parquet, and gzip.
 *
 * @module
 */
export {
  encodeTable,
  contentHeadersOf,
  formatProblem,
  TABLE_FORMATS,
  TABLE_COMPRESSIONS,
  type TableFormat,
  type TableCompression,
  type EncodeTableOptions,
  type ContentHeaders,
} from './encode.js';
export { jsonLinesStream, parseJsonLines, encodeJsonLine } from './jsonl.js';
export { parquetStream, DEFAULT_ROW_GROUP_SIZE, type ParquetStreamOptions } from './parquet/write.js';
export { parquetRows } from './parquet/read.js';
export { isParquetColumnType, type ParquetColumnType } from './parquet/schema.js';
