/**
 * `BigraysConfig`: a plain object seeded from `BIGRAYS_*` environment
 * variables when this module loads. Assigning a key in code wins over the
 * environment because it simply overwrites the seeded value.
 */
export type Config = Record<string, string | undefined>;

const ENV_PREFIX = 'BIGRAYS_';

function readEnvironment(env: NodeJS.ProcessEnv): Record<string, string> {
  const seeded: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    if (name.startsWith(ENV_PREFIX) && value !== undefined) seeded[name.slice(ENV_PREFIX.length)] = value;
  }
  return seeded;
}

/** Snapshot of the environment as read at start, to tell `bigrays config` where a value came from. */
const fromEnvironment: Readonly<Record<string, string>> = Object.freeze(readEnvironment(process.env));

/** The job's configuration. Keys are read when a resource opens. */
export const BigraysConfig: Config = { ...fromEnvironment };

/** Where a configuration value comes from. */
export type ConfigSource = 'environment' | 'code' | 'unset';

export function configSource(key: string): ConfigSource {
  const value = BigraysConfig[key];
  if (value === undefined || value === '') return 'unset';
  return fromEnvironment[key] === value ? 'environment' : 'code';
}

/** The effective configuration of one resource opening: global values plus per-task overrides. */
export function effectiveConfig(overrides: Readonly<Record<string, string>> = {}): Config {
  return { ...BigraysConfig, ...overrides };
}

/** Returns the first key of `keys` with a non-empty value. */
export function firstSet(config: Config, ...keys: string[]): string | undefined {
  for (const key of keys) {
    const value = config[key];
    if (value !== undefined && value !== '') return value;
  }
  return undefined;
}

/** The environment variable a config key is read from. */
export const envName = (key: string): string => `${ENV_PREFIX}${key}`;
