/**
 * Writes that a `kill -9` can never leave half done: the bytes go to a
 * temporary file next to the target, which is then renamed over it (rename
 * is atomic within a file system). No fsync: the promise is about the
 * process dying, not the machine losing power, and an fsync per write would
 * make the ledger the slowest part of a 10,000-task job.
 *
 * @module
 */
import { randomBytes } from 'node:crypto';
import { link, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { renameSync, rmSync, writeFileSync } from 'node:fs';

const tempName = (path: string) => `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;

/** Replaces `path` with `data` atomically. */
export async function writeFileAtomic(path: string, data: string | Buffer): Promise<void> {
  const temp = tempName(path);
  try {
    await writeFile(temp, data, { flag: 'wx' });
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

/** Synchronous {@link writeFileAtomic} (for the heartbeat and `exit` paths). */
export function writeFileAtomicSync(path: string, data: string | Buffer): void {
  const temp = tempName(path);
  try {
    writeFileSync(temp, data, { flag: 'wx' });
    renameSync(temp, path);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
}

/**
 * Creates `path` with `data` only if it does not exist (atomic: a complete
 * file or none). Resolves false when it exists.
 */
export async function createFileExclusive(path: string, data: string | Buffer): Promise<boolean> {
  const temp = tempName(path);
  await writeFile(temp, data, { flag: 'wx' });
  try {
    await link(temp, path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    await rm(temp, { force: true });
  }
}

/** Reads a JSON file; undefined when it is missing or not valid JSON (a torn or foreign file). */
export async function readJson<T>(path: string): Promise<T | undefined> {
  const text = await readTextIfExists(path);
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text) as T;
  } catch {
    return undefined;
  }
}

/** A file's text; undefined when it does not exist (any other error is thrown). */
export async function readTextIfExists(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}
