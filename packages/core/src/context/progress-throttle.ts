/** How often running totals reach the task's progress: at most every 100 ms (and once more when done). */
export const PROGRESS_INTERVAL_MS = 100;

/**
 * The one throttle of progress reports. Code that moves data asks `due()`
 * before building a report; a final report when done is sent regardless.
 *
 * @example
 * const throttle = new ProgressThrottle();
 * for (const chunk of chunks) { bytes += chunk.length; if (throttle.due()) report({ bytes }); }
 * report({ bytes }); // done
 */
export class ProgressThrottle {
  #last = 0;

  constructor(private readonly intervalMs: number = PROGRESS_INTERVAL_MS) {}

  /** True when a report is due now (at least `intervalMs` since the last due one); counts it as sent. */
  due(): boolean {
    const now = Date.now();
    if (now - this.#last < this.intervalMs) return false;
    this.#last = now;
    return true;
  }
}
