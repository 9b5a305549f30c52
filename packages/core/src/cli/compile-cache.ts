import { createHash } from 'node:crypto';
import { chmodSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { errorMessage } from '../errors/message.js';

/**
 * The compile cache of TypeScript jobs: `$TMPDIR/bigrays-jobs-<uid>`, one
 * `<key>.mjs` (the compiled job, its source inlined as a source map, so it
 * holds whatever the job's source holds) and one `<key>.json` manifest per
 * job file. A cached module runs with the job's `BIGRAYS_*` secrets, so
 * nothing in it is trusted that another user could have put there: the
 * directory must be ours, a real directory, closed to group and others; a
 * manifest names its job, its inputs (size, mtime and SHA-256 each) and the
 * SHA-256 of the module. Entries of jobs that no longer exist, or unused for
 * 30 days, are deleted.
 */
const FORMAT = 2;
const UNUSED_FOR_MS = 30 * 24 * 3600 * 1000;
/** A temporary or half-written file this old belongs to no running compile. */
const STALE_MS = 3600 * 1000;

interface Input {
  path: string;
  size: number;
  mtimeMs: number;
  sha256: string;
}

interface Manifest {
  format: number;
  /** The job file the entry was compiled from (entries whose job is gone are pruned). */
  job: string;
  /** SHA-256 of `<key>.mjs`. */
  module: string;
  inputs: Input[];
}

/** The cache cannot be used this time; `message` says why and how to fix it. */
export class CompileCacheError extends Error {}

/** `$TMPDIR/bigrays-jobs-<uid>`. */
export function compileCacheDir(): string {
  return join(tmpdir(), `bigrays-jobs-${process.getuid?.() ?? 'user'}`);
}

/**
 * Makes `dir` ready and private: creates it with mode 0700, or checks the
 * existing one. One open to group or others is emptied (anything in it may
 * have been planted) and closed. Returns a note when it had to do that.
 *
 * @throws CompileCacheError when the directory is not ours, not a directory, or cannot be created.
 */
export function prepareCacheDir(dir: string): string | undefined {
  try {
    mkdirSync(dir, { mode: 0o700 });
    chmodSync(dir, 0o700);
    return undefined;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw unusable(dir, errorMessage(error), 'make its parent writable or set TMPDIR to another directory');
  }
  const stat = lstatSync(dir);
  const uid = process.getuid?.();
  if (stat.isSymbolicLink()) throw unsafe(dir, 'a symbolic link');
  if (!stat.isDirectory()) throw unusable(dir, 'it is a file, not a directory', `remove it (rm ${dir}) or set TMPDIR to another directory`);
  if (uid !== undefined && stat.uid !== uid) throw unsafe(dir, `owned by uid ${stat.uid}, not by you`);
  if ((stat.mode & 0o077) === 0) return undefined;
  const mode = (stat.mode & 0o777).toString(8);
  try {
    for (const entry of readdirSync(dir)) rmSync(join(dir, entry), { recursive: true, force: true });
    chmodSync(dir, 0o700);
  } catch (error) {
    throw unsafe(dir, `open to other users (mode ${mode}) and could not be emptied: ${errorMessage(error)}`);
  }
  return `the compile cache ${dir} was open to other users (mode ${mode}): emptied it and made it private (0700)`;
}

/** The cached module of `job` if every check holds, else undefined (then it is compiled again). */
export function freshModule(dir: string, key: string, job: string): string | undefined {
  const modulePath = join(dir, `${key}.mjs`);
  const manifestPath = join(dir, `${key}.json`);
  try {
    if (!ownRegularFile(modulePath) || !ownRegularFile(manifestPath)) return undefined;
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as Manifest;
    if (manifest.format !== FORMAT || manifest.job !== job || !Array.isArray(manifest.inputs)) return undefined;
    // A manifest without inputs, or without the job itself, would be "fresh" forever.
    if (!manifest.inputs.some((input) => input.path === job)) return undefined;
    for (const input of manifest.inputs) {
      const stat = statSync(input.path);
      if (stat.size !== input.size || stat.mtimeMs !== input.mtimeMs || sha256(readFileSync(input.path)) !== input.sha256) return undefined;
    }
    if (sha256(readFileSync(modulePath)) !== manifest.module) return undefined;
    const now = new Date();
    utimesSync(manifestPath, now, now); // last use, for pruning
    return modulePath;
  } catch {
    return undefined;
  }
}

/**
 * Writes the compiled module and its manifest (0600, each through a new
 * temporary file renamed into place). Returns the module's path.
 */
export function storeModule(dir: string, key: string, job: string, code: Uint8Array, inputs: readonly string[]): string {
  const modulePath = join(dir, `${key}.mjs`);
  const manifest: Manifest = {
    format: FORMAT,
    job,
    module: sha256(code),
    inputs: inputs.map((path) => {
      const content = readFileSync(path);
      const stat = statSync(path);
      return { path, size: stat.size, mtimeMs: stat.mtimeMs, sha256: sha256(content) };
    }),
  };
  writePrivately(modulePath, code);
  writePrivately(join(dir, `${key}.json`), JSON.stringify(manifest));
  return modulePath;
}

/** Deletes entries whose job is gone or that were not used for 30 days, and stale temporary files. Never throws. */
export function pruneCache(dir: string, now = Date.now()): void {
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return;
  }
  const names = new Set(entries);
  const age = (name: string) => now - lstatSync(join(dir, name)).mtimeMs;
  for (const name of entries) {
    try {
      if (name.endsWith('.json')) {
        const key = name.slice(0, -'.json'.length);
        if (isStaleManifest(join(dir, name), age(name))) {
          rmSync(join(dir, `${key}.mjs`), { force: true });
          rmSync(join(dir, name), { force: true });
        }
      } else if (name.endsWith('.mjs')) {
        if (!names.has(`${name.slice(0, -'.mjs'.length)}.json`) && age(name) > STALE_MS) rmSync(join(dir, name), { force: true });
      } else if (age(name) > STALE_MS) {
        rmSync(join(dir, name), { recursive: true, force: true });
      }
    } catch {
      // Another bigrays process may be pruning too.
    }
  }
}

function isStaleManifest(path: string, ageMs: number): boolean {
  if (ageMs > UNUSED_FOR_MS) return true;
  try {
    const manifest = JSON.parse(readFileSync(path, 'utf8')) as Partial<Manifest>;
    return manifest.format !== FORMAT || typeof manifest.job !== 'string' || !existsSync(manifest.job);
  } catch {
    // Half-written by a concurrent compile (renamed into place, so only when very old) or corrupt.
    return ageMs > STALE_MS;
  }
}

function ownRegularFile(path: string): boolean {
  const stat = lstatSync(path);
  const uid = process.getuid?.();
  return stat.isFile() && (uid === undefined || stat.uid === uid) && (stat.mode & 0o077) === 0;
}

function writePrivately(path: string, content: string | Uint8Array): void {
  const temporary = `${path}.${process.pid}.${Math.random().toString(16).slice(2, 10)}.tmp`;
  // 'wx': never write through something already there (a planted symlink).
  writeFileSync(temporary, content, { mode: 0o600, flag: 'wx' });
  try {
    renameSync(temporary, path);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
}

function sha256(content: string | Uint8Array): string {
  return createHash('sha256').update(content).digest('hex');
}

function unsafe(dir: string, why: string): CompileCacheError {
  return new CompileCacheError(`the compile cache ${dir} is not safe to use (${why}); the job was compiled in memory (not cached): remove it (rm -rf ${dir}) or set TMPDIR to a private directory`);
}

function unusable(dir: string, why: string, fix: string): CompileCacheError {
  return new CompileCacheError(`the compile cache ${dir} is not usable (${why}); the job was compiled in memory (not cached): ${fix}`);
}

/** Why writing into an existing, private cache dir failed, with the fix. */
export function storeFailure(dir: string, error: unknown): CompileCacheError {
  return unusable(dir, errorMessage(error), 'free space there, make it writable, or set TMPDIR to another directory');
}
