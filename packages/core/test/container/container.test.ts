import { describe, it, expect, beforeEach } from '@jest/globals';
import { Task, Requires, Input, bigraysRun, runJob, resetJobs, outputOf, BigraysConfig, updateFormatKws, resetFormatKws, JobFailedError, PlanError, TaskInterfaceError, ConfigurationError, TaskError, ResourceError, DecoratorError, type RunEvent } from '@bigrays/core';
import { Bucket, Database, FailsToClose, FailsToOpen, Topic, Warehouse, events, resetEvents } from './fake-resources.js';

beforeEach(() => {
  resetJobs();
  resetEvents();
  resetFormatKws();
  BigraysConfig.DB_DSN = 'default';
});

describe('order', () => {
  it('runs every task of the job in definition order', async () => {
    @Task() class A { run() { events.push('A'); } }
    @Task() class B { run() { events.push('B'); } }
    @Task() class C { run() { events.push('C'); } }
    void [A, B, C];
    const result = await bigraysRun();
    expect(events).toEqual(['A', 'B', 'C']);
    expect(result.ok).toBe(true);
    expect(result.tasks.map((t) => [t.name, t.status])).toEqual([['A', 'succeeded'], ['B', 'succeeded'], ['C', 'succeeded']]);
  });

  it('runs exactly the explicit tasks, in the given order', async () => {
    @Task() class A { run() { events.push('A'); } }
    @Task() class B { run() { events.push('B'); } }
    @Task() class C { run() { events.push('C'); } }
    await bigraysRun(C, A);
    expect(events).toEqual(['C', 'A']);
    void B;
  });

  it('keeps two jobs defined one after the other apart', async () => {
    @Task() class First { run() { events.push('First'); } }
    await bigraysRun();
    @Task() class Second { run() { events.push('Second'); } }
    await bigraysRun();
    expect(events).toEqual(['First', 'Second']);
    void [First, Second];
  });

  it('uses the name option in reports', async () => {
    @Task({ name: 'pull-sales' }) class Pull { run() { return [1, 2]; } }
    const result = await bigraysRun(Pull);
    expect(result.report('pull-sales')).toMatchObject({ status: 'succeeded', rows: 2 });
  });
});

describe('@Input', () => {
  it('injects upstream outputs, also through a thunk, and outputOf returns them', async () => {
    @Task() class Numbers { run() { return [1, 2, 3]; } }
    @Task() class Double {
      @Input(Numbers) numbers!: number[];
      run() { return this.numbers.map((n) => n * 2); }
    }
    @Task() class Sum {
      @Input(() => Double) doubled!: number[];
      async run() { return this.doubled.reduce((a, b) => a + b, 0); }
    }
    const result = await bigraysRun();
    expect(result.output(Sum)).toBe(12);
    expect(outputOf(Double)).toEqual([2, 4, 6]);
    void Numbers;
  });

  it('throws at decoration time for a non-task upstream or a static member', () => {
    class NotATask { run() { return 1; } }
    expect(() => {
      @Task() class Uses { @Input(NotATask) x!: number; run() {} }
      void Uses;
    }).toThrow(/@Input\(NotATask\) on Uses\.x: NotATask is not a task; decorate it with @Task\(\)/);
    expect(() => {
      @Task() class Source { run() { return 1; } }
      @Task() class Static { @Input(Source) static x: number; run() {} }
      void Static;
    }).toThrow(DecoratorError);
  });
});

describe('planning', () => {
  it('rejects an input that runs later, naming both tasks, and runs nothing', async () => {
    @Task() class Early { run() { events.push('Early'); return 1; } }
    @Task() class Late { @Input(Early) x!: number; run() { events.push('Late'); } }
    const error = await bigraysRun(Late, Early).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PlanError);
    expect((error as Error).message).toBe('Late.x needs the output of Early, which runs after Late: run Early before Late');
    expect(events).toEqual([]);
  });

  it('rejects an input that is not part of the run', async () => {
    @Task() class Source { run() { return 1; } }
    @Task() class Sink { @Input(Source) x!: number; run() {} }
    await expect(bigraysRun(Sink)).rejects.toThrow('Sink.x needs the output of Source, which is not part of this run');
  });

  it('prints a cycle as a path', async () => {
    @Task() class A { @Input(() => C) c!: unknown; run() {} }
    @Task() class B { @Input(A) a!: unknown; run() {} }
    @Task() class C { @Input(B) b!: unknown; run() {} }
    void C;
    await expect(bigraysRun()).rejects.toThrow("the tasks' inputs form a cycle: A → C → B → A");
  });

  it('lists every missing parameter with the task and attribute using it', async () => {
    class Templated { static templateAttributes = ['query']; static templateObjectAttributes = ['params']; query!: string; params: Record<string, unknown> = {}; run() { events.push('ran'); } }
    @Task() class Q1 extends Templated { query = 'select * from t where d between {begin} and {end}'; }
    @Task() class Q2 extends Templated { query = 'select {{literal}} {begin}'; params = { region: '{region}', n: 5 }; }
    updateFormatKws({ begin: '2026-01-01' });
    const error = (await bigraysRun().catch((e: unknown) => e)) as PlanError;
    expect(error).toBeInstanceOf(PlanError);
    expect(error.problems).toEqual(['{end} has no value (used by Q1.query)', '{region} has no value (used by Q2.params)']);
    expect(error.message).toContain('--param name=value');
    expect(events).toEqual([]);
    void [Q1, Q2];
  });

  it('fills templates, with {{ }} as literal braces and --param winning over updateFormatKws', async () => {
    class Templated { static templateAttributes = ['query']; static templateObjectAttributes = ['params']; query!: string; params: Record<string, unknown> = {}; run() { return { query: this.query, params: this.params }; } }
    @Task() class Q extends Templated { query = "select '{{\"a\": 1}}', {x} where {y}"; params = { p: 'v-{x}', n: 5 }; }
    updateFormatKws({ x: 'one', y: 'two' });
    const result = await runJob({ tasks: [Q], parameters: { y: 'cli' } });
    expect(result.output(Q)).toEqual({ query: "select '{\"a\": 1}', one where cli", params: { p: 'v-one', n: 5 } });
  });

  it('names the class and the missing required attribute', async () => {
    class Base { static requiredAttributes = ['query', 'input']; run() {} }
    @Task() class NoQuery extends Base {}
    await expect(bigraysRun(NoQuery)).rejects.toThrow(TaskInterfaceError);
    await expect(bigraysRun(NoQuery)).rejects.toThrow("NoQuery lacks required attribute 'query' (required by Base)");
    @Task() class NoRun {}
    await expect(bigraysRun(NoRun)).rejects.toThrow('NoRun has no run() method');
  });

  it('lists every missing BIGRAYS_* variable before anything runs', async () => {
    @Task() @Requires(Database) class Pre { run() { events.push('Pre'); } }
    @Task() @Requires(Warehouse) class Load { run() { events.push('Load'); } }
    delete BigraysConfig.WAREHOUSE_TOKEN;
    BigraysConfig.WAREHOUSE_URL = '';
    const error = (await bigraysRun().catch((e: unknown) => e)) as ConfigurationError;
    expect(error).toBeInstanceOf(ConfigurationError);
    expect(error.missing).toEqual(['BIGRAYS_WAREHOUSE_TOKEN', 'BIGRAYS_WAREHOUSE_URL']);
    expect(error.message).toContain('BIGRAYS_WAREHOUSE_TOKEN, BIGRAYS_WAREHOUSE_URL (for Warehouse, needed by Load)');
    expect(events).toEqual([]);
    void [Pre, Load];
  });

  it('rejects a job with no tasks and explicit non-tasks', async () => {
    await expect(bigraysRun()).rejects.toThrow('the job defines no task');
    class Plain { run() {} }
    await expect(bigraysRun(Plain as never)).rejects.toThrow('(Plain) is not a task');
  });
});

describe('resources', () => {
  it('opens, keeps and swaps resources as the original did, with per-task overrides', async () => {
    const run = (name: string) => () => void events.push(`run ${name}`);
    @Task() @Requires(Database) class T1 { run = run('T1'); }
    @Task() @Requires(Database) class T2 { run = run('T2'); }
    @Task() class T3 { run = run('T3'); }
    @Task() @Requires(Bucket) class T4 { run = run('T4'); }
    @Task() @Requires(Database) class T5 { run = run('T5'); }
    @Task() @Requires(Database, { DB_DSN: 'reporting' }) class T6 { run = run('T6'); }
    @Task() @Requires(Database, { DB_DSN: 'reporting' }) class T7 { run = run('T7'); }
    @Task() @Requires(Topic) class T8 { run = run('T8'); }
    @Task() class T9 { run = run('T9'); }
    void [T1, T2, T3, T4, T5, T6, T7, T8, T9];
    await bigraysRun();
    expect(events).toEqual([
      'open Database', 'run T1', 'run T2', 'run T3',
      'close Database', 'open Bucket', 'run T4',
      'close Bucket', 'open Database', 'run T5',
      'close Database', 'open Database(reporting)', 'run T6', 'run T7',
      'close Database', 'open Topic', 'run T8', 'run T9',
      'close Topic',
    ]);
  });

  it('hands the open resource to run() and inherits @Requires', async () => {
    @Requires(Database) class DbTask { run(db: Database) { return db.config.DB_DSN; } }
    @Task() class Sub extends DbTask {}
    const result = await bigraysRun(Sub);
    expect(result.output(Sub)).toBe('default');
  });

  it('closes the open resource with the error when a task fails, skips the rest but runs runWithExceptions tasks', async () => {
    @Task() @Requires(Database) class Ok { run() { events.push('run Ok'); return 1; } }
    @Task() @Requires(Database) class Boom { run() { events.push('run Boom'); throw new Error('disk full'); } }
    @Task() @Requires(Database) class After { run() { events.push('run After'); } }
    @Task({ runWithExceptions: true }) @Requires(Topic) class Alert { run() { events.push('run Alert'); } }
    @Task({ runWithExceptions: true }) class NeedsAfter { @Input(After) x!: unknown; run() { events.push('run NeedsAfter'); } }
    void [Ok, After, Alert, NeedsAfter];
    const error = (await bigraysRun().catch((e: unknown) => e)) as JobFailedError;
    expect(error).toBeInstanceOf(JobFailedError);
    expect(events).toEqual(['open Database', 'run Ok', 'run Boom', 'close Database (Boom failed: disk full)', 'open Topic', 'run Alert', 'close Topic (Boom failed: disk full)']);
    expect(error.message).toBe('job failed (failed: Boom; skipped: After, NeedsAfter)');
    const report = error.result.report(Boom)!;
    expect(report.status).toBe('failed');
    expect(report.error).toBeInstanceOf(TaskError);
    expect((report.error!.cause as Error).message).toBe('disk full');
    expect(error.cause).toBe(report.error);
    expect(error.result.report(NeedsAfter)!.reason).toBe('its input After has no output');
  });

  it('fails the task whose resource cannot open, and the job when a resource fails to close', async () => {
    @Task() @Requires(FailsToOpen) class A { run() { events.push('run A'); } }
    const e1 = (await bigraysRun(A).catch((e: unknown) => e)) as JobFailedError;
    expect(e1.result.report(A)!.error!.cause).toBeInstanceOf(ResourceError);
    expect(e1.errors[0]!.message).toBe('A failed: could not open FailsToOpen: connection refused');
    expect(events).toEqual(['close FailsToOpen']);

    @Task() @Requires(FailsToClose) class B { run() { events.push('run B'); } }
    const e2 = (await bigraysRun(B).catch((e: unknown) => e)) as JobFailedError;
    expect(e2.result.report(B)!.status).toBe('succeeded');
    expect(e2.message).toContain('FailsToClose failed to close: flush failed');
  });
});

describe('retries and timeouts', () => {
  it('re-runs a failing task with backoff until it succeeds', async () => {
    let calls = 0;
    const seen: RunEvent[] = [];
    @Task({ retries: 3, retryDelayMs: 5 }) class Flaky {
      run() { calls++; if (calls < 3) throw new Error(`flake ${calls}`); return 'done'; }
    }
    const result = await runJob({ tasks: [Flaky], observer: (e) => seen.push(e) });
    expect(result.report(Flaky)).toMatchObject({ status: 'succeeded', attempts: 3 });
    expect(seen.filter((e) => e.type === 'task-retry').map((e) => (e as { delayMs: number }).delayMs)).toEqual([5, 10]);
  });

  it('gives up after the last retry', async () => {
    @Task({ retries: 1, retryDelayMs: 1 }) class Always { run() { throw new Error('nope'); } }
    const error = (await bigraysRun(Always).catch((e: unknown) => e)) as JobFailedError;
    expect(error.result.report(Always)).toMatchObject({ status: 'failed', attempts: 2 });
  });

  it('fails a task that runs past its timeout and aborts its signal', async () => {
    let aborted = false;
    const { taskSignal } = await import('@bigrays/core');
    @Task({ timeout: 50 }) class Hangs {
      run() {
        const signal = taskSignal();
        return new Promise((resolve) => signal.addEventListener('abort', () => { aborted = true; resolve(undefined); }));
      }
    }
    const error = (await bigraysRun(Hangs).catch((e: unknown) => e)) as JobFailedError;
    expect(error.errors[0]!.message).toBe('Hangs timed out after 50 ms (the timeout option of @Task)');
    expect(aborted).toBe(true);
  });

  it('rejects bad options at decoration time', () => {
    expect(() => {
      @Task({ retries: -1 }) class Bad { run() {} }
      void Bad;
    }).toThrow("@Task() on Bad: option 'retries' must be a whole number ≥ 0");
  });
});
