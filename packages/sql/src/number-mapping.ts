/**
 * The opt-in `DB_NUMBERS=number`: rows of `query()`/`stream()` carry
 * `bigint` and `numeric`/`decimal` columns as JS numbers instead of the
 * exact strings the drivers return, when (and only when) nothing is lost.
 * A value a number cannot hold fails, naming column, row and value: a
 * silently rounded count or amount is worse than a string.
 *
 * @internal
 * @module
 */
import { ConfigurationError } from '@bigrays/core';
import type { Config } from '@bigrays/core';
import { sqlTaskError } from './errors.js';
import type { ColumnInfo } from './values.js';

/** `string` (the default: exact strings) or `number`. */
export type NumberMode = 'string' | 'number';

/** Reads `DB_NUMBERS`; anything but `string`/`number` (or unset) is a ConfigurationError. */
export function numberMode(config: Config): NumberMode {
  const raw = (config as Record<string, unknown>).DB_NUMBERS;
  if (raw === undefined || raw === '') return 'string';
  const value = String(raw).trim().toLowerCase();
  if (value === 'string' || value === 'number') return value;
  throw new ConfigurationError(`DB_NUMBERS must be 'string' (the default: bigint and numeric as exact strings) or 'number', not '${String(raw)}'`, ['BIGRAYS_DB_NUMBERS']);
}

/** `-0012.3400`, `1.5e-7`: sign, digits without leading/trailing zeros, and the power of ten of the last digit. */
function decimalKey(text: string): string | undefined {
  const m = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(text.trim());
  if (!m || (m[2] === '' && (m[3] ?? '') === '')) return undefined;
  const frac = m[3] ?? '';
  let digits = `${m[2]}${frac}`.replace(/^0+/, '');
  let exp = Number(m[4] ?? 0) - frac.length;
  const trimmed = digits.replace(/0+$/, '');
  exp += digits.length - trimmed.length;
  digits = trimmed;
  if (digits === '') return '0';
  return `${m[1] === '-' ? '-' : ''}${digits}e${exp}`;
}

/**
 * The number a decimal text holds if a double gives back the same decimal
 * (`12.34`, `0.1`: what you see is what you compute with; ~15 significant
 * digits), else undefined.
 */
export function exactNumber(text: string): number | undefined {
  const key = decimalKey(text);
  if (key === undefined) return undefined;
  const n = Number(text);
  if (!Number.isFinite(n)) return undefined;
  return decimalKey(String(n)) === key ? n : undefined;
}

/**
 * Converts the `bigint` and `decimal` columns of `rows` (arrays of values)
 * in place; `firstRow` is the 1-based number of `rows[0]` in the result.
 */
export function mapNumbers(rows: unknown[][], columns: readonly ColumnInfo[], firstRow = 1): void {
  const targets = columns.map((c, i) => [i, c] as const).filter(([, c]) => c.type === 'bigint' || c.type === 'decimal');
  if (targets.length === 0) return;
  rows.forEach((row, r) => {
    for (const [i, column] of targets) {
      const v = row[i];
      if (v === null || v === undefined || typeof v === 'number') continue;
      const text = String(v);
      const n = column.type === 'bigint' ? (/^[+-]?\d+$/.test(text.trim()) && Number.isSafeInteger(Number(text)) ? Number(text) : undefined) : exactNumber(text);
      if (n === undefined) {
        const why =
          column.type === 'bigint'
            ? 'is beyond 2^53 - 1, the largest integer a JS number holds exactly'
            : 'has more digits than a JS number holds (it would be rounded)';
        throw sqlTaskError(
          `DB_NUMBERS=number: column "${column.name}" of row ${firstRow + r} (${column.type}) is ${text}, which ${why}; cast it in SQL (::text, or ::float8 to accept rounding), or unset BIGRAYS_DB_NUMBERS to get exact strings`,
        );
      }
      row[i] = n;
    }
  });
}
