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
import { mkdirSync, mkdtempSync, rmSync, unlinkSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const live = new Set<string>();
let spoolDirectory: string | undefined;
let exitHookInstalled = false;

/**
 * The per-process spool directory, `os.tmpdir()/bigrays-spool-<pid>-<random>/`,
 * created on first use. Per process so that concurrent jobs never share one
 * and the exit hook may remove it whole.
 */
export function spoolDir(): string {
  if (spoolDirectory === undefined) {
    spoolDirectory = mkdtempSync(join(tmpdir(), `bigrays-spool-${process.pid}-`));
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
