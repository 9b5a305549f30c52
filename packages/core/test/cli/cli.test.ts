import { describe, it, expect, beforeEach } from '@jest/globals';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli, startCli, normalize, waitFor, REPO, BIN, childEnv } from '../../../../test/support/cli.js';

const FIXTURES = join(REPO, 'packages', 'core', 'test', 'fixtures');
const job = (name: string) => join(FIXTURES, 'jobs', name);
let events: string;

beforeEach(() => {
  events = join(mkdtempSync(join(tmpdir(), 'bigrays-cli-')), 'events.txt');
});
const readEvents = () => (existsSync(events) ? readFileSync(events, 'utf8').trim().split('\n') : []);
const noStack = (text: string) => expect(text).not.toMatch(/\n\s+at .+:\d+:\d+/);

describe('bigrays <job>', () => {
  it('runs a good job: output, summary, resource closed, exit 0', () => {
    const r = runCli([job('good.ts')], { env: { BIGRAYS_TEST_EVENTS: events } });
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe('[{"id":10,"label":"rows for 2026-01-01"},{"id":20,"label":"rows for 2026-01-01"}]');
    expect(normalize(r.stderr)).toMatchSnapshot();
    expect(readEvents()).toEqual(['open', 'close']);
  });

  it('--param overrides updateFormatKws', () => {
    const r = runCli([job('good.ts'), '--param', 'day=2030-12-31']);
    expect(r.stdout).toContain('rows for 2030-12-31');
  });

  it('a failing task: exit 1, names failed and skipped tasks, runs runWithExceptions, no stack trace', () => {
    const r = runCli([job('failing.ts')], { env: { BIGRAYS_TEST_EVENTS: events } });
    expect(r.code).toBe(1);
    expect(r.stdout.trim()).toBe('alert sent');
    expect(r.stderr).toContain('bigrays: job failed (failed: Breaks; skipped: NeverRuns)');
    expect(r.stderr).toContain('✖ Breaks failed: the warehouse is on fire');
    noStack(r.stderr);
    expect(readEvents()).toEqual(['open', 'close: Breaks failed: the warehouse is on fire']);
    expect(normalize(r.stderr)).toMatchSnapshot();
  });

  // Issue 14, item 17: with stdout and stderr piped (separately or to one pipe), the error was printed by the
  // run view's line for the task and again by the report that ends the run.
  it.each([
    ['stdout and stderr piped apart', 'pipe'],
    ['both to one pipe (2>&1)', 'same'],
  ])('a failing task: its error is printed once (%s)', (_name, mode) => {
    const args = [BIN, job('failing.ts')];
    const r =
      mode === 'pipe'
        ? runCli(args.slice(1))
        : (() => {
            const out = spawnSync('sh', ['-c', '"$0" "$@" 2>&1', process.execPath, ...args], { cwd: REPO, env: childEnv({ NO_COLOR: '1' }), encoding: 'utf8' });
            return { code: out.status, stdout: out.stdout, stderr: out.stdout };
          })();
    expect(r.code).toBe(1);
    expect(r.stderr.split('the warehouse is on fire').length - 1).toBe(1);
    expect(r.stderr).toContain('✖ Breaks failed after');
    expect(r.stderr).toContain('bigrays: job failed (failed: Breaks; skipped: NeverRuns)\n  ✖ Breaks failed: the warehouse is on fire');
  });

  it('--log-level debug adds the stack trace', () => {
    const r = runCli([job('failing.ts'), '--log-level', 'debug']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/caused by: Error: the warehouse is on fire\n\s+at /);
  });

  it('runs a module that calls bigraysRun() itself exactly once', () => {
    const r = runCli([job('calls-run.ts')], { env: { BIGRAYS_TEST_EVENTS: events } });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('module saw ok=true');
    expect(readEvents()).toEqual(['ran']);
  });

  // Was issue 10 finding 18: exit 2 ("nothing ran") although the run had written.
  it('code after an awaited bigraysRun() that throws: exit 1 (the run wrote), one line naming the module', () => {
    const r = runCli([job('throws-after-run.ts')], { env: { BIGRAYS_TEST_EVENTS: events } });
    expect(readEvents()).toEqual(['exported']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`bigrays: the job module ${job('throws-after-run.ts')} threw after its run started: the post-run step failed`);
    noStack(r.stderr);
  });

  it('a module that throws while its un-awaited bigraysRun() is writing: the CLI waits for the run, then exits 1', () => {
    const r = runCli([job('unawaited-run-throws.ts')], { env: { BIGRAYS_TEST_EVENTS: events } });
    expect(readEvents()).toEqual(['open', 'writing', 'written', 'close']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('threw after its run started: the module failed after starting its run');
    noStack(r.stderr);
  });

  // Was issue 10 finding 17: the process died with a raw stack, the resource never closed.
  it.each([
    ['an unhandled promise rejection', 'rejection', 'unhandled promise rejection: the background write failed'],
    ['an uncaught exception', 'exception', 'uncaught exception: the background flush threw'],
  ])('%s inside a task fails that task (exit 1), one line naming it, the resource closed', (_name, fault, what) => {
    const r = runCli([job('unhandled-rejection.ts')], { env: { BIGRAYS_TEST_EVENTS: events, BIGRAYS_TEST_FAULT: fault } });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`bigrays: job failed (failed: Leaky; skipped: After)\n  ✖ Leaky failed: ${what}\n`);
    noStack(r.stderr);
    expect(readEvents()).toEqual(['open', 'leaking', 'Leaky aborted', `close: Leaky failed: ${what}`]);
  });

  it('--only and --from select tasks; unknown names are invalid (exit 2)', () => {
    const only = runCli([job('good.ts'), '--only', 'Extract']);
    expect(only.code).toBe(0);
    expect(only.stderr).toContain('1 task ·');
    const from = runCli([job('good.ts'), '--from', 'Transform']);
    expect(from.code).toBe(2);
    // Worded for the flag typed (issue 17): with no checkpoint of Extract (here the ledger is off), --from cannot start at Transform.
    expect(from.stderr.trim()).toBe(
      'bigrays: --from Transform: Transform.rows needs the output of Extract, which --from leaves out, and the run ledger is off (BIGRAYS_STATE=off), so no checkpoint of it can be restored: run the whole job once so its output is checkpointed, or start earlier (--from Extract)',
    );
    const unknown = runCli([job('good.ts'), '--only', 'Nope']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr.trim()).toBe("bigrays: --only Nope: the job has no task named 'Nope'; the job's tasks are: Extract, Transform, Show");
  });

  it('--dry-run plans and runs nothing', () => {
    const r = runCli([job('good.ts'), '--dry-run'], { env: { BIGRAYS_TEST_EVENTS: events } });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('dry run: nothing ran');
    expect(readEvents()).toEqual([]);
  });

  it('compiles a job in a folder without tsconfig.json with standard decorators', () => {
    const r = runCli([join(FIXTURES, 'standard', 'good.ts')]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('"id":20');
  });
});

describe('invalid jobs and usage exit 2 with one clear message', () => {
  const cases: [string, string[], string][] = [
    ['no tasks', [job('no-tasks.ts')], 'bigrays: the job defines no task: decorate at least one class with @Task() (import { Task } from "@bigrays/core")'],
    ['syntax error', [job('syntax-error.ts')], `bigrays: could not load job ${job('syntax-error.ts')}: ${job('syntax-error.ts')}:5:16: ERROR: Expected "]" but found ";"`],
    ['missing parameters', [job('missing-param.ts')], 'bigrays: missing parameters:\n  - {region} has no value (used by Report.path)\n  - {day} has no value (used by Report.path)\nset them with updateFormatKws({ ... }) in the job or --param name=value on the command line'],
    ['missing config', [job('missing-config.ts')], 'bigrays: missing configuration: set BIGRAYS_WAREHOUSE_TOKEN, BIGRAYS_WAREHOUSE_URL (for Warehouse, needed by Load). Export the environment variables, or assign BigraysConfig.<KEY> in the job'],
    ['unknown flag', [job('good.ts'), '--bogus'], "bigrays: Unknown option '--bogus'; see bigrays --help"],
    ['no job', [], 'bigrays: no job file given: bigrays ./job.ts (see bigrays --help)'],
    ['missing file', ['nope.ts'], 'bigrays: job file not found: nope.ts'],
    ['bad param', [job('good.ts'), '--param', 'novalue'], 'bigrays: --param novalue: write --param name=value, with a name of letters, digits and _ (e.g. --param day=2026-01-01)'],
    ['bad graph format', ['graph', job('good.ts'), '--format', 'png'], 'bigrays: --format png: use mermaid or dot'],
  ];
  it.each(cases)('%s', (_name, args, message) => {
    const r = runCli(args);
    expect(r.stderr.trim()).toBe(message);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
  });
});

describe('plan, graph, config, help, version', () => {
  it('plan shows order, resources, inputs and resolved templates', () => {
    const r = runCli(['plan', job('good.ts'), '--param', 'day=X'], { cwd: FIXTURES });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatchSnapshot();
  });

  it('plan of an invalid job exits 2', () => {
    expect(runCli(['plan', job('missing-param.ts')]).code).toBe(2);
  });

  it('graph in mermaid and dot', () => {
    expect(runCli(['graph', job('good.ts')]).stdout).toMatchSnapshot();
    expect(runCli(['graph', job('good.ts'), '--format', 'dot']).stdout).toMatchSnapshot();
  });

  it('config lists keys with their source and masks secrets', () => {
    const r = runCli(['config'], {
      env: { BIGRAYS_DB_DSN: 'postgres://etl:s3cr3t-pw@db/warehouse', BIGRAYS_DB_PWD: 'hunter2-pw', BIGRAYS_MY_SETTING: 'mine', BIGRAYS_MY_KEY: 'key-value-pw' },
    });
    expect(r.code).toBe(0);
    expect(r.stdout).not.toContain('s3cr3t-pw');
    expect(r.stdout).not.toContain('hunter2-pw');
    expect(r.stdout).toMatch(/DB_DSN\s+BIGRAYS_DB_DSN\s+environment\s+postgres:\/\/etl:\*\*\*\*@db\/warehouse/);
    expect(r.stdout).toMatch(/DB_PWD\s+BIGRAYS_DB_PWD\s+environment\s+\*\*\*\*/);
    expect(r.stdout).toMatch(/MY_SETTING\s+BIGRAYS_MY_SETTING\s+environment\s+mine/);
    // A name ending in _KEY is a secret's (issue 10, finding 12).
    expect(r.stdout).toMatch(/MY_KEY\s+BIGRAYS_MY_KEY\s+environment\s+\*\*\*\*/);
    expect(r.stdout).not.toContain('key-value-pw');
    expect(r.stdout).toMatch(/AWS_REGION\s+BIGRAYS_AWS_REGION\s+unset/);
  });

  it('--help and --version', () => {
    const help = runCli(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('bigrays plan <job>');
    const version = runCli(['--version']);
    expect(version.stdout.trim()).toMatch(/^bigrays \d+\.\d+\.\d+$/);
  });
});

describe('terminal view', () => {
  it('redraws a live task list with elapsed time and rows/bytes so far, then a summary', () => {
    // `script` gives the CLI a pseudo-terminal, as a person running it would have.
    const r = spawnSync('script', ['-qec', `${process.execPath} ${BIN} ${job('slow.ts')}`, '/dev/null'], {
      cwd: REPO,
      encoding: 'utf8',
      env: { ...process.env, TERM: 'xterm' },
    });
    const out = r.stdout;
    expect(out).toMatch(/\x1b\[\d+F/); // cursor moved back up to redraw in place
    expect(out).toMatch(/[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏]\x1b\[0m Slow {2}\x1b\[2m\d+ ms\x1b\[0m {2}\d,000 rows · \d+ KiB/); // live progress
    expect(out).toContain('10,000 rows · 640 KiB');
    expect(out).toMatch(/Summary\x1b\[0m: 4 tasks/);
    expect(out).toContain('Never skipped: an earlier task failed');
  });
});

describe('signals', () => {
  it.each([
    ['SIGTERM', 143],
    ['SIGINT', 130],
    ['SIGHUP', 129],
  ] as const)('%s mid-task closes the resource and exits %i', async (signal, code) => {
    const { child, done } = startCli([job('hangs.ts')], { env: { BIGRAYS_TEST_EVENTS: events } });
    await waitFor(() => readEvents().includes('running'));
    child.kill(signal);
    const r = await done;
    expect(r.code).toBe(code);
    expect(readEvents()).toEqual(['open', 'running', `close: Hang failed: interrupted by ${signal}`]);
    expect(r.stderr).toContain(`interrupted by ${signal}`);
    // No error report ends an interrupted run: the view shows the failed task's error, once.
    expect(r.stderr).toContain(`✖ Hang failed: interrupted by ${signal}`);
    expect(r.stderr.split('Hang failed: interrupted').length - 1).toBe(1);
  });
});

describe('configuration precedence', () => {
  it('BIGRAYS_* seeds BigraysConfig (arbitrary keys too); assignment in code wins', () => {
    const script = `
      import { BigraysConfig } from '@bigrays/core';
      import { configSource } from '@bigrays/core/plugin';
      const before = [BigraysConfig.FOO, configSource('FOO'), BigraysConfig.BAR, configSource('BAR')];
      BigraysConfig.FOO = 'code';
      console.log(JSON.stringify([...before, BigraysConfig.FOO, configSource('FOO')]));`;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
      cwd: REPO,
      env: { ...process.env, BIGRAYS_FOO: 'env' },
      encoding: 'utf8',
    });
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toEqual(['env', 'environment', null, 'unset', 'code', 'code']);
  });
});
