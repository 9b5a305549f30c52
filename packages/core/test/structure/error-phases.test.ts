/**
 * One map from error kind to phase (issue 11): every kind has a phase, and
 * the CLI's exit code follows it (load/plan: 2, nothing ran; run: 1).
 */
import { describe, expect, it } from '@jest/globals';
import { PHASE_OF_KIND, phaseOf } from '../../src/errors/phases.js';
import { exitCodeOf } from '../../src/cli/report-error.js';
import { ConfigurationError, DecoratorError, InterruptedError, PlanError, ResourceError, TaskError, TaskInterfaceError, UsageError, StateError, JobFailedError, JobResult } from '@bigrays/core';

describe('error phases', () => {
  it('each kind has one phase; the exit code is derived from it', () => {
    const errors = [
      new UsageError('u'),
      new DecoratorError('d'),
      new ConfigurationError('c'),
      new PlanError('p'),
      new TaskInterfaceError('t'),
      new StateError('s'),
      new ResourceError('R', 'r'),
      new TaskError('T', 't'),
      new JobFailedError(new JobResult([], new Map(), 0)),
      new InterruptedError('SIGINT'),
    ];
    expect(errors.map((e) => [e.kind, phaseOf(e), exitCodeOf(e)])).toEqual([
      ['usage', 'load', 2],
      ['decorator', 'load', 2],
      ['configuration', 'plan', 2],
      ['plan', 'plan', 2],
      ['task-interface', 'plan', 2],
      ['state', 'plan', 2],
      ['resource', 'run', 1],
      ['task', 'run', 1],
      ['job-failed', 'run', 1],
      ['interrupted', 'run', 1],
    ]);
    expect(Object.keys(PHASE_OF_KIND).sort()).toEqual(errors.map((e) => e.kind).sort());
  });

  it('anything else is a run error; a bigrays error of another copy is read by its kind', () => {
    expect(phaseOf(new Error('x'))).toBe('run');
    expect(phaseOf('x')).toBe('run');
    const foreign = Object.assign(new Error('p'), { kind: 'plan', userError: true });
    expect([phaseOf(foreign), exitCodeOf(foreign)]).toEqual(['plan', 2]);
  });
});
