/**
 * Incremental cursors while a task runs: the handle a task reads and
 * advances (`taskCursor()`), `:cursor` for SQL tasks (`withCursor`), and
 * the new value settled from the task's output when it succeeds.
 *
 * @module
 */
import { TaskError } from '../errors/errors.js';
import { Dataset } from '../data/dataset.js';
import type { PlannedCursor, PlannedTask } from '../plan/plan.js';
import { compareCursor, cursorText, cursorValue } from '../state/cursor-value.js';
import { currentTask, type TaskCursor } from '../context/task-context.js';

export type { TaskCursor };

/** A cursor handle for one attempt of a task. */
export class CursorHandle implements TaskCursor {
  readonly column: string;
  readonly value: Date | number | bigint | string;
  advanced: unknown;

  constructor(readonly planned: PlannedCursor) {
    this.column = planned.column;
    this.value = cursorValue(planned.kind, planned.value);
  }

  advance(value: Date | number | bigint | string): void {
    this.advanced = value;
  }
}

/** The running task's cursor, when it is incremental (`@Task({ incremental })`); undefined otherwise. */
export function taskCursor(): TaskCursor | undefined {
  return currentTask()?.cursor;
}

/**
 * `params` with `cursor` added when the running task is incremental (SQL
 * tasks bind `:cursor` from it). A `cursor` the task set itself wins.
 */
export function withCursor<T extends Readonly<Record<string, unknown>>>(params: T | undefined): T | undefined {
  const cursor = taskCursor();
  if (!cursor || (params && 'cursor' in params)) return params;
  return { cursor: cursor.value, ...params } as unknown as T;
}

/**
 * The cursor a succeeded task reached: what it advanced to, else the
 * greatest `column` value of its output (rows or a `Dataset`, read as a
 * stream), never behind where it started. Throws a `TaskError` for a value
 * too far in the future, a missing column, or an unusable advanced value.
 */
export async function settleCursor(step: PlannedTask, output: unknown, handle: CursorHandle): Promise<{ from: string; to: string }> {
  const cursor = handle.planned;
  const from = cursor.value;
  let candidate: string | undefined;
  if (handle.advanced !== undefined) {
    candidate = cursorText(cursor.kind, handle.advanced);
    if (candidate === undefined) {
      throw new TaskError(step.name, `${step.name}: taskCursor().advance(${String(handle.advanced)}) is not a ${cursor.kind} value, like the cursor's initial value: advance it with one`);
    }
  } else {
    candidate = await greatestInOutput(step, cursor, output);
  }
  if (candidate === undefined || compareCursor(cursor.kind, candidate, from) <= 0) return { from, to: from };
  if (cursor.kind === 'timestamp' && Date.parse(candidate) > Date.now() + cursor.maxFutureMs) {
    throw new TaskError(
      step.name,
      `${step.name}: its cursor ${cursor.column} would move to ${candidate}, more than ${describeMs(cursor.maxFutureMs)} ahead of now: a clock or data bug, not a cursor. Fix the data (or the clock), or raise maxFuture in @Task({ incremental })`,
    );
  }
  return { from, to: candidate };
}

async function greatestInOutput(step: PlannedTask, cursor: PlannedCursor, output: unknown): Promise<string | undefined> {
  let best: string | undefined;
  const consider = (value: unknown) => {
    const text = cursorText(cursor.kind, value);
    if (text !== undefined && (best === undefined || compareCursor(cursor.kind, text, best) > 0)) best = text;
  };
  if (output instanceof Dataset) {
    const at = output.columns.indexOf(cursor.column);
    if (at < 0) throw missingColumn(step, cursor, output.columns);
    for await (const batch of output.batches({ arrays: true })) for (const row of batch) consider(row[at]);
    return best;
  }
  if (Array.isArray(output)) {
    let seen = false;
    for (const row of output) {
      if (row === null || typeof row !== 'object' || !(cursor.column in row)) continue;
      seen = true;
      consider((row as Record<string, unknown>)[cursor.column]);
    }
    if (!seen && output.length > 0) throw missingColumn(step, cursor, Object.keys((output[0] ?? {}) as object));
    return best;
  }
  return undefined;
}

function missingColumn(step: PlannedTask, cursor: PlannedCursor, columns: readonly string[]): TaskError {
  return new TaskError(
    step.name,
    `${step.name}: its incremental cursor '${cursor.column}' is not a column of its output (columns: ${columns.join(', ') || 'none'}): select it, fix @Task({ incremental: { cursor } }), or advance the cursor with taskCursor().advance()`,
  );
}

function describeMs(ms: number): string {
  const day = 86_400_000;
  if (ms % day === 0) return `${ms / day} day${ms === day ? '' : 's'}`;
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000} h`;
  return `${ms} ms`;
}
