/**
 * Faults that need only @bigrays/core: a task that throws, hangs past its
 * timeout, a resource that fails to open or close (or hangs), and SIGINT /
 * SIGTERM in the middle of a task, of a spooled Dataset and of a ToCSV
 * export. Each runs the real `bigrays` CLI on a fixture job with a
 * transactional custom resource (`fixtures/journal.ts`) and checks the exit
 * code, the message, what was committed or rolled back, what was left on
 * disk, and that no secret of the environment was printed (also with
 * `--log-level debug`).
 */
import { describe, it, expect, beforeEach, afterEach } from '@jest/globals';
import { existsSync, mkdtempSync, readFileSync, rmSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli, startCli, type CliResult } from '../support/cli.js';
import { fixture } from './paths.js';
import { errorBlock, expectNoStack } from '../support/output.js';
import { sleep, eventually } from '../support/poll.js';
import { expectNoSecrets, secretEnv, SECRETS } from '../support/secrets.js';
import { spoolDirsOf } from '../support/spool.js';
import { itSlow } from '../support/test-variants.js';
import { interrupt } from '../support/signals.js';

/** How long the runner lets a timed-out or interrupted task clean up (RunOptions.abortGraceMs default). */
const ABORT_GRACE_MS = 5_000;

let scratch: string;
let env: Record<string, string | undefined>;
const eventsFile = () => join(scratch, 'events.txt');
const tableFile = () => join(scratch, 'table.jsonl');
const events = () => (existsSync(eventsFile()) ? readFileSync(eventsFile(), 'utf8').trim().split('\n').filter(Boolean) : []);
const committedRows = () => (existsSync(tableFile()) ? readFileSync(tableFile(), 'utf8').trim().split('\n').filter(Boolean) : []);

beforeEach(() => {
  scratch = mkdtempSync(join(tmpdir(), 'bigrays-reli-core-'));
  env = secretEnv({ RELI_EVENTS: eventsFile(), RELI_TABLE: tableFile() });
});
afterEach(() => rmSync(scratch, { recursive: true, force: true }));

/** Runs a fixture job twice: as a user would (checked by the caller) and with --log-level debug (no secret anywhere). */
function run(job: string, extraEnv: Record<string, string> = {}): CliResult & { ms: number } {
  const started = Date.now();
  const result = runCli([fixture(job)], { cwd: scratch, env: { ...env, ...extraEnv } });
  const ms = Date.now() - started;
  expectNoSecrets(result.stdout + result.stderr, `${job} output`);
  const debug = runCli([fixture(job), '--log-level', 'debug'], { cwd: scratch, env: { ...env, ...extraEnv, RELI_EVENTS: join(scratch, 'debug-events.txt'), RELI_TABLE: join(scratch, 'debug-table.jsonl') } });
  expectNoSecrets(debug.stdout + debug.stderr, `${job} --log-level debug output`);
  expect(debug.code).toBe(result.code);
  return { ...result, ms };
}

describe('a task that throws', () => {
  it('exits 1, names the failed and skipped tasks, rolls back, runs runWithExceptions; no stack trace', () => {
    const r = run('task-throws.ts');
    expect(r.code).toBe(1);
    expect(errorBlock(r.stderr)).toBe('bigrays: job failed (failed: Boom; skipped: NeverRuns)\n  ✖ Boom failed: the ledger does not balance');
    expect(r.stderr).toContain('✖ Boom failed after');
    expectNoStack(r.stderr);
    expect(events()).toEqual([
      'open',
      'insert {"id":1}',
      'insert {"id":2}',
      'insert {"id":3}',
      'rollback (3 rows): Boom failed: the ledger does not balance',
      'alert',
    ]);
    expect(committedRows()).toEqual([]);
  });
});

describe('a task that hangs past its timeout', () => {
  /** Starts the job and measures from the moment the task started (not from the spawn: start-up time varies with load). */
  async function timed(extraEnv: Record<string, string>) {
    const { done } = startCli([fixture('task-timeout.ts')], { cwd: scratch, env: { ...env, ...extraEnv } });
    await eventually(() => events().includes('stuck started'), 20_000, 'stuck started');
    const since = Date.now();
    const r = await done;
    expectNoSecrets(r.stdout + r.stderr, 'output');
    return { ...r, ms: Date.now() - since };
  }

  it('fails with the timeout message, exits 1 and rolls back', async () => {
    const r = await timed({ RELI_TIMEOUT: '300' });
    expect(r.code).toBe(1);
    expect(r.ms).toBeLessThan(300 + 2_000);
    expect(errorBlock(r.stderr)).toBe('bigrays: job failed (failed: Stuck; skipped: After)\n  ✖ Stuck timed out after 300 ms (the timeout option of @Task)');
    expectNoStack(r.stderr);
    expect(events()).toEqual([
      'open',
      'insert {"id":1}',
      'stuck started',
      'signal aborted: Stuck timed out after 300 ms (the timeout option of @Task)',
      'rollback (1 rows): Stuck timed out after 300 ms (the timeout option of @Task)',
    ]);
  });

  it('the same with --log-level debug: no secret printed', () => {
    const r = runCli([fixture('task-timeout.ts'), '--log-level', 'debug'], { cwd: scratch, env: { ...env, RELI_TIMEOUT: '300' } });
    expect(r.code).toBe(1);
    expectNoSecrets(r.stdout + r.stderr, 'debug output');
  });

  it('a task that ignores its abort signal delays the exit by the abort grace (5 s) at most', async () => {
    const r = await timed({ RELI_TIMEOUT: '300', RELI_IGNORE_SIGNAL: '1' });
    expect(r.code).toBe(1);
    expect(r.ms).toBeLessThan(300 + ABORT_GRACE_MS + 2_000);
    expect(errorBlock(r.stderr)).toBe('bigrays: job failed (failed: Stuck; skipped: After)\n  ✖ Stuck timed out after 300 ms (the timeout option of @Task)');
    expect(events().at(-1)).toBe('rollback (1 rows): Stuck timed out after 300 ms (the timeout option of @Task)');
  });

  it('with retries, each attempt times out, then the task fails (exit 1)', () => {
    const r = runCli([fixture('task-timeout.ts')], { cwd: scratch, env: { ...env, RELI_TIMEOUT: '200', RELI_RETRIES: '2' } });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('! Stuck failed (attempt 1), retrying in 10 ms: Stuck timed out after 200 ms');
    expect(r.stderr).toContain('↻ Stuck (attempt 3)');
    expect(events().filter((e) => e === 'stuck started')).toHaveLength(3);
    expect(events().at(-1)).toMatch(/^rollback .*: Stuck timed out after 200 ms/);
  });

  // Was bug C3 (fixed in f7429a2): a retry reused the resource the failed attempt left behind.
  it('a retried attempt starts on a rolled-back resource: the failed attempt\'s work is not committed', () => {
    const r = runCli([fixture('task-timeout.ts')], { cwd: scratch, env: { ...env, RELI_TIMEOUT: '200', RELI_RETRIES: '1' } });
    expect(r.code).toBe(1);
    expect(events()).toEqual([
      'open',
      'insert {"id":1}',
      'stuck started',
      'signal aborted: Stuck timed out after 200 ms (the timeout option of @Task)',
      'rollback (1 rows): Stuck timed out after 200 ms (the timeout option of @Task)',
      'open',
      'insert {"id":1}',
      'stuck started',
      'signal aborted: Stuck timed out after 200 ms (the timeout option of @Task)',
      'rollback (1 rows): Stuck timed out after 200 ms (the timeout option of @Task)',
    ]);
  });
});

describe('a resource that fails to open', () => {
  it('fails the task that needs it (exit 1), skips the rest, masks the token the driver quoted', () => {
    const r = run('open-fails.ts');
    expect(r.code).toBe(1);
    expect(errorBlock(r.stderr)).toBe(
      'bigrays: job failed (failed: Load; skipped: LoadMore)\n  ✖ Load failed: could not open Warehouse: login rejected for token **** at warehouse.example:443',
    );
    expectNoStack(r.stderr);
    // The half-opened instance is closed with the error; no task ran.
    expect(events()).toEqual(['open attempted', `close: login rejected for token ${SECRETS.token} at warehouse.example:443`]);
  });
});

describe('a resource that fails to close', () => {
  it('fails the job (exit 1) although every task succeeded', () => {
    const r = run('close-fails.ts');
    expect(r.code).toBe(1);
    expect(errorBlock(r.stderr)).toBe(
      'bigrays: job failed (Warehouse failed to close: flush failed: connection reset (token ****))\n  ✖ Warehouse failed to close: flush failed: connection reset (token ****)',
    );
    expect(r.stderr).toContain('1 succeeded');
    // Printed once (issue 14 item 17): by the closing report, not also by the summary.
    expect(r.stderr.split('Warehouse failed to close').length - 1).toBe(2); // once in the headline, once in its ✖ line
    expectNoStack(r.stderr);
    expect(events()).toEqual(['open', 'Load ran', 'close']);
  });

  it('after a failed task: both errors are reported, exit 1', () => {
    const r = run('close-fails.ts', { RELI_TASK_FAILS: '1' });
    expect(r.code).toBe(1);
    expect(errorBlock(r.stderr)).toBe(
      [
        'bigrays: job failed (failed: Load; Warehouse failed to close: flush failed: connection reset (token ****))',
        '  ✖ Load failed: the load failed too',
        '  ✖ Warehouse failed to close: flush failed: connection reset (token ****)',
      ].join('\n'),
    );
    expect(events()).toEqual(['open', 'Load ran', 'close with: Load failed: the load failed too']);
  });

  // Was issue 10 finding 23: a close() that never returned blocked the job (a swap) forever.
  it('a close that never finishes is abandoned after closeTimeoutMs: exit 1, reported', () => {
    const r = run('close-hangs.ts', { RELI_CLOSE_TIMEOUT: '500' });
    expect(r.code).toBe(1);
    expect(r.ms).toBeLessThan(10_000);
    expect(errorBlock(r.stderr)).toBe(
      'bigrays: job failed (StuckWarehouse did not finish closing within 500 ms and was abandoned: what it was committing, rolling back or releasing may be incomplete (raise StuckWarehouse.closeTimeoutMs if its close is legitimately slow))\n' +
        '  ✖ StuckWarehouse did not finish closing within 500 ms and was abandoned: what it was committing, rolling back or releasing may be incomplete (raise StuckWarehouse.closeTimeoutMs if its close is legitimately slow)',
    );
    expect(events()).toEqual(['open', 'Load ran', 'closing']);
  });

  it('a close that never finishes: a second signal says what is still being cleaned up, a third ends the process at once (130)', async () => {
    const { child, done } = startCli([fixture('close-hangs.ts')], { cwd: scratch, env });
    await eventually(() => events().includes('closing'), 20_000, 'closing');
    child.kill('SIGINT');
    await sleep(300);
    child.kill('SIGINT');
    await sleep(300);
    expect(child.exitCode).toBe(null);
    const killed = Date.now();
    child.kill('SIGINT');
    const r = await done;
    expect(Date.now() - killed).toBeLessThan(2_000);
    expect(r.code).toBe(130);
    expect(r.stderr).toContain('bigrays: SIGINT again: still cleaning up (closing StuckWarehouse (abandoned after 60 s at most)); send it once more to exit at once');
    expect(r.stderr).toContain('bigrays: forced exit by SIGINT: clean-up abandoned (closing StuckWarehouse (abandoned after 60 s at most)); a transaction, a running statement, a multipart upload, a staging table or a temporary file may be left behind');
  });
});

describe.each([
  ['SIGINT', 130],
  ['SIGTERM', 143],
  ['SIGHUP', 129],
] as const)('%s', (signal, code) => {
  async function runUntilInterrupted(job: string, waitFor: string, extraEnv: Record<string, string> = {}, beforeKill?: (pid: number) => void) {
    const { child, done } = startCli([fixture(job), '--log-level', 'debug'], { cwd: scratch, env: { ...env, ...extraEnv } });
    await eventually(() => events().includes(waitFor), 20_000, `'${waitFor}' in the events`);
    beforeKill?.(child.pid!);
    const sent = await interrupt(child, signal);
    const r = await done;
    expectNoSecrets(r.stdout + r.stderr, `${job} interrupted`);
    return { ...r, ms: Date.now() - sent, pid: child.pid };
  }

  it(`mid-task: rolls back the transaction, closes the resource, exits ${code}`, async () => {
    const r = await runUntilInterrupted('hang.ts', 'hanging');
    expect(r.code).toBe(code);
    expect(r.ms).toBeLessThan(3_000);
    expect(r.stderr).toContain(`✖ Hang failed after`);
    expect(r.stderr).toContain(`– NeverRuns skipped: the job was interrupted by ${signal}`);
    expect(events()).toEqual([
      'open',
      'insert {"id":1}',
      'insert {"id":2}',
      'insert {"id":3}',
      'hanging',
      `aborted: interrupted by ${signal}`,
      `rollback (3 rows): Hang failed: interrupted by ${signal}`,
    ]);
    expect(committedRows()).toEqual([]);
  });

  // 5 s each (the abort grace): SIGINT in the normal suite, SIGTERM too with RELI_SLOW=1.
  (signal === 'SIGINT' ? it : itSlow)(`mid-task, a task that ignores its abort signal: still rolls back and exits ${code} (after the abort grace at most)`, async () => {
    const r = await runUntilInterrupted('hang.ts', 'hanging', { RELI_IGNORE_SIGNAL: '1' });
    expect(r.code).toBe(code);
    expect(r.ms).toBeLessThan(ABORT_GRACE_MS + 3_000);
    expect(events().at(-1)).toBe(`rollback (3 rows): Hang failed: interrupted by ${signal}`);
    expect(committedRows()).toEqual([]);
  });

  it(`with a spooled Dataset and a half-written spool file: no spool file or directory is left (exit ${code})`, async () => {
    // The spool directory exists while the job runs (else this test would prove nothing).
    const r = await runUntilInterrupted('spool-hang.ts', 'half spooled', {}, (pid) => expect(spoolDirsOf(pid)).toHaveLength(1));
    expect(r.code).toBe(code);
    expect(events()).toContain('spooled 1000');
    expect(events().at(-1)).toBe(`rollback (1 rows): HalfSpool failed: interrupted by ${signal}`);
    expect(spoolDirsOf(r.pid)).toEqual([]);
  });

  // Was issue 10 finding 23: a second signal ended the process at once, skipping the rollback (and, with S3 or
  // MariaDB, the abort of the multipart upload or the drop of the staging table).
  // 5 s each (the abort grace): SIGINT in the normal suite, the others with RELI_SLOW=1.
  (signal === 'SIGINT' ? it : itSlow)(`a second ${signal} during the abort grace does not skip the clean-up: still rolls back, exits ${code}`, async () => {
    const { child, done } = startCli([fixture('hang.ts')], { cwd: scratch, env: { ...env, RELI_IGNORE_SIGNAL: '1' } });
    await eventually(() => events().includes('hanging'), 20_000, 'hanging');
    child.kill(signal);
    await sleep(300);
    child.kill(signal);
    const r = await done;
    expect(r.code).toBe(code);
    expect(r.stderr).toContain(`bigrays: ${signal} again: still cleaning up (waiting up to 5 s for Hang to stop and clean up); send it once more to exit at once`);
    expect(events().at(-1)).toBe(`rollback (3 rows): Hang failed: interrupted by ${signal}`);
    expect(committedRows()).toEqual([]);
  });

  it(`a third ${signal} during the abort grace ends the process at once (${code}) and says what may be left`, async () => {
    const { child, done } = startCli([fixture('hang.ts')], { cwd: scratch, env: { ...env, RELI_IGNORE_SIGNAL: '1' } });
    await eventually(() => events().includes('hanging'), 20_000, 'hanging');
    child.kill(signal);
    await sleep(200);
    child.kill(signal);
    await sleep(200);
    const third = Date.now();
    child.kill(signal);
    const r = await done;
    expect(Date.now() - third).toBeLessThan(2_000);
    expect(r.code).toBe(code);
    expect(r.stderr).toContain(`bigrays: forced exit by ${signal}: clean-up abandoned (waiting up to 5 s for Hang to stop and clean up)`);
  });

  // Was bug C2 (fixed in f7429a2): the CLI exited before ToCSV's cleanup of its temporary file ran.
  it(`mid-ToCSV of a slow stream: no output file and no temporary file are left (exit ${code})`, async () => {
    const out = join(scratch, 'out');
    const r = await runUntilInterrupted('slow-csv.ts', 'streaming', {}, () => expect(readdirSync(out)).toHaveLength(1));
    expect(r.code).toBe(code);
    expect(existsSync(join(out, 'slow.csv'))).toBe(false);
    expect(readdirSync(out)).toEqual([]);
  });

  // Was bug C1 (fixed in f7429a2): the CLI waited for open() to finish (here 60 s), then ran the task.
  it(`while a resource is opening: exits ${code} at once, never runs the task`, async () => {
    const { child, done } = startCli([fixture('open-hangs.ts')], { cwd: scratch, env });
    await eventually(() => events().includes('opening'), 20_000, 'opening');
    const sent = await interrupt(child, signal);
    const exited = await Promise.race([done, sleep(5_000).then(() => undefined)]);
    if (!exited) child.kill('SIGKILL');
    const r = exited ?? (await done);
    expect(Date.now() - sent).toBeLessThan(5_000);
    expect(r.code).toBe(code);
    expect(events()).not.toContain('Load ran');
  }, 30_000);
});

// Was bug C1 too: the task's `timeout` did not cover opening its resource.
it('a task whose resource hangs while opening fails by its timeout (exit 1)', async () => {
  const { child, done } = startCli([fixture('open-hangs.ts')], { cwd: scratch, env: { ...env, RELI_TIMEOUT: '500' } });
  const exited = await Promise.race([done, sleep(5_000).then(() => undefined)]);
  if (!exited) child.kill('SIGKILL');
  const r = exited ?? (await done);
  expect(r.code).toBe(1);
  expect(r.stderr).toContain('Load timed out after 500 ms');
  expect(events()).not.toContain('Load ran');
}, 30_000);
