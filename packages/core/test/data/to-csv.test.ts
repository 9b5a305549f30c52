import { afterEach, describe, expect, it } from '@jest/globals';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { DatasetWriter } from '../../src/data/dataset-writer.js';
import { deleteAllSpoolFiles, liveSpoolFiles } from '../../src/data/spool-files.js';
import { TaskError } from '../../src/errors/errors.js';
import { withTaskScope, type Progress, type TaskScope } from '../../src/run/task-context.js';
import { ToCSV } from '../../src/tasks/to-csv.js';
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
});
