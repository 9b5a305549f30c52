/**
 * Interrupting a child `bigrays` process the way a user, a supervisor or the
 * kernel does, for the signals matrix.
 */
import type { ChildProcess } from 'node:child_process';
import { sleep } from './poll.js';

/** One interruption: a signal, the same signal twice (a second Ctrl-C), or SIGKILL. */
export type Interruption = 'SIGINT' | 'SIGTERM' | 'SIGHUP' | 'SIGINT×2' | 'SIGTERM×2' | 'SIGKILL';

export const INTERRUPTIONS: readonly Interruption[] = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGINT×2', 'SIGTERM×2', 'SIGKILL'];

/** The exit code the CLI must end with after `interruption` (128 + the first signal's number); SIGKILL has none. */
export function expectedExit(interruption: Interruption): { code: number | null; signal: NodeJS.Signals | null } {
  if (interruption === 'SIGKILL') return { code: null, signal: 'SIGKILL' };
  const first = interruption.replace('×2', '');
  return { code: { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 }[first as 'SIGINT']!, signal: null };
}

/**
 * Sends `interruption` to `child` (the second signal of a double one
 * `gapMs` after the first, while the first's cleanup runs). Resolves with
 * the time of the first signal.
 */
export async function interrupt(child: ChildProcess, interruption: Interruption, gapMs = 150): Promise<number> {
  const at = Date.now();
  const signal = interruption.replace('×2', '') as NodeJS.Signals;
  child.kill(signal);
  if (interruption.endsWith('×2')) {
    await sleep(gapMs);
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
  }
  return at;
}
