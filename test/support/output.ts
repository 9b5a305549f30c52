/** The shape of what a failed CLI run prints: no stack trace unless asked, one error block at the end. */
import { expect } from '@jest/globals';

/** A stack frame line (`    at fn (file:1:2)`). */
const STACK_FRAME = /^\s+at .+(:\d+:\d+\)?|\(native\)|<anonymous>\)?)$/m;

export function expectNoStack(text: string): void {
  expect(text).not.toMatch(STACK_FRAME);
  expect(text).not.toMatch(/^stack: /m);
  expect(text).not.toMatch(/^caused by: /m);
}

/**
 * The error block a failed CLI run ends with: from the last line starting
 * with `bigrays: ` to the end, trimmed. A run's live view (▶/✔/✖ lines and
 * the summary) comes before it.
 */
export function errorBlock(stderr: string): string {
  const lines = stderr.replace(/\s+$/, '').split('\n');
  for (let i = lines.length - 1; i >= 0; i--) {
    if (lines[i]!.startsWith('bigrays: ')) return lines.slice(i).join('\n');
  }
  return '';
}
