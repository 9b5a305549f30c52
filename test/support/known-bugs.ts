/**
 * The ONE place where generated / matrix cases that fail because of a known,
 * not yet fixed finding of issue 10 are listed. A case listed here runs as
 * `it.failing` (it passes while the bug is there and turns red, as a
 * reminder to delete its line, once the fix lands); every other case runs as
 * a plain `it`. `RELI_BUGS=strict` runs every case as a plain test, to see
 * what still fails and why (the failure prints the shrunk counterexample).
 *
 * Keys are case ids built by the suites (`differential.ts`'s `caseId`,
 * `signals-matrix.test.ts`'s `<job>/<phase>/<signal>`); values name the
 * finding(s) of issue 10 that make the case fail today.
 */
import { it as jestIt } from '@jest/globals';

export interface KnownBug {
  /** Finding numbers of issue 10. */
  findings: number[];
  /** One line: what goes wrong. */
  why: string;
}

export const KNOWN_BUGS: Record<string, KnownBug> = {};

/** Whether known bugs run as plain tests (`RELI_BUGS=strict`). */
export const STRICT_BUGS = process.env.RELI_BUGS === 'strict';

/** The known bug of a case, if any. */
export function knownBug(caseId: string): KnownBug | undefined {
  return Object.prototype.hasOwnProperty.call(KNOWN_BUGS, caseId) ? KNOWN_BUGS[caseId] : undefined;
}

/** The test title of a case: its id, and the findings that make it fail today. */
export function caseTitle(caseId: string, title = ''): string {
  const bug = knownBug(caseId);
  const suffix = bug && !STRICT_BUGS ? ` [known: finding ${bug.findings.join(', ')}: ${bug.why}]` : '';
  return `${caseId}${title ? `: ${title}` : ''}${suffix}`;
}

/** `it` for a case, or `it.failing` when the case is listed in KNOWN_BUGS (and not strict). */
export function itCase(caseId: string): typeof jestIt {
  return knownBug(caseId) && !STRICT_BUGS ? (jestIt.failing as unknown as typeof jestIt) : jestIt;
}
