// Starts moto_server on a free loopback port for scenario 3 and stops it (by its pid) afterwards.
import { spawn, execFileSync } from 'node:child_process';
import { createServer } from 'node:net';
import { openSync, closeSync } from 'node:fs';
import { join } from 'node:path';
import { AWS_ENV, LOG_DIR } from './env.mjs';

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function waitReady(endpoint, child, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`moto_server exited with code ${child.exitCode} (log: ${LOG_DIR}/moto.log)`);
    try {
      const res = await fetch(`${endpoint}/moto-api/`);
      if (res.status < 500) return;
    } catch {}
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`moto_server did not answer at ${endpoint} within ${timeoutMs / 1000} s`);
}

/** Resolves to { endpoint, port, stop(), aws(args) }. */
export async function startMoto() {
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  const logFd = openSync(join(LOG_DIR, 'moto.log'), 'w');
  const child = spawn('moto_server', ['-H', '127.0.0.1', '-p', String(port)], { stdio: ['ignore', logFd, logFd], env: { ...process.env, ...AWS_ENV } });
  closeSync(logFd);
  const stop = () =>
    new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
      setTimeout(() => child.exitCode === null && child.kill('SIGKILL'), 5000).unref();
    });
  try {
    await waitReady(endpoint, child);
  } catch (err) {
    await stop();
    throw err;
  }
  const aws = (args) => execFileSync('aws', ['--endpoint-url', endpoint, ...args], { encoding: 'utf8', env: { ...process.env, ...AWS_ENV }, stdio: ['ignore', 'pipe', 'pipe'] });
  return { endpoint, port, pid: child.pid, stop, aws };
}
