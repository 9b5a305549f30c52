/**
 * The extension point for ledger and checkpoint stores that live in other
 * packages: `@bigrays/sql` registers `postgres:`, `mysql:`, `mariadb:` and
 * `sqlite:` ledgers, `@bigrays/aws` registers `s3:` checkpoints. Core never
 * imports them; a store is only looked up when `BIGRAYS_STATE` or
 * `BIGRAYS_CHECKPOINTS` names its scheme. Kept on `globalThis` so that a job
 * importing a second copy of a package still registers with the CLI's core.
 *
 * @module
 */
import type { CheckpointStore, LedgerStore } from './ledger.js';

/** Creates a ledger store for a location such as `postgres://…` (not opened yet). */
export type LedgerStoreFactory = (location: string) => LedgerStore | Promise<LedgerStore>;
/** Creates a checkpoint store for a location such as `s3://bucket/prefix`. */
export type CheckpointStoreFactory = (location: string) => CheckpointStore | Promise<CheckpointStore>;

interface Registry {
  ledgers: Map<string, { factory: LedgerStoreFactory; packageName: string }>;
  checkpoints: Map<string, { factory: CheckpointStoreFactory; packageName: string }>;
}

const KEY = Symbol.for('bigrays:state-stores');
const holder = globalThis as unknown as Record<symbol, Registry | undefined>;
const registry: Registry = (holder[KEY] ??= { ledgers: new Map(), checkpoints: new Map() });

/** Registers a ledger store for URL schemes (without the colon), e.g. `['postgres', 'postgresql']`. */
export function registerLedgerStore(schemes: readonly string[], packageName: string, factory: LedgerStoreFactory): void {
  for (const scheme of schemes) registry.ledgers.set(scheme.toLowerCase(), { factory, packageName });
}

/** Registers a checkpoint store for URL schemes, e.g. `['s3']`. */
export function registerCheckpointStore(schemes: readonly string[], packageName: string, factory: CheckpointStoreFactory): void {
  for (const scheme of schemes) registry.checkpoints.set(scheme.toLowerCase(), { factory, packageName });
}

export function ledgerStoreFor(scheme: string): LedgerStoreFactory | undefined {
  return registry.ledgers.get(scheme.toLowerCase())?.factory;
}

export function checkpointStoreFor(scheme: string): CheckpointStoreFactory | undefined {
  return registry.checkpoints.get(scheme.toLowerCase())?.factory;
}
