import { randomBytes } from 'node:crypto';

/** A run id that sorts by start time: `20261130T010203456Z-1a2b3c`. */
export function newRunId(now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('.', '');
  return `${stamp}-${randomBytes(3).toString('hex')}`;
}
