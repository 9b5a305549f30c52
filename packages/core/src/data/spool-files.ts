/**
 * Bookkeeping of spool files, so that none outlives the process.
 *
 * Jobs delete their spool files when they end (see `DatasetWriter`); this
 * registry is the backstop for everything else: a writer used outside a run,
 * a crash between creating and finishing a file, a user who never deletes a
 * Dataset. On process exit every file still registered is unlinked and the
 * per-process spool directory is removed.
 *
 * @module
 */
import { lstatSync, mkdirSync, mkdtempSync, readdirSync, rmSync, unlinkSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';

const live = new Set<string>();
let spoolDirectory: string | undefined;
let exitHookInstalled = false;

/**
 * The per-process spool directory,
 * `os.tmpdir()/bigrays-spool-<pid>-<host tag>-<random>/`, created on first
 * use. Per process so that concurrent jobs never share one and the exit hook
 * may remove it whole. The host tag tells {@link sweepStaleSpoolDirs} whether
 * `<pid>` is a process it can see.
 */
export function spoolDir(): string {
  if (spoolDirectory === undefined) {
    startSpoolSweep();
    spoolDirectory = mkdtempSync(join(tmpdir(), `bigrays-spool-${process.pid}-${hostTag()}-`));
    installExitHook();
  } else {
    // Someone (a tmp cleaner, a test) may have removed it since.
    mkdirSync(spoolDirectory, { recursive: true });
  }
  return spoolDirectory;
}

/** Registers a spool file for deletion at process exit. */
export function trackSpoolFile(path: string): void {
  live.add(path);
  installExitHook();
}

/** Forgets a spool file (it was deleted, or handed over to the user). */
export function untrackSpoolFile(path: string): void {
  live.delete(path);
}

/** Paths of spool files that have not been deleted yet. Tests use it to check nothing leaks. */
export function liveSpoolFiles(): string[] {
  return [...live];
}

/**
 * Deletes every registered spool file now (missing files are ignored), and
 * the per-process spool directory; a later writer creates a new one.
 * Call it only when no writer is active.
 */
export async function deleteAllSpoolFiles(): Promise<void> {
  const paths = [...live];
  live.clear();
  await Promise.all(paths.map((p) => rm(p, { force: true })));
  const dir = spoolDirectory;
  spoolDirectory = undefined;
  // Also the backstop for hosts where the 'exit' hook cannot fire (Jest gives each test file its own `process`).
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
}

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // 'exit' listeners must be synchronous: nothing async runs after this point.
  process.on('exit', removeAllSync);
}

function removeAllSync(): void {
  for (const path of live) {
    try {
      unlinkSync(path);
    } catch {
      // Already gone, or not ours to remove any more; exiting must not throw.
    }
  }
  live.clear();
  if (spoolDirectory !== undefined) {
    try {
      rmSync(spoolDirectory, { recursive: true, force: true });
    } catch {
      // Same: best effort at exit.
    }
  }
}

// ---------------------------------------------------------------------------
// Sweeping the spool directories of processes that were killed
// ---------------------------------------------------------------------------

/** `bigrays-spool-<pid>-<host tag>-<random>`; the host tag is missing in names made by older versions. */
const SPOOL_DIR_NAME = /^bigrays-spool-(\d+)-(?:(h[0-9a-f]{8})-)?[A-Za-z0-9]{6}$/;
/** A directory without a host tag may belong to another host or container sharing the temp dir: only this old is it swept. */
const UNTAGGED_MIN_AGE_MS = 24 * 60 * 60 * 1000;

let sweepStarted = false;

/**
 * Runs {@link sweepStaleSpoolDirs} on the OS temp dir once per process; it
 * never fails the caller. Called when a run starts and when a process first
 * spools. Synchronous so that it completes even when the job is short and the
 * process exits right after it: it costs a `readdir` when nothing is stale.
 */
export function startSpoolSweep(): void {
  if (sweepStarted) return;
  sweepStarted = true;
  sweepStaleSpoolDirs();
}

/**
 * Removes the spool directories that processes killed before their exit hook
 * could run (SIGKILL, OOM, power loss) left in `dir`, and returns their paths.
 * A directory is removed only when all of these hold:
 * - its name is ours (`bigrays-spool-<pid>-…`) and it is a real directory, not a link;
 * - it belongs to the current user;
 * - it was made on this host (its host tag; an untagged one must be a day old);
 * - its `<pid>` is not a running process (a running one, even another user's, keeps it).
 *
 * Costs one `readdir` of `dir` plus an `lstat` per directory named like ours
 * whose process is gone. Never throws.
 */
export function sweepStaleSpoolDirs(dir: string = tmpdir(), now: number = Date.now()): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const tag = hostTag();
  const uid = typeof process.getuid === 'function' ? process.getuid() : undefined;
  const removed: string[] = [];
  for (const name of names) {
    const m = SPOOL_DIR_NAME.exec(name);
    if (m === null) continue;
    const pid = Number(m[1]);
    if (pid === process.pid || (m[2] !== undefined && m[2] !== tag) || processExists(pid)) continue;
    const path = join(dir, name);
    try {
      const st = lstatSync(path);
      if (!st.isDirectory() || (uid !== undefined && st.uid !== uid)) continue;
      if (m[2] === undefined && now - st.mtimeMs < UNTAGGED_MIN_AGE_MS) continue;
      rmSync(path, { recursive: true, force: true });
      removed.push(path);
    } catch {
      // Gone meanwhile, or not ours to remove: leave it.
    }
  }
  return removed;
}

/** True when a process with this id is running (EPERM: it runs, as another user). */
function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

let cachedHostTag: string | undefined;

/** `h` + 8 hex digits of a hash (FNV-1a) of the host name: process ids are only meaningful on the host that made them. */
export function hostTag(): string {
  if (cachedHostTag === undefined) {
    let h = 0x811c9dc5;
    for (const ch of Buffer.from(hostname())) h = Math.imul(h ^ ch, 0x01000193) >>> 0;
    cachedHostTag = 'h' + h.toString(16).padStart(8, '0');
  }
  return cachedHostTag;
}
