import { describe, it, expect, beforeEach } from '@jest/globals';
import { Task, Input, Requires, Resource, bigraysRun, resetJobs, DecoratorError } from '@bigrays/core';
import { getInputRecords, getRequiresRecord, getTaskRecord } from '@bigrays/core/plugin';

class Session extends Resource {
  opened = 0;
  open() {
    this.opened++;
  }
  close() {}
}

/**
 * The same checks compiled twice: by the legacy-decorators Jest project
 * (experimentalDecorators) and the standard-decorators one (TC39). Neither
 * relies on emitDecoratorMetadata.
 */
export function decoratorSuite(mode: 'legacy' | 'standard'): void {
  beforeEach(() => resetJobs());

  describe(`decorators (${mode})`, () => {
    it('records task, requires and input metadata as plain records', () => {
      @Task({ retries: 2, name: 'extract' }) class Extract { run() { return [1]; } }
      @Task() @Requires(Session, { DB_DSN: 'x' }) class Load { @Input(Extract) rows!: number[]; run() {} }
      expect(getTaskRecord(Extract)).toMatchObject({ name: 'extract', options: { retries: 2, name: 'extract' } });
      expect(getRequiresRecord(Load)).toEqual({ resource: Session, config: { DB_DSN: 'x' } });
      expect(getInputRecords(Load)).toEqual([{ property: 'rows', upstream: Extract, lazy: false }]);
      // Proves which compiler mode ran: only standard decorators attach Symbol.metadata to the class.
      const metadata = (Load as unknown as Record<symbol, unknown>)[Symbol.for('Symbol.metadata')];
      expect(metadata === undefined || metadata === null ? 'legacy' : 'standard').toBe(mode);
    });

    it('injects inputs, inherits @Requires and @Input from base classes, passes the resource', async () => {
      @Task() class Source { run() { return 21; } }
      @Requires(Session) class Base { @Input(Source) value!: number; }
      @Task() class Derived extends Base { run(session: Session) { return this.value * 2 + session.opened - 1; } }
      @Task() class Later { @Input(() => Derived) derived!: number; run() { return this.derived + 1; } }
      const result = await bigraysRun();
      expect(result.output(Derived)).toBe(42);
      expect(result.output(Later)).toBe(43);
    });

    it('keeps a subclass input apart from its base class', () => {
      @Task() class A { run() { return 1; } }
      @Task() class B { run() { return 2; } }
      class Base { @Input(A) x!: number; }
      class Sub extends Base { @Input(B) y!: number; }
      expect(getInputRecords(Base).map((r) => r.property)).toEqual(['x']);
      expect(getInputRecords(Sub).map((r) => r.property).sort()).toEqual(['x', 'y']);
    });

    it('accepts bare @Task without parentheses (issue 14, item 7): the task is registered and runs', async () => {
      // A bare decorator is what a Python user writes first: it must register, not vanish.
      @Task class Bare { run() { return 'sent'; } }
      expect(getTaskRecord(Bare)).toMatchObject({ name: 'Bare', options: {} });
      const result = await bigraysRun();
      expect(result.output(Bare)).toBe('sent');
    });

    it('a task class reads as its name in messages and as [Task Name extends Base] when inspected (issue 14, item 4)', async () => {
      const { inspect } = await import('node:util');
      class Base { run() { return 1; } }
      @Task() class Pull extends Base {}
      @Task({ name: 'push' }) class Push { run() {} }
      expect(`${Pull}`).toBe('Pull');
      expect(String(Push)).toBe('push');
      expect(inspect(Pull)).toBe('[Task Pull extends Base]');
      expect(inspect(Push)).toBe('[Task push]');
      class NotDecorated extends Pull {}
      expect(`${NotDecorated}`).toBe('NotDecorated');
      expect(inspect(NotDecorated)).toBe('[class NotDecorated extends Pull]');
    });

    it('names the class in @Input errors under both decorator modes (issue 14, item 13)', () => {
      class NotATask { run() {} }
      expect(() => {
        @Task() class Consumer { @Input(NotATask) x!: unknown; run() {} }
        void Consumer;
      }).toThrow(/@Input\(NotATask\) on Consumer\.x: NotATask is not a task/);
      expect(() => {
        @Task() class Holder { @Input(undefined as never) y!: unknown; run() {} }
        void Holder;
      }).toThrow(/@Input\(\) on Holder\.y: the upstream task is undefined/);
    });

    it('throws at decoration time, naming class and fix', () => {
      class Plain { run() {} }
      expect(() => {
        // Standard field decorators do not know their class: @Task() throws the problem, naming it.
        @Task() class Uses { @Input(Plain) x!: unknown; run() {} }
        void Uses;
      }).toThrow(/@Input\(Plain\) on .*x: Plain is not a task; decorate it with @Task\(\)/);
      expect(() => {
        @Task() class Src { run() {} }
        @Task() class S { @Input(Src) static x: unknown; run() {} }
        void S;
      }).toThrow(DecoratorError);
      expect(() => {
        @Requires(Plain as never) class R { run() {} }
        void R;
      }).toThrow('@Requires() on R: Plain is not a Resource; pass a class that extends Resource from @bigrays/core');
    });
  });
}
