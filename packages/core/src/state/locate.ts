/**
 * Where a run's ledger is: the job's name, and the store that
 * `BIGRAYS_STATE` (or the `state` option) points at.
 *
 * @module
 */
import { access, mkdir } from 'node:fs/promises';
import { constants, readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { homedir } from 'node:os';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { basename, dirname, extname, isAbsolute, join, resolve } from 'node:path';
import { StateError } from '../errors/errors.js';
import { BigraysConfig } from '../config/config.js';
import { maskDsn } from '../config/secrets.js';
import { activeLogger } from '../logging/logger.js';
import { FileLedgerStore } from './file-store.js';
import { checkpointStoreFor, ledgerStoreFor } from './store-registry.js';
import type { CheckpointStore, LedgerStore } from './ledger.js';

/** What the caller knows about the job and the ledger it wants. */
export interface StateLocation {
  /** `BIGRAYS_JOB_NAME`, else the job file's name without extension. */
  jobName?: string;
  /** The job file (the CLI's argument); library use: the script that started the process. */
  jobFile?: string;
  /** `off`, a folder, or a store URL; default `BIGRAYS_STATE`, else `.bigrays/` next to the job file. */
  state?: string;
  /** Where checkpoints go; default `BIGRAYS_CHECKPOINTS`, else the ledger's own place. */
  checkpoints?: string;
}

const SCHEME = /^([a-z][a-z0-9+.-]*):/i;

/** Which package registers the store of a scheme (see `store-registry.ts`). */
const STORE_PACKAGES: Readonly<Record<string, string>> = {
  postgres: '@bigrays/sql',
  postgresql: '@bigrays/sql',
  mysql: '@bigrays/sql',
  mariadb: '@bigrays/sql',
  sqlite: '@bigrays/sql',
  s3: '@bigrays/aws',
};

/** Imports a store package as the job would (resolved from its folder); a missing one is reported by the caller. */
async function loadStorePackage(pkg: string, jobFile: string | undefined): Promise<void> {
  let entry: string;
  try {
    // The packages are ES modules only ("import" export): find the folder through package.json, then its import entry.
    const manifest = createRequire(jobFile ?? join(process.cwd(), 'job.js')).resolve(`${pkg}/package.json`);
    const exported = (JSON.parse(readFileSync(manifest, 'utf8')) as { exports?: { '.'?: { import?: string } }; main?: string });
    entry = join(dirname(manifest), exported.exports?.['.']?.import ?? exported.main ?? 'index.js');
  } catch {
    return;
  }
  await import(pathToFileURL(entry).href);
}

/** The job name a run records. */
export function resolveJobName(location: StateLocation): string {
  const configured = location.jobName ?? BigraysConfig.JOB_NAME;
  if (configured !== undefined && configured.trim() !== '') return configured.trim();
  const file = jobFileOf(location);
  if (!file) {
    throw new StateError('cannot tell the job name for the run ledger: pass { jobName } to bigraysRun(), or set BIGRAYS_JOB_NAME (or BIGRAYS_STATE=off)');
  }
  const name = basename(file);
  return name.slice(0, name.length - extname(name).length) || name;
}

function jobFileOf(location: StateLocation): string | undefined {
  const file = location.jobFile ?? process.argv[1];
  return file ? resolve(file) : undefined;
}

/** The configured ledger location, or `off`. */
export function stateSetting(location: StateLocation): string | undefined {
  const value = location.state ?? BigraysConfig.STATE;
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

export function isStateOff(location: StateLocation): boolean {
  return stateSetting(location)?.toLowerCase() === 'off';
}

/** The fallback was announced once per process (the contract says "says so once"). */
let fallbackAnnounced = false;

/**
 * Opens the ledger store. Throws `StateError` naming the store and the fix
 * when it cannot be used. Only the default folder falls back (to the user's
 * state directory); a configured one that cannot be written is an error.
 */
export async function openLedgerStore(location: StateLocation): Promise<LedgerStore> {
  const setting = stateSetting(location);
  let store: LedgerStore;
  if (setting === undefined) {
    const file = jobFileOf(location);
    if (!file) throw new StateError('cannot tell where the job file is for the run ledger: set BIGRAYS_STATE to a folder or a database URL, or BIGRAYS_STATE=off');
    store = await openDefaultFolder(join(dirname(file), '.bigrays'), dirname(file));
  } else {
    const scheme = SCHEME.exec(setting)?.[1]?.toLowerCase();
    if (scheme && scheme !== 'file' && !(scheme.length === 1 && process.platform === 'win32')) {
      const pkg = STORE_PACKAGES[scheme];
      // Found through the registry; a store package the job did not import is loaded now, from the job's folder, only because BIGRAYS_STATE asks for it.
      if (!ledgerStoreFor(scheme) && pkg) await loadStorePackage(pkg, jobFileOf(location));
      const factory = ledgerStoreFor(scheme);
      if (!factory) {
        throw new StateError(
          pkg
            ? `BIGRAYS_STATE=${maskDsn(setting)} needs ${pkg}: install it with its driver and import it in the job (import '${pkg}'), or unset BIGRAYS_STATE to use the .bigrays/ folder`
            : `BIGRAYS_STATE=${maskDsn(setting)}: unknown ledger store '${scheme}:'; use a folder, postgres://, mysql://, mariadb://, sqlite:<path>, or off`,
        );
      }
      store = await factory(setting);
      await openOrExplain(store, 'BIGRAYS_STATE');
    } else {
      const folder = scheme === 'file' ? new URL(setting).pathname : setting;
      store = new FileLedgerStore(isAbsolute(folder) ? folder : resolve(folder));
      await openOrExplain(store, 'BIGRAYS_STATE');
    }
  }
  return store;
}

async function openDefaultFolder(folder: string, jobDir: string): Promise<LedgerStore> {
  const store = new FileLedgerStore(folder);
  try {
    await store.open();
    return store;
  } catch (error) {
    if (!isUnwritable(error)) throw explain(store, error, 'the job folder');
  }
  // A read-only image: keep the ledger in the user's state directory, one folder per job directory.
  const base = process.env.XDG_STATE_HOME || join(homedir(), '.local', 'state');
  const key = createHash('sha256').update(jobDir).digest('hex').slice(0, 12);
  const fallback = new FileLedgerStore(join(base, 'bigrays', `${basename(jobDir) || 'root'}-${key}`));
  await openOrExplain(fallback, 'XDG_STATE_HOME');
  if (!fallbackAnnounced) {
    fallbackAnnounced = true;
    const message = `bigrays: ${folder} cannot be written; the run ledger is kept in ${fallback.root} instead (set BIGRAYS_STATE to choose a place)`;
    const logger = activeLogger('warn');
    if (logger) logger.warn(message);
    else if (!process.env.JEST_WORKER_ID) process.stderr.write(`${message}\n`);
  }
  return fallback;
}

async function openOrExplain(store: LedgerStore, variable: string): Promise<void> {
  try {
    await store.open();
  } catch (error) {
    throw explain(store, error, variable);
  }
}

function explain(store: LedgerStore, error: unknown, variable: string): StateError {
  if (error instanceof StateError) return error;
  const code = (error as NodeJS.ErrnoException)?.code;
  const why =
    code === 'ENOSPC'
      ? 'the disk is full'
      : code === 'EACCES' || code === 'EPERM' || code === 'EROFS'
        ? 'it cannot be written'
        : redactMessage(error);
  return new StateError(
    `the run ledger (${store.description}) cannot be used: ${why}. Fix it, point ${variable === 'BIGRAYS_STATE' ? 'BIGRAYS_STATE' : `${variable} or BIGRAYS_STATE`} elsewhere, or set BIGRAYS_STATE=off to run without a ledger`,
    { cause: error },
  );
}

function redactMessage(error: unknown): string {
  return maskDsn(error instanceof Error ? error.message : String(error));
}

function isUnwritable(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException)?.code;
  return code === 'EACCES' || code === 'EPERM' || code === 'EROFS';
}

/** The store for checkpoints: `BIGRAYS_CHECKPOINTS` when set, else the ledger's own. */
export async function openCheckpointStore(location: StateLocation, ledger: LedgerStore): Promise<CheckpointStore | undefined> {
  const setting = (location.checkpoints ?? BigraysConfig.CHECKPOINTS)?.trim();
  if (!setting) return ledger.checkpoints;
  const scheme = SCHEME.exec(setting)?.[1]?.toLowerCase();
  if (!scheme) {
    const { FileCheckpointStore } = await import('./file-store.js');
    const dir = resolve(setting);
    await mkdir(dir, { recursive: true }).catch(() => undefined);
    await access(dir, constants.W_OK).catch((error: unknown) => {
      throw new StateError(`BIGRAYS_CHECKPOINTS=${setting} cannot be written (${redactMessage(error)}): fix it, or unset it to keep checkpoints with the ledger`, { cause: error });
    });
    return new FileCheckpointStore(dir);
  }
  if (!checkpointStoreFor(scheme) && STORE_PACKAGES[scheme]) await loadStorePackage(STORE_PACKAGES[scheme]!, jobFileOf(location));
  const factory = checkpointStoreFor(scheme);
  if (!factory) {
    throw new StateError(
      scheme === 's3'
        ? `BIGRAYS_CHECKPOINTS=${setting} needs @bigrays/aws: install it and import it in the job, or unset BIGRAYS_CHECKPOINTS`
        : `BIGRAYS_CHECKPOINTS=${setting}: unknown checkpoint store '${scheme}:'; use s3://bucket/prefix or a folder`,
    );
  }
  const store = await factory(setting);
  try {
    await store.open?.();
  } catch (error) {
    await store.close?.().catch(() => undefined);
    if (error instanceof StateError) throw error;
    throw new StateError(`the checkpoint store (${store.description}) cannot be used: ${redactMessage(error)}. Fix it, or unset BIGRAYS_CHECKPOINTS to keep checkpoints with the ledger`, { cause: error });
  }
  return store;
}
