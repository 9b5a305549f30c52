import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { eventually } from './poll.js';

export const REPO = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const BIN = join(REPO, 'packages', 'core', 'dist', 'cli', 'bin.js');

/** The environment of a child process: the test's, without Jest's own markers (the CLI must behave as outside Jest). */
export function childEnv(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...extra };
  delete env.JEST_WORKER_ID;
  return env;
}

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs the built `bigrays` CLI as a user would (output not a terminal). */
export function runCli(args: readonly string[], options: { cwd?: string; env?: Record<string, string | undefined> } = {}): CliResult {
  const result = spawnSync(process.execPath, [BIN, ...args], {
    cwd: options.cwd ?? REPO,
    env: childEnv({ ...options.env, FORCE_COLOR: '0', NO_COLOR: '1' }),
    encoding: 'utf8',
    timeout: 120_000,
    // SIGKILL: the CLI traps SIGTERM to clean up, so a hung job would outlive a SIGTERM timeout.
    killSignal: 'SIGKILL',
  });
  return { code: result.status, signal: result.signal, stdout: result.stdout, stderr: result.stderr };
}

/** Starts the CLI in the background (for signal tests). */
export function startCli(args: readonly string[], options: { cwd?: string; env?: Record<string, string | undefined> } = {}) {
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd: options.cwd ?? REPO,
    env: childEnv({ ...options.env, NO_COLOR: '1' }),
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  const done = new Promise<CliResult>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })),
  );
  return { child, done };
}

/** Replaces durations and temp paths so snapshots are stable. */
export function normalize(text: string): string {
  return text
    .replace(/\d+(\.\d+)? (ms|s)\b/g, '<t>')
    .replace(/\d+ m \d+ s/g, '<t>')
    .replace(/[ \t]+$/gm, '')
    .replace(/ {2,}/g, '  ');
}

/** Waits until `predicate` holds, polling. */
export async function waitFor(predicate: () => boolean, timeoutMs = 20_000): Promise<void> {
  await eventually(predicate, timeoutMs);
}

/**
 * `runCli` without blocking the event loop: needed whenever the child talks
 * to something served by this process (the fault proxy), which spawnSync
 * would starve.
 */
export async function runCliAsync(
  args: readonly string[],
  options: { cwd?: string; env?: Record<string, string | undefined>; timeoutMs?: number } = {},
): Promise<CliResult> {
  const { child, done } = startCli(args, { cwd: options.cwd, env: { FORCE_COLOR: '0', ...options.env } });
  const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 120_000);
  try {
    return await done;
  } finally {
    clearTimeout(timer);
  }
}

