/**
 * The public line of @bigrays/core (issue 11): the package root exports what a
 * job author uses and nothing else; extension packages get their building
 * blocks from `@bigrays/core/plugin`; test hooks from `@bigrays/core/testing`.
 * Adding a name to `.` is an API decision: add it to USER_API here too.
 */
import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const USER_API = [
  // declaring a job
  'Task', 'Requires', 'Input', 'Resource',
  // configuration and parameters
  'BigraysConfig', 'updateFormatKws', 'getFormatKws', 'resetFormatKws',
  // running
  'bigraysRun', 'runJob', 'resetJobs', 'outputOf', 'JobResult',
  // progress and cancellation; incremental cursors
  'reportProgress', 'taskSignal', 'taskCursor', 'withCursor',
  // errors
  'BigraysError', 'ConfigurationError', 'PlanError', 'TaskInterfaceError', 'DecoratorError', 'ResourceError',
  'TaskError', 'InterruptedError', 'UsageError', 'StateError', 'JobFailedError',
  // logging
  'getLogger', 'setLogLevel', 'LOG_LEVELS',
  // tables and export tasks, functional interface
  'Dataset', 'DatasetWriter', 'JsonText', 'ToCSV', 'ToParquet', 'runTask', 'toCsv', 'toParquet',
];

/** Internals that must stay off every public entry point. */
const INTERNAL = ['TASK_KEY', 'REQUIRES_KEY', 'INPUTS_KEY', 'setRunHost', 'getRunHost', 'signalExitCode', 'KNOWN_CONFIG_KEYS', 'registerTask', 'markJobRan', 'withTaskScope', 'trackSpoolFile'];

describe('@bigrays/core public line', () => {
  it("import('@bigrays/core') exposes exactly the user API", async () => {
    const core = await import('@bigrays/core');
    expect(Object.keys(core).sort()).toEqual([...USER_API].sort());
  });

  it('@bigrays/core/plugin holds the extension building blocks and repeats nothing of the root', async () => {
    const plugin = await import('@bigrays/core/plugin');
    const names = Object.keys(plugin);
    for (const needed of ['currentTask', 'CopyProgress', 'tableInputKind', 'toCsvReadable', 'rowsToCsvStream', 'parseCsvBatches', 'redact', 'firstSet', 'taskName']) {
      expect(names).toContain(needed);
    }
    expect(names.filter((n) => USER_API.includes(n))).toEqual([]);
  });

  it('no entry point exports an internal', async () => {
    const entries = [await import('@bigrays/core'), await import('@bigrays/core/plugin'), await import('@bigrays/core/testing')];
    for (const entry of entries) expect(Object.keys(entry).filter((n) => INTERNAL.includes(n))).toEqual([]);
  });

  it('package.json exports exactly ., ./plugin, ./testing (and package.json, the recommended tsconfig)', () => {
    const pkg = JSON.parse(readFileSync(fileURLToPath(new URL('../../package.json', import.meta.url)), 'utf8')) as { exports: Record<string, unknown> };
    expect(Object.keys(pkg.exports).sort()).toEqual(['.', './package.json', './plugin', './testing', './tsconfig.recommended.json']);
  });
});
