import type { Config } from '../config/config.js';
import type { ConfigKey } from '../config/config-keys.js';

/**
 * A resource a task needs open while it runs (a database session, an S3
 * client). The container creates one instance per opening, calls `open`,
 * hands the instance to each task's `run`, and calls `close` exactly once.
 */
export abstract class Resource {
  /** Configuration keys that must be set (checked before any task runs). */
  static requiredConfig: readonly string[] = [];

  /**
   * How long `close()` may take before the runner abandons it and fails the
   * job with a close error (so that a close that never returns cannot block
   * a swap or the end of the job). Unset: the run's `closeTimeoutMs`
   * (default 60 s). Raise it for a resource whose close commits a lot.
   */
  static closeTimeoutMs: number | undefined = undefined;

  /**
   * Every configuration key the resource reads, with what it is for, whether
   * it is a secret and which key it is an alias of. `bigrays config` lists
   * them, the logger masks the secret ones, and the resource reads aliases
   * from the same list, so a key is described once, where it is used.
   */
  static configKeys: readonly ConfigKey[] = [];

  /**
   * The required keys missing from `config`. Override for rules such as
   * "both or neither"; the default checks `requiredConfig`. It may also
   * throw a `ConfigurationError` for a value that is present but invalid (a
   * malformed DSN): planning then fails before any task runs.
   */
  static missingConfig(config: Config): string[] {
    return this.requiredConfig.filter((key) => config[key] === undefined || config[key] === '');
  }

  /** Opens the resource with the effective configuration (global values plus per-task overrides). */
  abstract open(config: Config): Promise<void> | void;

  /**
   * Closes the resource. `error` is why the job is ending when it failed or
   * was interrupted: roll back, abort, discard. Must not throw for a resource
   * that is already broken.
   */
  abstract close(error?: unknown): Promise<void> | void;

  /**
   * Whether the resource can still serve tasks. The runner reopens an
   * unhealthy resource before the next task (or retry) that needs it.
   */
  healthy(): boolean | Promise<boolean> {
    return true;
  }
}

/** A concrete `Resource` subclass. */
export type ResourceClass<R extends Resource = Resource> = (new () => R) & {
  requiredConfig: readonly string[];
  closeTimeoutMs?: number;
  configKeys?: readonly ConfigKey[];
  missingConfig(config: Config): string[];
  name: string;
};
