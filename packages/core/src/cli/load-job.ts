import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, extname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { UsageError, BigraysError } from '../errors/errors.js';
import { beginJob, currentJobTasks } from '../job/registry.js';
import { checkUndecoratedTasks } from './undecorated-tasks.js';
import { setRunHost } from '../run/host.js';
import type { TaskClass } from '../metadata/records.js';
import type { JobResult } from '../run/job-result.js';

// CommonJS jobs (.cts/.cjs) cannot import @bigrays/core, which is ES modules only.
const TS_EXTENSIONS = new Set(['.ts', '.mts']);
const JS_EXTENSIONS = new Set(['.js', '.mjs']);

/** A job file could not be loaded (syntax error, missing import, a throw at the top level). */
export class JobLoadError extends BigraysError {
  constructor(file: string, cause: unknown) {
    super('usage', `could not load job ${file}: ${describeLoadError(cause)}`, { cause });
  }
}

/** The job module threw after a run it started had begun: the run may have written, so this is a failure (exit 1). */
export class JobModuleError extends BigraysError {
  constructor(file: string, cause: unknown) {
    super('job-failed', `the job module ${file} threw after its run started: ${describeLoadError(cause)}`, { cause });
  }
}

/** What loading a job module gave: the run it requested, and what it threw after requesting it. */
export interface LoadedJob {
  requested?: Promise<JobResult>;
  /**
   * What the module threw after it had called `bigraysRun()` (with
   * `moduleErrorAfterRun: 'return'`): the caller must wait for `requested`
   * before reporting it, so that the run is not cut off mid-write.
   */
  moduleError?: unknown;
}

/**
 * Loads a job module once. While it loads, a `bigraysRun()` call inside the
 * module goes to `onRunRequest` (the first call only; later calls get the
 * same promise), so the job is never run twice.
 */
export async function loadJob(
  file: string,
  onRunRequest: (tasks: readonly TaskClass[]) => Promise<JobResult>,
  options: { moduleErrorAfterRun?: 'throw' | 'return' } = {},
): Promise<LoadedJob> {
  const path = resolve(file);
  if (!existsSync(path)) throw new UsageError(`job file not found: ${file}`);
  if (!statSync(path).isFile()) throw new UsageError(`${file} is a directory, not a job file: bigrays ./job.ts`);
  const ext = extname(path);
  if (!TS_EXTENSIONS.has(ext) && !JS_EXTENSIONS.has(ext)) {
    throw new UsageError(`${file}: a job file ends in .ts, .mts, .js or .mjs`);
  }

  let requested: Promise<JobResult> | undefined;
  // A subclass of a built-in task without @Task() would silently not run: refuse it before anything runs.
  const source = readFileSync(path, 'utf8');
  const checkTasks = () => checkUndecoratedTasks(source, currentJobTasks());
  beginJob();
  setRunHost({
    request(tasks) {
      requested ??= Promise.resolve().then(checkTasks).then(() => onRunRequest(tasks));
      return requested;
    },
  });
  try {
    if (TS_EXTENSIONS.has(ext)) await importTypeScript(path);
    else await importJavaScript(path);
  } catch (error) {
    // A module that awaits its own bigraysRun() rejects with the run's error: that is the run's outcome, not a load failure.
    if (requested && isRunOutcome(error)) return { requested };
    if (requested && options.moduleErrorAfterRun === 'return') return { requested, moduleError: error };
    throw new JobLoadError(file, error);
  } finally {
    setRunHost(undefined);
  }
  if (!requested) checkTasks();
  return { requested };
}

function isRunOutcome(error: unknown): boolean {
  return error instanceof BigraysError && (error.kind === 'job-failed' || error.kind === 'plan' || error.kind === 'configuration' || error.kind === 'task-interface');
}

async function importTypeScript(path: string): Promise<void> {
  // The compiled job carries an inline source map: stacks of errors thrown in the job then name job.ts:<line>, not the cache file.
  process.setSourceMapsEnabled(true);
  const { compileJob } = await import('./compile-job.js');
  await import(await compileJob(path));
}

async function importJavaScript(path: string): Promise<void> {
  // A .js file outside a "type": "module" package is CommonJS to Node, which cannot import @bigrays/core from it.
  if (extname(path) === '.js' && packageType(dirname(path)) !== 'module') return importTypeScript(path);
  try {
    await import(pathToFileURL(path).href);
  } catch (error) {
    // Node's ESM SyntaxError carries no location: ask esbuild where it is.
    if (error instanceof SyntaxError) {
      const { locateSyntaxError } = await import('./compile-job.js');
      const located = await locateSyntaxError(path);
      if (located) throw new Error(located, { cause: error });
      // Valid JavaScript Node could not load before running it: decorators (not yet in Node 20), or `import` in a
      // "type": "commonjs" project. Compile it as a TypeScript job is (ES module, decorators), which nothing ran yet.
      if (NOT_LOADABLE_BY_NODE.test(error.message)) return importTypeScript(path);
    }
    throw error;
  }
}

/** The `type` of the package a file belongs to (the nearest package.json), as Node reads it. */
function packageType(dir: string): string | undefined {
  for (let current = dir; ; current = dirname(current)) {
    const manifest = join(current, 'package.json');
    if (existsSync(manifest)) {
      try {
        return (JSON.parse(readFileSync(manifest, 'utf8')) as { type?: string }).type;
      } catch {
        return undefined;
      }
    }
    if (dirname(current) === current) return undefined;
  }
}

/** Node's parse errors for valid modules it cannot load as they are (a runtime SyntaxError, e.g. of JSON.parse, is not one). */
const NOT_LOADABLE_BY_NODE = /Invalid or unexpected token|Unexpected token '@'|Cannot use import statement outside a module/;

function describeLoadError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  return error.message.trim();
}
