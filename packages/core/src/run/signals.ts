// SIGHUP (the terminal closed, the ssh session dropped) stops a job like SIGTERM: its default action would end
// the process with no clean-up, leaving the server statement, the multipart upload and temporary files behind.
const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
const EXIT_CODES: Record<string, number> = { SIGHUP: 129, SIGINT: 130, SIGTERM: 143 };

/** The exit code a process killed by `signal` reports (129 for SIGHUP, 130 for SIGINT, 143 for SIGTERM). */
export const signalExitCode = (signal: NodeJS.Signals): number => EXIT_CODES[signal] ?? 1;

export interface SignalTrap {
  /** Stops listening. */
  dispose(): void;
  /** After cleanup: ends the process with the signal, as it would have ended without bigrays. */
  reraise(signal: NodeJS.Signals): void;
}

/**
 * Listens for SIGINT/SIGTERM/SIGHUP while a job runs so that the open
 * resource can be closed (rolled back, aborted) before the process ends.
 *
 * - The first signal calls `onSignal`: the job stops and cleans up.
 * - A second one does not cut the clean-up short (that is what left open
 *   multipart uploads and staging tables behind): it says what is still
 *   being cleaned up, and that a third signal exits at once.
 * - A third one ends the process at once, saying what may be left.
 *
 * `pending` describes the clean-up in progress ("closing SQLSession").
 */
export function trapSignals(onSignal: (signal: NodeJS.Signals) => void, pending: () => string[] = () => []): SignalTrap {
  let received: NodeJS.Signals | undefined;
  let count = 0;
  const handler = (signal: NodeJS.Signals) => {
    count++;
    if (!received) {
      received = signal;
      onSignal(signal);
      return;
    }
    const left = pending();
    const what = left.length > 0 ? left.join('; ') : 'finishing the clean-up';
    if (count === 2) {
      process.stderr.write(`bigrays: ${signal} again: still cleaning up (${what}); send it once more to exit at once, leaving that undone\n`);
      return;
    }
    process.stderr.write(
      `bigrays: forced exit by ${signal}: clean-up abandoned (${what}); a transaction, a running statement, a multipart upload, a staging table or a temporary file may be left behind\n`,
    );
    process.exit(signalExitCode(received));
  };
  for (const s of SIGNALS) process.on(s, handler);
  const dispose = () => {
    for (const s of SIGNALS) process.off(s, handler);
  };
  return {
    dispose,
    reraise(signal) {
      dispose();
      // Only when nobody else listens: re-sending then takes the default action (the process ends by the signal).
      if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
    },
  };
}
