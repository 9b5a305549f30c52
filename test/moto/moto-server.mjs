/**
 * Starts and stops a local `moto_server` (https://github.com/getmoto/moto):
 * a real AWS-protocol server (S3, SNS, SQS, ... on one endpoint) the AWS
 * integration tests run against. Used by the Jest global setup/teardown.
 *
 * Plain JavaScript on purpose: Jest loads the global setup through Node's own
 * module loader, which resolves this import natively (a `.ts` file would not
 * load). Types are in `moto-server.d.mts`.
 */
import { spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const HOST = '127.0.0.1';
const READY_TIMEOUT_MS = 20_000;

/** A TCP port that was free a moment ago (bound to port 0, then released). @returns {Promise<number>} */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, HOST, () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** Resolves when `endpoint` answers HTTP; rejects when the child exits first or the time is up. */
async function waitUntilReady(endpoint, child, exited) {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  let exitReason;
  void exited.then((reason) => (exitReason = reason));
  while (Date.now() < deadline) {
    if (exitReason !== undefined) throw new Error(exitReason);
    try {
      const res = await fetch(`${endpoint}/moto-api/`, { signal: AbortSignal.timeout(1000) });
      await res.arrayBuffer();
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGKILL');
  throw new Error(`moto_server did not answer within ${READY_TIMEOUT_MS / 1000} s`);
}

/**
 * Starts `moto_server -H 127.0.0.1 -p <free port>` and waits until it
 * answers. Its output goes to a log file (not a pipe: an undrained pipe
 * would block the server once full). Retries once on another port, in case
 * the first one was taken between finding it and binding it.
 *
 * @param {string} [command] the executable (default `$BIGRAYS_TEST_MOTO_COMMAND` or `moto_server`)
 * @returns {Promise<{ endpoint: string; pid: number; logFile: string }>}
 * @throws Error with the reason (not installed, exited early, no answer).
 */
export async function startMoto(command = process.env.BIGRAYS_TEST_MOTO_COMMAND || 'moto_server') {
  let lastError;
  for (let attempt = 0; attempt < 2; attempt++) {
    const port = await freePort();
    const endpoint = `http://${HOST}:${port}`;
    const logFile = join(tmpdir(), `bigrays-moto-${process.pid}-${port}.log`);
    const fd = openSync(logFile, 'w');
    let child;
    try {
      child = spawn(command, ['-H', HOST, '-p', String(port)], {
        stdio: ['ignore', fd, fd],
        // Its own process group, so teardown ends it together with anything it spawned.
        detached: true,
        env: { ...process.env, PYTHONUNBUFFERED: '1' },
      });
    } finally {
      closeSync(fd);
    }
    const exited = new Promise((resolve) => {
      child.once('error', (err) =>
        resolve(err.code === 'ENOENT' ? `${command} is not installed (pip install 'moto[server]')` : `${command} failed to start: ${err.message}`),
      );
      child.once('exit', (code, signal) => resolve(`${command} exited early (${signal ?? `code ${code}`}): ${tail(logFile)}`));
    });
    try {
      await waitUntilReady(endpoint, child, exited);
      child.unref();
      return { endpoint, pid: child.pid, logFile };
    } catch (error) {
      lastError = error;
      if (child.pid !== undefined) killGroup(child.pid, 'SIGKILL');
      rmSync(logFile, { force: true });
      if (/not installed/.test(lastError.message)) break;
    }
  }
  throw lastError ?? new Error('moto_server did not start');
}

/**
 * Ends the server started by {@link startMoto} (and its process group) and
 * waits until it is gone (SIGTERM, then SIGKILL after 3 s).
 *
 * @param {{ pid: number; logFile: string }} server
 */
export async function stopMoto(server) {
  killGroup(server.pid, 'SIGTERM');
  const deadline = Date.now() + 3000;
  while (alive(server.pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  if (alive(server.pid)) killGroup(server.pid, 'SIGKILL');
  rmSync(server.logFile, { force: true });
}

function killGroup(pid, signal) {
  try {
    process.kill(-pid, signal);
  } catch {
    try {
      process.kill(pid, signal);
    } catch {
      // already gone
    }
  }
}

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function tail(file) {
  try {
    const text = readFileSync(file, 'utf8').trim();
    return text.slice(-600) || '(no output)';
  } catch {
    return '(no output)';
  }
}
