/**
 * `ToCSV`: the built-in task that writes a table (or text, or bytes) to a
 * local file.
 *
 * @module
 */
import { randomBytes } from 'node:crypto';
import { createWriteStream, type Stats, type WriteStream } from 'node:fs';
import { constants, copyFile, link, lstat, mkdir, rename, rm } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Dataset } from '../data/dataset.js';
import { describeValue } from '../data/table-input.js';
import { checkTableInput, encodeTable, type TableCompression, type TableFormat } from '../formats/encode.js';
import type { ParquetStreamOptions } from '../formats/parquet/write.js';
import { TaskError } from '../errors/errors.js';
import { errorMessage } from '../errors/message.js';
import { currentTask, taskSignal } from '../context/task-context.js';
import { trackSpoolFile, untrackSpoolFile } from '../data/spool-files.js';
import { CopyProgress } from '../data/copy-progress.js';


/**
 * Writes `input` to the local file `filename` and outputs its absolute path.
 *
 * `input` may be rows (an array, iterable or async iterable of objects:
 * written as CSV with a header), a `Dataset` (its CSV file is copied as is),
 * a string, a Buffer/Uint8Array, or a Readable stream (written as is).
 *
 * The file appears complete or not at all: it is written to a temporary file
 * next to it and then moved into place, and the temporary file is removed on
 * any failure or abort. An existing file is an error unless `overwrite` is
 * true; it is left untouched.
 *
 * A base class: extend it and decorate the subclass with `@Task()`.
 *
 * @example
 * \@Task()
 * class ExportPredictions extends ToCSV {
 *   \@Input(MakePredictions) input!: Row[];
 *   filename = 'out/{run_date}/predictions.csv';
 * }
 */
// Attributes without a default are declared through an interface, not as class fields, so that a
// subclass can redeclare them with a precise type (`@Input(Upstream) input!: Row[]`) without TS2612.
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export interface ToCSV {
  /** Where to write, relative to the working directory unless absolute. Missing directories are created. */
  filename: string;
  /** What to write: rows, a Dataset, a string, bytes or a Readable. */
  input: unknown;
}

// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export class ToCSV {
  static requiredAttributes: readonly string[] = ['filename', 'input'];
  static templateAttributes: readonly string[] = ['filename'];

  /** Replace an existing file. Default `false`: an existing file is an error and is left untouched. */
  overwrite = false;
  /**
   * `'csv'` (default) or `'jsonl'` (JSON Lines: one JSON object per row; rows
   * and Datasets only). `ToParquet` writes `'parquet'`.
   */
  format: TableFormat | (string & Record<never, never>) = 'csv';
  /** `'none'` (default) or `'gzip'` (e.g. for `out.csv.gz`), streamed through zlib. */
  compression: TableCompression | (string & Record<never, never>) = 'none';

  /** Writes the file; resolves to its absolute path. */
  async run(): Promise<string> {
    const task = this.constructor.name;
    const scope = currentTask();
    const signal = taskSignal();
    signal.throwIfAborted();

    if (typeof this.filename !== 'string' || this.filename === '') {
      throw new TaskError(task, `${task}.filename must be a non-empty path; got ${describeValue(this.filename)}`);
    }
    const kind = checkTableInput(this.input, {
      label: `${task}.input`,
      format: this.format,
      compression: this.compression,
      where: task,
      fail: (message, cause) => new TaskError(task, message, cause === undefined ? undefined : { cause }),
    });

    const target = resolve(this.filename);
    const dir = dirname(target);
    try {
      await fsStep(task, `create the directory ${dir}`, () => mkdir(dir, { recursive: true }));
      await this.#checkTarget(task, target);
    } catch (err) {
      // A stream input (an open file, an HTTP body) would otherwise stay open with nobody to read it.
      if (kind === 'stream' && this.input instanceof Readable) this.input.destroy();
      throw err;
    }

    // Called from stream callbacks, which need not run in the task's async context: use the captured scope.
    const progress = new CopyProgress(this.input, (p) => scope?.report(p));

    // Hidden, unique and in the same directory, so the final rename/link never crosses file systems.
    const temp = join(dir, tempName(basename(target)));
    const asIs = this.format === 'csv' && this.compression === 'none';
    const dataset = asIs && kind === 'dataset' && !(this.input as Dataset).deleted ? (this.input as Dataset) : undefined;
    if (dataset) {
      // A spooled Dataset already is the CSV file (header included): copy it whole, at disk speed.
      trackSpoolFile(temp);
      try {
        await copyFile(dataset.path, temp, constants.COPYFILE_EXCL);
        signal.throwIfAborted();
        progress.addBytes(dataset.byteLength);
      } catch (err) {
        await rm(temp, { force: true });
        untrackSpoolFile(temp);
        if (signal.aborted) throw err;
        throw new TaskError(task, `${task}: writing ${target} failed: ${errorMessage(err)}`, { cause: err, userError: false });
      }
    } else {
      await this.#writeStream(task, target, temp, progress, signal);
    }

    try {
      await this.#publish(task, temp, target);
    } finally {
      await rm(temp, { force: true });
      untrackSpoolFile(temp);
    }
    progress.report(true);
    return target;
  }

  /** Encodes the input as CSV (or copies its bytes) into the temporary file. */
  async #writeStream(task: string, target: string, temp: string, progress: CopyProgress, signal: AbortSignal): Promise<void> {
    let source: Readable;
    try {
      source = encodeTable(this.input, {
        format: this.format as TableFormat,
        compression: this.compression as TableCompression,
        label: `${task}.input`,
        onProgress: progress.onEncoded,
        parquet: this.parquetOptions(),
      });
    } catch (err) {
      // E.g. a Dataset deleted before this task ran.
      throw new TaskError(task, `${task}: cannot read the input: ${errorMessage(err)}`, { cause: err });
    }
    const counter = new Transform({
      transform(chunk: Buffer, _encoding, cb) {
        progress.addBytes(chunk.length);
        cb(null, chunk);
      },
    });
    const out = createWriteStream(temp, { flags: 'wx' });
    // Also removed by the exit hook if the process ends before this task's own cleanup runs.
    trackSpoolFile(temp);
    try {
      await pipeline(source, counter, out, { signal });
      signal.throwIfAborted();
    } catch (err) {
      await closed(out);
      await rm(temp, { force: true });
      untrackSpoolFile(temp);
      if (signal.aborted) throw err;
      throw new TaskError(task, `${task}: writing ${target} failed: ${errorMessage(err)}`, { cause: err, userError: false });
    }
  }

  /** @internal Parquet options of a Parquet output (`ToParquet` overrides this). */
  protected parquetOptions(): Omit<ParquetStreamOptions, 'onProgress'> | undefined {
    return undefined;
  }

  async #checkTarget(task: string, target: string): Promise<void> {
    const existing = await lstat(target).catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') return undefined;
      throw new TaskError(task, `${task}: cannot check ${target}: ${err.message}`, { cause: err });
    });
    if (existing === undefined) return;
    if (existing.isDirectory()) {
      throw new TaskError(task, `${task}: ${target} is a directory; set filename to a file path`);
    }
    // Replacing a FIFO, a device or a symbolic link with a regular file is never what was meant (as root it
    // would replace /dev/null), and writing through it is not atomic: refuse anything but a regular file.
    // Checked first, so that the message does not suggest `overwrite = true`, which would not help.
    if (!existing.isFile()) throw notRegularError(task, target, existing);
    if (!this.overwrite) throw existsError(task, target);
  }

  /**
   * Moves the finished temporary file into place. Without `overwrite`, a hard
   * link publishes it only if the name is still free (an atomic check, unlike
   * test-then-rename), so a file created meanwhile is never replaced.
   */
  async #publish(task: string, temp: string, target: string): Promise<void> {
    if (this.overwrite) {
      // Checked again just before the swap: what is there may have changed while the file was written.
      const existing = await lstat(target).catch(() => undefined);
      if (existing !== undefined && !existing.isFile()) {
        throw existing.isDirectory()
          ? new TaskError(task, `${task}: ${target} is a directory; set filename to a file path`)
          : notRegularError(task, target, existing);
      }
      await fsStep(task, `move the finished file to ${target}`, () => rename(temp, target));
      return;
    }
    try {
      await link(temp, target);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') throw existsError(task, target);
      if (!LINK_UNSUPPORTED.has(code ?? '')) {
        throw new TaskError(task, `${task}: cannot create ${target}: ${errorMessage(err)}`, { cause: err });
      }
      // No hard links on this file system: COPYFILE_EXCL still never replaces a file, though not atomically.
      try {
        await copyFile(temp, target, constants.COPYFILE_EXCL);
      } catch (copyErr) {
        if ((copyErr as NodeJS.ErrnoException).code === 'EEXIST') throw existsError(task, target);
        await rm(target, { force: true });
        throw new TaskError(task, `${task}: cannot create ${target}: ${errorMessage(copyErr)}`, { cause: copyErr });
      }
    }
  }
}

/** Error codes of file systems without hard links (FAT, some network and container mounts). */
const LINK_UNSUPPORTED = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS', 'EXDEV', 'EMLINK']);

/** The longest file name most file systems allow (NAME_MAX), in bytes. */
const NAME_MAX_BYTES = 255;

/**
 * `.<name>.<pid>.<random>.tmp`, with `<name>` cut so that the whole stays
 * within NAME_MAX *bytes* (a 240-byte name of 3-byte characters is only 80
 * characters long), and cut between code points so that it stays valid UTF-8.
 */
export function tempName(name: string): string {
  const suffix = `.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  return `.${cutUtf8(name, NAME_MAX_BYTES - 1 - Buffer.byteLength(suffix))}${suffix}`;
}

/** The longest prefix of `s` that is at most `maxBytes` in UTF-8, never splitting a code point. */
export function cutUtf8(s: string, maxBytes: number): string {
  if (Buffer.byteLength(s) <= maxBytes) return s;
  let bytes = 0;
  let end = 0;
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    // A lone surrogate is written as U+FFFD: 3 bytes.
    const n = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
    if (bytes + n > maxBytes) break;
    bytes += n;
    end += ch.length;
  }
  return s.slice(0, end);
}

function notRegularError(task: string, target: string, stats: Stats): TaskError {
  return new TaskError(
    task,
    `${task}: ${target} is ${fileKind(stats)}, not a regular file, and was left untouched; ToCSV replaces only regular files ` +
      '(even with `overwrite = true`): remove it or set filename to another path',
  );
}

function fileKind(stats: Stats): string {
  if (stats.isSymbolicLink()) return 'a symbolic link';
  if (stats.isFIFO()) return 'a FIFO (named pipe)';
  if (stats.isCharacterDevice()) return 'a character device';
  if (stats.isBlockDevice()) return 'a block device';
  if (stats.isSocket()) return 'a socket';
  return 'of another kind';
}

function existsError(task: string, target: string): TaskError {
  return new TaskError(
    task,
    `${task}: ${target} already exists and was left untouched; set \`overwrite = true\` on the task to replace it`,
  );
}

async function fsStep(task: string, what: string, fn: () => Promise<unknown>): Promise<void> {
  try {
    await fn();
  } catch (err) {
    throw new TaskError(task, `${task}: cannot ${what}: ${errorMessage(err)}`, { cause: err });
  }
}

/** Waits until the file descriptor is closed, so the file can be removed on every platform. */
function closed(out: WriteStream): Promise<void> {
  if (out.closed) return Promise.resolve();
  return new Promise((resolve) => {
    out.once('close', resolve);
    out.destroy();
  });
}
