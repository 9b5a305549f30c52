/** Variants of `it` for the reliability suites: known bugs (`it.failing` until fixed) and slow variants. */
import { it as jestIt } from '@jest/globals';

/**
 * A test of a reported, not yet fixed bug: it states the behaviour we want
 * and runs as `it.failing` (it passes while the bug is there, and starts
 * failing, as a reminder to flip it to `it`, once the bug is fixed).
 * `RELI_BUGS=strict` runs them as plain tests, to see what fails and why.
 */
export const itBug: typeof jestIt.failing = process.env.RELI_BUGS === 'strict' ? (jestIt as unknown as typeof jestIt.failing) : jestIt.failing;
/** `itBug` for `it.concurrent` tests. */
export const itBugConcurrent: typeof jestIt.concurrent.failing =
  process.env.RELI_BUGS === 'strict' ? (jestIt.concurrent as unknown as typeof jestIt.concurrent.failing) : jestIt.concurrent.failing;

/** Slow variants (more fault modes, more jobs) run only with RELI_SLOW=1 (`pnpm test:reliability`). */
export const SLOW = process.env.RELI_SLOW === '1';
export const itSlow: typeof jestIt = SLOW ? jestIt : (jestIt.skip as typeof jestIt);
