/**
 * Shared by the example, docs and snapshot suites: run a job through the
 * built CLI the way a newcomer does, but isolated.
 *
 * - Every `BIGRAYS_*` variable of the developer's shell (and the harness's
 *   own `BIGRAYS_TEST_*`) is removed, so a stray BIGRAYS_DB_DSN can never
 *   point an example at a real database, and `bigrays config` shows only
 *   what the test set.
 * - `TMPDIR` is a fresh directory per run: the examples keep their SQLite
 *   files and outputs under `os.tmpdir()`, so runs never share state (nor
 *   with a person running the same example by hand).
 * - `moto: true` adds the AWS variables for the moto_server of the Jest
 *   global setup.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN, REPO, childEnv, type CliResult } from '../support/cli.js';
import { motoEndpoint } from '../support/services.js';

export { REPO, BIN };
export { PG_DSN, MARIADB_DSN } from '../support/services.js';
export const MOTO_REGION = 'us-east-1';

/** A new private temp directory (its real path: macOS and some CI machines symlink /tmp). */
export function freshTmp(prefix = 'bigrays-example-'): string {
  return realpathSync(mkdtempSync(join(tmpdir(), prefix)));
}

/** The AWS variables for the test's moto_server. */
export function motoEnv(): Record<string, string> {
  return {
    BIGRAYS_AWS_ENDPOINT_URL: motoEndpoint() ?? 'http://127.0.0.1:1',
    BIGRAYS_AWS_REGION: MOTO_REGION,
    BIGRAYS_S3_ACCESS_KEY_ID: 'testing',
    BIGRAYS_S3_SECRET_ACCESS_KEY: 'testing',
  };
}

export interface RunOptions {
  /** Extra environment (after the BIGRAYS_* clean-up). */
  env?: Record<string, string | undefined>;
  /** Add the moto variables. */
  moto?: boolean;
  /** TMPDIR of the child (default: a fresh one). */
  tmp?: string;
  cwd?: string;
  /** The program: the CLI (default) or plain `node` (for scripts such as the functional example). */
  program?: 'bigrays' | 'node';
}

export interface ExampleRun extends CliResult {
  /** The child's TMPDIR. */
  tmp: string;
}

/** The environment of an isolated child. */
export function isolatedEnv(options: RunOptions & { tmp: string }): NodeJS.ProcessEnv {
  const env: Record<string, string | undefined> = {};
  for (const key of Object.keys(process.env)) {
    if (key.startsWith('BIGRAYS_')) env[key] = undefined;
  }
  return childEnv({
    ...env,
    ...(options.moto ? motoEnv() : {}),
    // The run ledger goes to the child's temporary folder, never into examples/.
    BIGRAYS_STATE: join(options.tmp, 'bigrays-state'),
    ...options.env,
    TMPDIR: options.tmp,
    FORCE_COLOR: '0',
    NO_COLOR: '1',
  });
}

/** Runs `bigrays <args>` (or `node <args>`) isolated; never throws for a non-zero exit. */
export function run(args: readonly string[], options: RunOptions = {}): ExampleRun {
  const tmp = options.tmp ?? freshTmp();
  const argv = options.program === 'node' ? [...args] : [BIN, ...args];
  const r = spawnSync(process.execPath, argv, {
    cwd: options.cwd ?? REPO,
    env: isolatedEnv({ ...options, tmp }),
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { code: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr, tmp };
}

/** For failure messages: everything the child printed. */
export function printed(r: CliResult): string {
  return `exit ${r.code}${r.signal ? ` (${r.signal})` : ''}\n--- stdout\n${r.stdout}\n--- stderr\n${r.stderr}`;
}

/** Asserts the exit code, showing the child's output when it differs. */
export function expectExit(r: CliResult, code: number): void {
  if (r.code !== code) throw new Error(`expected exit ${code}, got ${printed(r)}`);
}
