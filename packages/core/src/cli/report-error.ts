import { BigraysError } from '../errors/errors.js';
import { JobFailedError } from '../run/job-result.js';
import { redact } from '../config/secrets.js';
import { EXIT } from './exit-codes.js';

/** Kinds that mean "the job, its plan, its configuration or the command line is wrong; nothing ran". */
const INVALID_KINDS = new Set(['usage', 'plan', 'task-interface', 'configuration', 'decorator', 'state']);

export function exitCodeOf(error: unknown): number {
  if (error instanceof BigraysError || isBigraysLike(error)) {
    return INVALID_KINDS.has((error as BigraysError).kind) ? EXIT.invalid : EXIT.taskFailed;
  }
  return EXIT.taskFailed;
}

/**
 * One clear message, secrets removed. Stack traces and the cause chain only
 * with `--log-level debug` (or lower).
 */
export function formatError(error: unknown, debug: boolean): string {
  const lines = [`bigrays: ${redact(messageOf(error))}`];
  if (error instanceof JobFailedError) {
    for (const e of error.errors) {
      lines.push(`  ✖ ${redact(e.message)}`);
      const cause = (e as { cause?: unknown }).cause;
      if (cause !== undefined && !redact(e.message).includes(redact(messageOf(cause)))) lines.push(`    cause: ${redact(messageOf(cause))}`);
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

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** An error from another copy of @bigrays/core (instanceof fails across copies). */
function isBigraysLike(error: unknown): boolean {
  return error instanceof Error && typeof (error as { kind?: unknown }).kind === 'string' && 'userError' in error;
}
