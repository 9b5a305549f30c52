import { mkdtempSync, readdirSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

/** A fresh folder for one test's ledger. */
export function tempLedger(): string {
  return mkdtempSync(join(tmpdir(), 'bigrays-ledger-'));
}

/** Every file under `dir`, relative, sorted. */
export function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return (readdirSync(dir, { recursive: true, withFileTypes: true }) as import('node:fs').Dirent[])
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath ?? (e as unknown as { path: string }).path, e.name).slice(dir.length + 1))
    .sort();
}

/**
 * Makes a folder unwritable, also for root (the machine's tests run as root, for whom
 * mode bits do not count): `chattr +i`. Returns the undo, or undefined when impossible here.
 */
export function makeReadOnly(dir: string): (() => void) | undefined {
  if (process.getuid?.() !== 0) {
    spawnSync('chmod', ['0555', dir]);
    return () => void spawnSync('chmod', ['0755', dir]);
  }
  const r = spawnSync('chattr', ['+i', dir]);
  if (r.status !== 0) return undefined;
  return () => void spawnSync('chattr', ['-i', dir]);
}
