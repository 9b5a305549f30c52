import { createRequire } from 'node:module';
import type { Logger } from 'tslog';
import { addSecretKeyNames, secretKeyNames } from '../config/config-keys.js';

/** tslog's level ids; `silent` hides output. */
export const LOG_LEVELS = { silly: 0, trace: 1, debug: 2, info: 3, warn: 4, error: 5, fatal: 6, silent: 7 } as const;
export type LogLevelName = keyof typeof LOG_LEVELS;

let logger: Logger<unknown> | undefined;

// Jest's ESM runtime cannot require() an ES module: there, tslog is loaded ahead, asynchronously.
let preloaded: typeof import('tslog') | undefined;
if (process.env.JEST_WORKER_ID !== undefined) {
  import('tslog').then(
    (module) => (preloaded = module),
    () => undefined,
  );
}

function loadTslog(): typeof import('tslog') {
  try {
    // Loaded on first use (require of an ES module, Node ≥ 20.19): tslog costs ~70 ms of start-up that a job that never logs should not pay.
    return createRequire(import.meta.url)('tslog') as typeof import('tslog');
  } catch (error) {
    if (preloaded) return preloaded;
    throw error;
  }
}
/** A level set before the logger exists; applied when it is created. */
let pendingLevel: LogLevelName | undefined;

/**
 * The `bigrays` logger (tslog). Library use logs nothing: it starts with
 * tslog's `hidden` output. Turn it on with `setLogLevel('info')` or by
 * configuring it (`getLogger().settings.type = 'pretty'`). The CLI sets it
 * from `--log-level` (default `info`).
 */
export function getLogger(): Logger<unknown> {
  if (!logger) {
    const { Logger: TsLogger } = loadTslog();
    addSecretKeyNames(['password', 'secretAccessKey']);
    logger = new TsLogger({
      name: 'bigrays',
      type: 'hidden',
      minLevel: LOG_LEVELS.info,
      // The secret config keys resources declare (`static configKeys`) join this live list as they are declared.
      mask: { keys: secretKeyNames(), caseInsensitive: true },
      // No source position: it would name bigrays' own files (src/… paths an npm install does not ship), and costs a stack per line.
      stack: { capture: 'off' },
      pretty: {
        template: '{{yyyy}}-{{mm}}-{{dd}} {{hh}}:{{MM}}:{{ss}}.{{ms}}\t{{logLevelName}}\t{{name}}\t',
        // Diagnostics go to stderr: stdout belongs to the job's own output (piped into files and other programs).
        levelMethod: { '*': (...args: unknown[]) => console.error(...args) },
      },
    });
    if (pendingLevel) applyLevel(logger, pendingLevel);
  }
  return logger;
}

/**
 * The logger if a message at `level` could be shown, else undefined.
 * bigrays' own code logs through this, so it never loads tslog for
 * messages nobody would see.
 */
export function activeLogger(level: LogLevelName): Logger<unknown> | undefined {
  if (logger) return logger;
  if (pendingLevel === undefined || LOG_LEVELS[pendingLevel] > LOG_LEVELS[level]) return undefined;
  try {
    return getLogger();
  } catch {
    // Logging must never fail a job.
    return undefined;
  }
}

/** Sets the `bigrays` logger's level by name (`silent` hides everything). */
export function setLogLevel(level: LogLevelName): void {
  pendingLevel = level;
  if (logger) applyLevel(logger, level);
}

function applyLevel(target: Logger<unknown>, level: LogLevelName): void {
  if (level === 'silent') {
    target.settings.type = 'hidden';
    return;
  }
  target.settings.type = 'pretty';
  target.settings.minLevel = LOG_LEVELS[level];
}
