import { describe, it, expect } from '@jest/globals';
import { join } from 'node:path';
import { runCli, REPO } from '../helpers/cli.js';

/** Issue 14, "what a new user hit": each broken job a newcomer wrote, run with the CLI as they ran it. */
const job = (name: string) => join(REPO, 'test', 'parity', 'jobs', name);

describe('the first hour of a new user (issue 14)', () => {
  it('item 7: bare @Task registers and runs the task', () => {
    const r = runCli([job('bare-task.ts')]);
    expect(r.stderr).not.toContain('no tasks');
    expect(r.stdout.trim()).toBe('email sent');
    expect(r.code).toBe(0);
  });

  it('item 7: a subclass of a built-in task without @Task() fails at load, naming the class and the fix', () => {
    const r = runCli([job('undecorated-subclass.ts')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('WriteRows extends ToCSV but has no @Task(), so it would not run: put @Task() on the line before `class WriteRows`');
  });
});
