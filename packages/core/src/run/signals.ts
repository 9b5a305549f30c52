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
 * Listens for SIGINT/SIGTERM/SIGHUP while a job runs so that the open resource can
 * be closed (rolled back, aborted) before the process ends. A second signal
 * while cleaning up ends the process at once.
 */
export function trapSignals(onSignal: (signal: NodeJS.Signals) => void): SignalTrap {
  let received: NodeJS.Signals | undefined;
  const handler = (signal: NodeJS.Signals) => {
    if (received) process.exit(signalExitCode(signal));
    received = signal;
    onSignal(signal);
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
