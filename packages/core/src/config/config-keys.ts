/**
 * Configuration keys as resources declare them (`static configKeys` on a
 * `Resource` subclass). One declaration feeds `bigrays config` (which keys
 * exist, what they are for), the logger's mask (which keys are secrets) and a
 * resource's own reading of aliases (`keyAndAliases`). Core lists no key of
 * its own: the keys belong to the plugins that read them.
 */

/** One configuration key a resource reads. */
export interface ConfigKey {
  /** The key in `BigraysConfig` (`DB_DSN`); its environment variable is `BIGRAYS_<name>`. */
  readonly name: string;
  /** What it is for, shown by `bigrays config` (`SQL: connection string …`). */
  readonly description: string;
  /** A secret: shown masked by `bigrays config`, masked in log records. */
  readonly secret?: boolean;
  /**
   * The key this one is another name for (`AWS_ACCESS_KEY_ID` is an alias of
   * `S3_ACCESS_KEY_ID`): the resource reads the key first, then its aliases in
   * declaration order.
   */
  readonly aliasOf?: string;
}

/** The keys a resource class declares (inherited from its base class), or none. */
export function configKeysOf(resource: unknown): readonly ConfigKey[] {
  // Read by shape, not instanceof: a resource may come from another copy of @bigrays/core.
  const keys = (resource as { configKeys?: unknown } | undefined)?.configKeys;
  return Array.isArray(keys) ? (keys as readonly ConfigKey[]) : [];
}

/** `name` and the keys declared as its aliases, in reading order: `['S3_ACCESS_KEY_ID', 'AWS_ACCESS_KEY_ID']`. */
export function keyAndAliases(keys: readonly ConfigKey[], name: string): string[] {
  return [name, ...keys.filter((k) => k.aliasOf === name).map((k) => k.name)];
}

interface DeclaredKeys {
  readonly keys: Map<string, ConfigKey>;
  /** Names whose values the logger masks; the logger holds this very array, so additions take effect at once. */
  readonly secretNames: string[];
}

// On globalThis, as the job registry: a job importing a second copy of @bigrays/core shares it.
const STATE = Symbol.for('bigrays:config-keys');
const holder = globalThis as unknown as Record<symbol, DeclaredKeys | undefined>;
const state: DeclaredKeys = (holder[STATE] ??= { keys: new Map(), secretNames: [] });

/** Records the keys of a resource class (the planner does it for every resource a job uses). First declaration of a name wins. */
export function declareConfigKeys(resource: unknown): void {
  for (const key of configKeysOf(resource)) {
    if (state.keys.has(key.name)) continue;
    state.keys.set(key.name, key);
    if (key.secret) addSecretKeyNames([key.name]);
  }
}

/** Every key declared so far, in declaration order. */
export function declaredConfigKeys(): ConfigKey[] {
  return [...state.keys.values()];
}

/** Adds names to the live list of secret key names (deduplicated). */
export function addSecretKeyNames(names: readonly string[]): void {
  for (const name of names) if (!state.secretNames.includes(name)) state.secretNames.push(name);
}

/** The live list of secret key names, for the logger's mask. */
export function secretKeyNames(): string[] {
  return state.secretNames;
}
