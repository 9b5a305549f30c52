import type { FormatValue } from './format.js';

/** The job's parameters, set by `updateFormatKws` (the CLI's `--param` wins over them at plan time). */
const formatKws: Record<string, FormatValue> = {};

/** Sets parameters used by `{name}` templates. Later calls add to and overwrite earlier ones. */
export function updateFormatKws(values: Readonly<Record<string, FormatValue>>): void {
  Object.assign(formatKws, values);
}

/** A copy of the current parameters. */
export function getFormatKws(): Record<string, FormatValue> {
  return { ...formatKws };
}

/** Forgets every parameter (for tests and for a new job in the same process). */
export function resetFormatKws(): void {
  for (const key of Object.keys(formatKws)) delete formatKws[key];
}
