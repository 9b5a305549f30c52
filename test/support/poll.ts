/** Waiting helpers shared by the matrices. */

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Polls `predicate` every `intervalMs` until it returns a truthy value, which
 * is returned; after `timeoutMs` throws naming `what` and, when given, the
 * `context()` text (e.g. the child's output so far).
 */
export async function poll<T>(
  predicate: () => T | Promise<T>,
  options: { timeoutMs?: number; intervalMs?: number; what?: string; context?: () => string } = {},
): Promise<NonNullable<T>> {
  const { timeoutMs = 20_000, intervalMs = 25, what = 'a condition', context } = options;
  const start = Date.now();
  for (;;) {
    const value = await predicate();
    if (value) return value as NonNullable<T>;
    if (Date.now() - start > timeoutMs) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${context ? `\n${context()}` : ''}`);
    }
    await sleep(intervalMs);
  }
}

/** Polls `predicate` every 50 ms until it holds; after `timeoutMs` throws naming `what`. */
export async function eventually(predicate: () => Promise<boolean> | boolean, timeoutMs = 20_000, what = 'condition'): Promise<void> {
  await poll(predicate, { timeoutMs, intervalMs: 50, what });
}
