/** Where an error no code was waiting for came from. */
export type FaultOrigin = 'unhandled promise rejection' | 'uncaught exception';

/**
 * Listens for errors nobody handles (a promise rejected with no handler, a
 * timer or event handler that throws) while a job runs. Node's default is to
 * print a raw stack and end the process at once, skipping every clean-up;
 * the runner instead fails the task that is running, so that its resource is
 * closed (rolled back) and the job reports it. Returns the function that stops listening.
 */
export function trapProcessFaults(onFault: (error: unknown, origin: FaultOrigin) => void): () => void {
  const rejection = (reason: unknown) => onFault(reason, 'unhandled promise rejection');
  const exception = (error: unknown) => onFault(error, 'uncaught exception');
  process.on('unhandledRejection', rejection);
  process.on('uncaughtException', exception);
  return () => {
    process.off('unhandledRejection', rejection);
    process.off('uncaughtException', exception);
  };
}
