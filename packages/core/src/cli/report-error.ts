import { BigraysError } from '../errors/errors.js';
import { JobFailedError } from '../run/job-result.js';
import { redact } from '../config/secrets.js';
import { phaseOf } from '../errors/phases.js';
import { errorMessage } from '../errors/message.js';
import { EXIT } from './exit-codes.js';

/** A load or plan error means the command line, the job, its plan or its configuration is wrong and nothing ran. */
export function exitCodeOf(error: unknown): number {
  if (error instanceof BigraysError || isBigraysLike(error)) {
    return phaseOf(error) === 'run' ? EXIT.taskFailed : EXIT.invalid;
  }
  return EXIT.taskFailed;
}

/**
 * One clear message, secrets removed. Stack traces and the cause chain only
 * with `--log-level debug` (or lower).
 */
export function formatError(error: unknown, debug: boolean): string {
  const lines = [`bigrays: ${redact(errorMessage(error))}`];
  if (error instanceof JobFailedError) {
    for (const e of error.errors) {
      lines.push(`  ✖ ${redact(e.message)}`);
      const cause = (e as { cause?: unknown }).cause;
      if (cause !== undefined && !redact(e.message).includes(redact(errorMessage(cause)))) lines.push(`    cause: ${redact(errorMessage(cause))}`);
    }
  }
  if (debug) {
    let current: unknown = error;
    for (let depth = 0; current !== undefined && depth < 8; depth++) {
      const stack = current instanceof Error ? current.stack : String(current);
      lines.push(`${depth === 0 ? 'stack' : 'caused by'}: ${redact(stack ?? String(current))}`);
      current = current instanceof Error ? current.cause : undefined;
    }
  } else if (!(error instanceof BigraysError) && !isBigraysLike(error)) {
    lines.push('  (run with --log-level debug for the stack trace)');
  }
  return lines.join('\n');
}

/** An error from another copy of @bigrays/core (instanceof fails across copies). */
function isBigraysLike(error: unknown): boolean {
  return error instanceof Error && typeof (error as { kind?: unknown }).kind === 'string' && 'userError' in error;
}
