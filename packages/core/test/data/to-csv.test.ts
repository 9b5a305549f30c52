import { afterEach, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { existsSync, lstatSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { COLUMN_SAMPLE_ROWS } from '../../src/data/csv-writer.js';
import { DatasetWriter } from '../../src/data/dataset-writer.js';
import { deleteAllSpoolFiles, liveSpoolFiles } from '../../src/data/spool-files.js';
import { TaskError } from '../../src/errors/errors.js';
import { withTaskScope, type Progress, type TaskScope } from '../../src/context/task-context.js';
import { ToCSV, cutUtf8, tempName } from '../../src/tasks/to-csv.js';
import { filesIn, tempDir } from './helpers.js';

class ExportRows extends ToCSV {}

function task(filename: string, input: unknown, overwrite = false): ExportRows {
  const t = new ExportRows();
  t.filename = filename;
  t.input = input;
  t.overwrite = overwrite;
  return t;
}

function scope(signal = new AbortController().signal, progress: Progress[] = []): TaskScope {
  return { task: 'ExportRows', signal, run: { onJobEnd: () => undefined }, report: (p) => progress.push({ ...p }) };
}

afterEach(async () => {
  await deleteAllSpoolFiles();
});

describe('ToCSV', () => {
  it('declares its required and template attributes for the planner', () => {
    expect(ToCSV.requiredAttributes).toEqual(['filename', 'input']);
    expect(ToCSV.templateAttributes).toEqual(['filename']);
    expect(new ExportRows().overwrite).toBe(false);
  });

  it('writes rows as CSV with a header, creating directories, and returns the absolute path', async () => {
    const dir = tempDir();
    const file = join(dir, 'a', 'b', 'out.csv');
    const result = await task(relative(process.cwd(), file), [{ id: 1, name: 'x, y' }, { id: 2, name: null }]).run();
    expect(result).toBe(resolve(file));
    expect(readFileSync(file, 'utf8')).toBe('id,name\n1,"x, y"\n2,\n');
    expect(filesIn(join(dir, 'a', 'b'))).toEqual(['out.csv']);
  });

  it('copies a Dataset byte for byte', async () => {
    const w = await DatasetWriter.create([{ name: 'n', type: 'integer' }, { name: 's', type: 'text' }]);
    for (let i = 0; i < 1000; i++) w.writeRow([i, `row "${i}"\n`]);
    const ds = await w.finish();
    const file = join(tempDir(), 'ds.csv');
    const progress: Progress[] = [];
    await withTaskScope(scope(undefined, progress), () => task(file, ds).run());
    expect(readFileSync(file)).toEqual(readFileSync(ds.path));
    expect(progress.at(-1)).toEqual({ rows: 1000, bytes: ds.byteLength });
    expect(liveSpoolFiles()).toEqual([ds.path]);
  });

  it('writes strings, Buffers, Uint8Arrays and Readables as is', async () => {
    const dir = tempDir();
    await task(join(dir, 's.txt'), 'héllo\n').run();
    await task(join(dir, 'b.bin'), Buffer.from([0, 1, 2])).run();
    await task(join(dir, 'u.bin'), new Uint8Array([7, 8])).run();
    await task(join(dir, 'r.txt'), Readable.from([Buffer.from('stre'), Buffer.from('am')])).run();
    expect(readFileSync(join(dir, 's.txt'), 'utf8')).toBe('héllo\n');
    expect([...readFileSync(join(dir, 'b.bin'))]).toEqual([0, 1, 2]);
    expect([...readFileSync(join(dir, 'u.bin'))]).toEqual([7, 8]);
    expect(readFileSync(join(dir, 'r.txt'), 'utf8')).toBe('stream');
  });

  it('writes an async iterable of rows, reporting rows and bytes', async () => {
    async function* rows() {
      for (let i = 0; i < 3; i++) yield { i, sq: i * i };
    }
    const file = join(tempDir(), 'async.csv');
    const progress: Progress[] = [];
    await withTaskScope(scope(undefined, progress), () => task(file, rows()).run());
    expect(readFileSync(file, 'utf8')).toBe('i,sq\n0,0\n1,1\n2,4\n');
    expect(progress.at(-1)).toEqual({ rows: 3, bytes: 17 });
  });

  it('refuses to overwrite an existing file by default and leaves it untouched', async () => {
    const dir = tempDir();
    const file = join(dir, 'keep.csv');
    writeFileSync(file, 'precious');
    const err = await task(file, [{ a: 1 }]).run().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TaskError);
    expect((err as TaskError).task).toBe('ExportRows');
    expect((err as Error).message).toBe(
      `ExportRows: ${file} already exists and was left untouched; set \`overwrite = true\` on the task to replace it`,
    );
    expect(readFileSync(file, 'utf8')).toBe('precious');
    expect(filesIn(dir)).toEqual(['keep.csv']);
  });

  it('releases a stream input it will not write', async () => {
    const dir = tempDir();
    const file = join(dir, 'taken.csv');
    writeFileSync(file, 'x');
    const input = Readable.from([Buffer.from('unused')]);
    await expect(task(file, input).run()).rejects.toThrow('already exists');
    expect(input.destroyed).toBe(true);
  });

  it('never replaces a file that appears while it is writing', async () => {
    const dir = tempDir();
    const file = join(dir, 'race.csv');
    async function* rows() {
      yield { a: 1 };
      writeFileSync(file, 'created meanwhile');
      yield { a: 2 };
    }
    await expect(task(file, rows()).run()).rejects.toThrow('already exists');
    expect(readFileSync(file, 'utf8')).toBe('created meanwhile');
    expect(filesIn(dir)).toEqual(['race.csv']);
  });

  it('replaces an existing file when overwrite is true', async () => {
    const dir = tempDir();
    const file = join(dir, 'replace.csv');
    writeFileSync(file, 'old');
    await task(file, [{ a: 'new' }], true).run();
    expect(readFileSync(file, 'utf8')).toBe('a\nnew\n');
    expect(filesIn(dir)).toEqual(['replace.csv']);
  });

  it('leaves no file and no temporary file when the input fails midway', async () => {
    const dir = tempDir();
    const file = join(dir, 'broken.csv');
    async function* rows() {
      for (let i = 0; i < 100_000; i++) yield { i, pad: 'x'.repeat(50) };
      throw new Error('upstream exploded');
    }
    const err = await task(file, rows()).run().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TaskError);
    expect((err as Error).message).toBe(`ExportRows: writing ${file} failed: upstream exploded`);
    expect(((err as Error).cause as Error).message).toBe('upstream exploded');
    expect(existsSync(file)).toBe(false);
    expect(filesIn(dir)).toEqual([]);
  });

  it('stops and cleans up when the task signal aborts', async () => {
    const dir = tempDir();
    const file = join(dir, 'aborted.csv');
    const controller = new AbortController();
    async function* endless() {
      for (let i = 0; ; i++) {
        if (i % 1000 === 0) await new Promise((r) => setTimeout(r, 1));
        yield { i };
      }
    }
    setTimeout(() => controller.abort(new Error('job interrupted')), 50);
    await expect(withTaskScope(scope(controller.signal), () => task(file, endless()).run())).rejects.toMatchObject({
      name: 'AbortError',
    });
    expect(filesIn(dir)).toEqual([]);
  });

  it('names the task and the accepted types for an unsupported input', async () => {
    const dir = tempDir();
    const err = await task(join(dir, 'x.csv'), 42).run().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TaskError);
    expect((err as Error).message).toBe(
      'ExportRows.input must be an array of row objects, a Dataset, an iterable or async iterable of row objects, ' +
        'a string, a Buffer/Uint8Array, or a Readable stream; got number (42)',
    );
    expect(filesIn(dir)).toEqual([]);
  });

  it('rejects a missing filename and a directory as target', async () => {
    await expect(task(undefined as never, 'x').run()).rejects.toThrow('ExportRows.filename must be a non-empty path; got undefined');
    const dir = tempDir();
    await expect(task(dir, 'x', true).run()).rejects.toThrow(`ExportRows: ${dir} is a directory`);
  });

  it('refuses to copy a deleted Dataset, with the Dataset error', async () => {
    const ds = await (await DatasetWriter.create([{ name: 'a', type: 'text' }])).finish();
    await ds.delete();
    const dir = tempDir();
    await expect(task(join(dir, 'x.csv'), ds).run()).rejects.toThrow('was deleted');
    expect(filesIn(dir)).toEqual([]);
  });

  // Issue 10, finding 4: keys first seen after the sample were dropped, exit 0.
  it('fails, naming the task, the row and the key, on a key first seen after the sampled rows; writes nothing', async () => {
    const dir = tempDir();
    const file = join(dir, 'late-key.csv');
    function* rows() {
      for (let i = 1; i <= COLUMN_SAMPLE_ROWS + 2; i++) yield i === COLUMN_SAMPLE_ROWS + 2 ? { id: i, late: 'x' } : { id: i };
    }
    const err = await task(file, rows()).run().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TaskError);
    expect((err as TaskError).task).toBe('ExportRows');
    expect((err as Error).message).toContain(`ExportRows: writing ${file} failed: row ${COLUMN_SAMPLE_ROWS + 2} of the input has the column 'late'`);
    expect(filesIn(dir)).toEqual([]);
    // A key within the sample is a column like any other.
    async function* early() {
      yield { id: 1 };
      yield { id: 2, early: 'y' };
    }
    await task(join(dir, 'early.csv'), early()).run();
    expect(readFileSync(join(dir, 'early.csv'), 'utf8')).toBe('id,early\n1,\n2,y\n');
  });

  // Issue 10, finding 10: an empty result, rows vs Dataset.
  it('writes the header of an empty Dataset, and a 0-byte file for empty rows (no columns are known)', async () => {
    const dir = tempDir();
    const ds = await (await DatasetWriter.create([{ name: 'a', type: 'text' }, { name: 'b', type: 'integer' }])).finish();
    await task(join(dir, 'ds.csv'), ds).run();
    expect(readFileSync(join(dir, 'ds.csv'), 'utf8')).toBe('a,b\n');
    async function* none() {}
    await task(join(dir, 'array.csv'), []).run();
    await task(join(dir, 'iter.csv'), none()).run();
    expect(readFileSync(join(dir, 'array.csv'), 'utf8')).toBe('');
    expect(readFileSync(join(dir, 'iter.csv'), 'utf8')).toBe('');
  });

  // Issue 10, finding 14: overwrite replaced FIFOs, devices and symbolic links with regular files.
  it('refuses to replace a symbolic link, a FIFO or a device even with overwrite, and leaves it untouched', async () => {
    const dir = tempDir();
    const real = join(dir, 'real.csv');
    writeFileSync(real, 'precious');
    const link = join(dir, 'link.csv');
    symlinkSync(real, link);
    const err = await task(link, [{ a: 1 }], true).run().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TaskError);
    expect((err as Error).message).toBe(
      `ExportRows: ${link} is a symbolic link, not a regular file, and was left untouched; ToCSV replaces only regular files ` +
        '(even with `overwrite = true`): remove it or set filename to another path',
    );
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readFileSync(real, 'utf8')).toBe('precious');
    // Without overwrite too: the message must not suggest `overwrite = true`.
    await expect(task(link, [{ a: 1 }]).run()).rejects.toThrow(`ExportRows: ${link} is a symbolic link, not a regular file`);

    const fifo = join(dir, 'pipe.csv');
    execFileSync('mkfifo', [fifo]);
    const input = Readable.from([Buffer.from('unused')]);
    await expect(task(fifo, input, true).run()).rejects.toThrow(`ExportRows: ${fifo} is a FIFO (named pipe), not a regular file`);
    expect(lstatSync(fifo).isFIFO()).toBe(true);
    expect(input.destroyed).toBe(true);

    // A character device of our own (1,3 is /dev/null): needs root, as replacing the real /dev/null did.
    const dev = join(dir, 'null.csv');
    let haveDevice = false;
    try {
      execFileSync('mknod', [dev, 'c', '1', '3'], { stdio: 'ignore' });
      haveDevice = true;
    } catch {
      // not root: the FIFO and the link above cover the check
    }
    if (haveDevice) {
      await expect(task(dev, 'x', true).run()).rejects.toThrow(`ExportRows: ${dev} is a character device, not a regular file`);
      expect(lstatSync(dev).isCharacterDevice()).toBe(true);
    }
    expect(filesIn(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('refuses a symbolic link that appears at the target while the file is being written', async () => {
    const dir = tempDir();
    const file = join(dir, 'swapped.csv');
    writeFileSync(file, 'old');
    const elsewhere = join(dir, 'elsewhere.csv');
    writeFileSync(elsewhere, 'keep');
    async function* rows() {
      yield { a: 1 };
      rmSync(file);
      symlinkSync(elsewhere, file);
      yield { a: 2 };
    }
    await expect(task(file, rows(), true).run()).rejects.toThrow(`ExportRows: ${file} is a symbolic link, not a regular file`);
    expect(lstatSync(file).isSymbolicLink()).toBe(true);
    expect(filesIn(dir)).toEqual(['elsewhere.csv', 'swapped.csv']);
  });

  // Issue 10, finding 22: temporary names were cut by characters, not bytes.
  it('writes to a valid 240-byte file name of multi-byte characters', async () => {
    const dir = tempDir();
    for (const name of ['日'.repeat(80), 'é'.repeat(118) + '.csv', '🎉'.repeat(59) + '.csv', 'a'.repeat(251) + '.csv']) {
      expect(Buffer.byteLength(name)).toBeLessThanOrEqual(255);
      const file = join(dir, name);
      await task(file, [{ a: 1 }]).run();
      expect(readFileSync(file, 'utf8')).toBe('a\n1\n');
    }
    expect(filesIn(dir).filter((f) => f.startsWith('.'))).toEqual([]);
  });

  it('cuts temporary names by UTF-8 bytes, between code points', () => {
    for (const name of ['日'.repeat(85), '🎉'.repeat(64), 'x' + '🎉'.repeat(63), 'a'.repeat(255)]) {
      const temp = tempName(name);
      expect(Buffer.byteLength(temp)).toBeLessThanOrEqual(255);
      expect(Buffer.from(temp).toString('utf8')).toBe(temp);
      // A split surrogate pair would not survive the round trip (it becomes U+FFFD).
      expect(temp.startsWith('.')).toBe(true);
    }
    expect(cutUtf8('a🎉b', 4)).toBe('a');
    expect(cutUtf8('a🎉b', 5)).toBe('a🎉');
    expect(cutUtf8('日本', 5)).toBe('日');
    expect(cutUtf8('short', 255)).toBe('short');
  });
});
