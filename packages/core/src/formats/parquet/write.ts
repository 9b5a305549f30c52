/**
 * Table input → Parquet bytes, one row group at a time. The Parquet library
 * (hyparquet-writer) is imported here, on first use, so that loading
 * `@bigrays/core` (or running `bigrays --version`/`plan`) never loads it.
 *
 * @module
 */
import { Readable } from 'node:stream';
import type { CsvProgress } from '../../data/csv-writer.js';
import { tableSource } from '../table-source.js';
import { chooseParquetType, isParquetColumnType, planColumn, type ParquetColumnPlan, type ParquetColumnType } from './schema.js';
import { errorMessage } from '../../errors/message.js';

/** Options of {@link parquetStream}. */
export interface ParquetStreamOptions {
  /** Parquet types by column name, overriding the chosen ones (e.g. `{ price: 'decimal(12,2)' }`). */
  types?: Readonly<Record<string, ParquetColumnType | (string & Record<never, never>)>>;
  /** Rows per row group. Default {@link DEFAULT_ROW_GROUP_SIZE}. */
  rowGroupSize?: number;
  /** Running totals (rows encoded, bytes produced), after each row group. */
  onProgress?: (progress: CsvProgress) => void;
}

/**
 * Default rows per row group: 16 Ki rows keep a 10-column table's row group
 * (values, their conversions, the writer's copies and the encoded pages) to
 * tens of MB of heap. Measured on 1M rows of the bench table (writer alone):
 * peak RSS 207 MB with 16 Ki, 265 MB with 32 Ki, 330 MB with 64 Ki; CPU
 * time also drops with smaller groups (less garbage to collect).
 */
export const DEFAULT_ROW_GROUP_SIZE = 16_384;

type HyparquetWriter = typeof import('hyparquet-writer');
let library: Promise<HyparquetWriter> | undefined;

/** Imports hyparquet-writer once, when the first Parquet file is written. */
function loadWriter(): Promise<HyparquetWriter> {
  library ??= import('hyparquet-writer');
  return library;
}

/**
 * Encodes rows (an array / iterable / async iterable of row objects) or a
 * Dataset as a Parquet file, streamed: each row group is written (and its
 * bytes handed downstream) as soon as it fills, so memory holds one row group
 * whatever the table's size. Column types come from `options.types`, else
 * the Dataset's column types, else the values of the first row group (see
 * the README, "Parquet").
 *
 * @throws TypeError (as a stream error) when a value does not fit its
 *   column's type, naming the column, the row and the fix.
 */
export function parquetStream(input: unknown, options: ParquetStreamOptions = {}): Readable {
  const rowGroupSize = options.rowGroupSize ?? DEFAULT_ROW_GROUP_SIZE;
  if (!Number.isInteger(rowGroupSize) || rowGroupSize < 1) {
    throw new TypeError(`rowGroupSize must be a positive integer; got ${String(rowGroupSize)}`);
  }
  for (const [column, type] of Object.entries(options.types ?? {})) {
    if (!isParquetColumnType(type)) {
      throw new TypeError(
        `types.${column} is ${JSON.stringify(type)}; expected one of int32, int64, double, boolean, string, binary, json, date, timestamp, decimal(p,s) (1 ≤ p ≤ 38, s ≤ p)`,
      );
    }
  }
  return Readable.from(parquetChunks(input, rowGroupSize, options), { objectMode: false });
}

async function* parquetChunks(input: unknown, rowGroupSize: number, options: ParquetStreamOptions): AsyncGenerator<Buffer> {
  const { ByteWriter, ParquetWriter } = await loadWriter();
  const source = tableSource(input);
  const bytes = new ByteWriter(1 << 20) as InstanceType<HyparquetWriter['ByteWriter']> & { flush?: () => void };
  // Called by the writer after each row group (and by finish()): hand the bytes on, reuse the buffer.
  const out: Buffer[] = [];
  bytes.flush = () => {
    if (bytes.index > 0) out.push(Buffer.from(bytes.getBytes()));
    bytes.index = 0;
  };
  bytes.finish = bytes.flush;

  let plans: ParquetColumnPlan[] | undefined;
  let writer: InstanceType<HyparquetWriter['ParquetWriter']> | undefined;
  // The first row group is kept as read, to choose the column types from its values; later rows are
  // converted straight into the column arrays, which are reused from group to group.
  let first: unknown[][] | undefined = [];
  let columns: unknown[][] = [];
  let filled = 0;
  let rowsBefore = 0;
  let rows = 0;
  let produced = 0;

  const start = () => {
    const sample = first!;
    plans = source.columns.map((name, c) => {
      const declared = options.types?.[name] as ParquetColumnType | undefined;
      const type = declared ?? chooseParquetType(source.types?.[c], sample.map((r) => r[c]));
      return planColumn(name, type);
    });
    const schema = [{ name: 'root', num_children: plans.length }, ...plans.map((p) => p.element)];
    writer = new ParquetWriter({ writer: bytes, schema: schema as never, createdBy: 'bigrays (hyparquet-writer)' });
    columns = plans.map(() => new Array<unknown>(rowGroupSize));
    first = undefined;
    for (const values of sample) add(values);
  };

  const add = (values: unknown[]) => {
    const p = plans!;
    const k = filled;
    let c = 0;
    try {
      for (; c < p.length; c++) {
        const v = values[c];
        columns[c]![k] = v === null || v === undefined ? null : p[c]!.convert(v);
      }
    } catch (err) {
      throw valueError(p[c]!, rowsBefore + k + 1, err);
    }
    filled = k + 1;
  };

  const writeGroup = async () => {
    const n = filled;
    const columnData = plans!.map((plan, c) => ({ name: plan.name, data: n === rowGroupSize ? columns[c]! : columns[c]!.slice(0, n) }));
    await writer!.write({ columnData: columnData as never, rowGroupSize: n });
    filled = 0;
    rowsBefore += n;
  };

  const drain = function* () {
    while (out.length > 0) {
      const chunk = out.shift()!;
      produced += chunk.length;
      yield chunk;
    }
    options.onProgress?.({ rows, bytes: produced });
  };

  for await (const batch of source.batches) {
    for (const values of batch) {
      rows++;
      if (first !== undefined) {
        first.push(values);
        if (first.length < rowGroupSize) continue;
        start();
      } else add(values);
      if (filled >= rowGroupSize) {
        await writeGroup();
        yield* drain();
      }
    }
  }
  if (first !== undefined) start();
  if (filled > 0) await writeGroup();
  await writer!.finish();
  yield* drain();
}

function valueError(plan: ParquetColumnPlan, row: number, cause: unknown): TypeError {
  const reason = errorMessage(cause);
  return new TypeError(
    `column '${plan.name}', row ${row}: ${reason}, so it does not fit the column's Parquet type ${plan.type}; ` +
      `declare the column's type, e.g. \`types = { ${JSON.stringify(plan.name)}: '${suggestion(plan.type)}' }\``,
    { cause },
  );
}

function suggestion(type: ParquetColumnType): string {
  if (type === 'int32') return 'int64';
  if (type === 'int64') return 'double';
  if (type.startsWith('decimal')) return 'decimal(38,10)';
  return 'string';
}
