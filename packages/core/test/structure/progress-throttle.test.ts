/**
 * One progress throttle (issue 11): CopyProgress, the CSV encoder and the
 * AWS tasks ask the same ProgressThrottle when a report is due.
 */
import { afterEach, describe, expect, it, jest } from '@jest/globals';
import { PROGRESS_INTERVAL_MS, ProgressThrottle } from '@bigrays/core/plugin';

describe('ProgressThrottle', () => {
  afterEach(() => {
    jest.restoreAllMocks();
  });

  it('the first report is due; the next only after the interval', () => {
    let now = 1_000_000;
    jest.spyOn(Date, 'now').mockImplementation(() => now);
    const throttle = new ProgressThrottle();
    expect(throttle.due()).toBe(true);
    now += PROGRESS_INTERVAL_MS - 1;
    expect(throttle.due()).toBe(false);
    now += 1;
    expect(throttle.due()).toBe(true);
    expect(throttle.due()).toBe(false);
    expect(PROGRESS_INTERVAL_MS).toBe(100);
  });
});
