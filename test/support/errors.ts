/**
 * Reading errors in tests: the messages of an error's cause chain, what a
 * rejected promise or a failed task carried, and everything an error holds
 * (for the checks that no secret leaks).
 */
import type { JobResult } from '@bigrays/core';

/** The messages of `error` and of its causes, joined by `\n<- `. */
export function causeMessages(error: unknown): string {
  const parts: string[] = [];
  for (let e: unknown = error; e instanceof Error; e = e.cause) parts.push(e.message);
  return parts.join('\n<- ');
}

/** What `promise` rejects with; throws when it resolves. */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection, but the promise resolved');
}

/** The messages of a rejection and of its causes (the functional interface rejects with the TaskError). */
export async function rejection(promise: Promise<unknown>): Promise<string> {
  return causeMessages(await rejectionOf(promise));
}

/** The message of a failed task's error, with every cause appended. */
export function failureOf(result: JobResult, task: string): string {
  const report = result.report(task);
  if (!report?.error) throw new Error(`${task} did not fail (status ${report?.status})`);
  return causeMessages(report.error);
}

/** An error's message plus its causes' messages (and those of a JobFailedError's task errors), one a line. */
export function messages(error: unknown): string {
  const out: string[] = [];
  for (let e = error as { message?: string; cause?: unknown; result?: { tasks: { error?: unknown }[] } } | undefined; e; e = e.cause as typeof e) {
    out.push(String(e.message));
    for (const t of e.result?.tasks ?? []) if (t.error) out.push(messages(t.error));
  }
  return out.join('\n');
}

/**
 * Everything an error carries: message, stack, own enumerable fields and the whole cause chain (and `errors` lists).
 * Errors are recognised by shape (an object with a string `message`), not `instanceof Error`, so that errors of
 * another realm (a vm context, a worker, Node's own errors seen from Jest) are read as thoroughly.
 */
export function errorText(error: unknown, seen = new Set<unknown>()): string {
  if (error === null || error === undefined || seen.has(error)) return '';
  seen.add(error);
  if (!isErrorLike(error)) {
    if (typeof error === 'object') {
      try {
        return JSON.stringify(error);
      } catch {
        return String(error);
      }
    }
    return String(error);
  }
  const parts = [error.name, error.message, error.stack ?? ''];
  for (const [key, value] of Object.entries(error)) {
    if (key === 'cause' || key === 'errors' || key === 'result') continue;
    if (typeof value === 'string') parts.push(`${key}=${value}`);
    else if (value && typeof value === 'object' && !isErrorLike(value)) {
      try {
        parts.push(`${key}=${JSON.stringify(value)}`);
      } catch {
        /* circular: ignore */
      }
    }
  }
  parts.push(errorText(error.cause, seen));
  const list = (error as { errors?: unknown }).errors;
  if (Array.isArray(list)) for (const e of list) parts.push(errorText(e, seen));
  const result = (error as { result?: { tasks?: { error?: unknown }[]; errors?: unknown[] } }).result;
  for (const t of result?.tasks ?? []) parts.push(errorText(t.error, seen));
  for (const e of result?.errors ?? []) parts.push(errorText(e, seen));
  return parts.join('\n');
}

function isErrorLike(value: unknown): value is Error {
  return typeof value === 'object' && value !== null && typeof (value as { message?: unknown }).message === 'string';
}
