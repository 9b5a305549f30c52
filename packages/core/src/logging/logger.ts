import { Logger } from 'tslog';

/** tslog's level ids; 7 is above `fatal`, i.e. silent. */
export const LOG_LEVELS = { silly: 0, trace: 1, debug: 2, info: 3, warn: 4, error: 5, fatal: 6, silent: 7 } as const;
export type LogLevelName = keyof typeof LOG_LEVELS;

let logger: Logger<unknown> | undefined;

/**
 * The `bigrays` logger (tslog). Library use logs nothing: it starts with
 * tslog's `hidden` output. Turn it on with `setLogLevel('info')` or by
 * configuring it (`getLogger().settings.type = 'pretty'`). The CLI sets it
 * from `--log-level` (default `info`).
 */
export function getLogger(): Logger<unknown> {
  logger ??= new Logger({
    name: 'bigrays',
    type: 'hidden',
    minLevel: LOG_LEVELS.info,
    mask: { keys: ['DB_PWD', 'password', 'S3_SECRET_ACCESS_KEY', 'AWS_SECRET_ACCESS_KEY', 'secretAccessKey'], caseInsensitive: true },
  });
  return logger;
}

/** Sets the `bigrays` logger's level by name. */
export function setLogLevel(level: LogLevelName): void {
  const settings = getLogger().settings;
  if (level === 'silent') {
    settings.type = 'hidden';
    return;
  }
  settings.type = 'pretty';
  settings.minLevel = LOG_LEVELS[level];
}
