import type { Progress } from '../context/task-context.js';

/**
 * Rows/bytes of a task: what it reported, else what its output shows (an
 * array's length, a Dataset's counts, a Buffer's size). Strings are not
 * counted: a returned path or URI is not data moved.
 */
export function countsOf(output: unknown, reported: Progress): Progress {
  const counts: Progress = { ...reported };
  if (counts.rows === undefined) {
    if (Array.isArray(output)) counts.rows = output.length;
    else if (isTableLike(output)) counts.rows = output.rowCount;
  }
  if (counts.bytes === undefined) {
    if (output instanceof Uint8Array) counts.bytes = output.byteLength;
    else if (isTableLike(output) && typeof output.byteLength === 'number') counts.bytes = output.byteLength;
  }
  return counts;
}

function isTableLike(value: unknown): value is { rowCount: number; byteLength?: number } {
  return typeof value === 'object' && value !== null && typeof (value as { rowCount?: unknown }).rowCount === 'number';
}
