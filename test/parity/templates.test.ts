import { describe, it, expect, beforeEach, afterEach } from '@jest/globals';
import { BigraysConfig, Task, bigraysRun, resetJobs, resetFormatKws, updateFormatKws, PlanError, JobFailedError } from '@bigrays/core';
import { formatTemplate, placeholders } from '@bigrays/core/plugin';
import { buildPlan } from '@bigrays/core/testing';
import { SQLQuery } from '@bigrays/sql';

/** Issue 14, parity items 1 and 2: templates resolve when each task starts; per-task formatKws; Python format specs. */
const savedDsn = BigraysConfig.DB_DSN;
afterEach(() => {
  BigraysConfig.DB_DSN = savedDsn;
});
beforeEach(() => {
  resetJobs();
  resetFormatKws();
});

/** A task that records its template attribute as it saw it in run(). */
class Echo {
  static templateAttributes = ['text'];
  text = '';
  run() {
    return this.text;
  }
}

describe('run-time updateFormatKws (item 1)', () => {
  it('a value set by a task during the run reaches the tasks after it', async () => {
    updateFormatKws({ day: 'plan-time' });
    @Task({ setsParameters: ['batch'] }) class Decide { run() { updateFormatKws({ day: 'run-time', batch: 7 }); } }
    @Task() class Use extends Echo { text = 'day={day} batch={batch:03d}'; }
    const result = await bigraysRun();
    expect(result.output(Use)).toBe('day=run-time batch=007');
    void Decide;
  });

  it('the plan still fails for a placeholder nothing sets (a task calling updateFormatKws must declare setsParameters)', () => {
    @Task() class Decide { run() { updateFormatKws({ batch: 7 }); } }
    @Task() class Use extends Echo { text = '{batch}'; }
    void Decide;
    void Use;
    expect(() => buildPlan()).toThrow(PlanError);
    expect(() => buildPlan()).toThrow(/\{batch\} has no value \(used by Use\.text\)/);
  });

  it('a declared parameter the task did not set fails the later task by name, nothing silently empty', async () => {
    @Task({ setsParameters: ['batch'] }) class Decide { run() {} }
    @Task() class Use extends Echo { text = '{batch}'; }
    void Decide;
    const error = await bigraysRun().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(JobFailedError);
    expect((error as JobFailedError).result.report('Use')?.error?.message).toMatch(/\{batch\} still had no value when Use started/);
    void Use;
  });

  it('SQL text identifier checks apply to values set during the run', async () => {
    @Task({ setsParameters: ['table'] }) class Decide { run() { updateFormatKws({ table: 'orders; drop table x' }); } }
    @Task() class Q extends SQLQuery { query = 'select * from {table}'; }
    BigraysConfig.DB_DSN = 'sqlite::memory:';
    void Decide;
    const error = await bigraysRun().catch((e: unknown) => e);
    expect((error as JobFailedError).result.report('Q')?.error?.message).toMatch(/Q failed: .*identifier/);
  });
});

describe('per-task formatKws (item 2)', () => {
  it('a task class carries its own parameters, winning over the job-wide ones for that task only', async () => {
    updateFormatKws({ region: 'eu' });
    @Task() class Mine extends Echo { formatKws = { region: 'us' }; text = '{region}'; }
    @Task() class Theirs extends Echo { text = '{region}'; }
    const result = await bigraysRun();
    expect(result.output(Mine)).toBe('us');
    expect(result.output(Theirs)).toBe('eu');
  });
});

describe('Python format specs (item 2)', () => {
  it('renders the specs people port', () => {
    const day = new Date(Date.UTC(2026, 0, 5, 7, 8, 9));
    expect(formatTemplate('{n:03d}|{x:.2f}|{d:%Y-%m-%d}|{d:%H:%M:%S}|{big:,}|{s:>5}|{p:.1%}|{h:x}', { n: 7, x: 3.14159, d: day, big: 1234567, s: 'ab', p: 0.256, h: 255 })).toBe(
      '007|3.14|2026-01-05|07:08:09|1,234,567|   ab|25.6%|ff',
    );
    expect(formatTemplate('{n:+d} {n:<4}|{n:^5}|{m:+d}', { n: -3, m: 3 })).toBe('-3 -3  | -3  |+3');
  });

  it('keeps JSON-like braces literal and lists spec placeholders by name', () => {
    expect(placeholders('{a} {b:03d} {"k": 1} {{c}}')).toEqual(['a', 'b']);
    expect(formatTemplate('{"k": 1} {{c}}', {})).toBe('{"k": 1} {c}');
  });

  it('a spec that does not fit the value fails the plan naming task, attribute and fix', () => {
    updateFormatKws({ day: 'yesterday' });
    @Task() class Use extends Echo { text = '{day:%Y}'; }
    void Use;
    expect(() => buildPlan()).toThrow(/Use\.text: \{day:%Y\}: format spec ':%Y' is a date format; the value yesterday is not a Date/);
  });

  it('an ISO date given as text (a --param) takes date codes', () => {
    expect(formatTemplate('{d:%Y%m%d}|{t:%H:%M}', { d: '2026-01-31', t: '2026-01-31T07:05:00Z' })).toBe('20260131|07:05');
  });
});

describe('the plan shows a Date parameter as the templates render it', () => {
  it('ISO 8601, not Date.toString()', () => {
    updateFormatKws({ since: new Date(Date.UTC(2026, 0, 2)) });
    @Task() class Use extends Echo { text = '{since}'; }
    void Use;
    expect(buildPlan().parameters).toEqual({ since: '2026-01-02T00:00:00.000Z' });
  });
});
