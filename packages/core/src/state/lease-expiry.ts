import { hostname } from 'node:os';
import type { LeaseHolder } from './ledger.js';

/** A lease is expired when its heartbeat is older than the TTL, or its holder ran on this host and is gone. */
export function leaseExpired(lease: LeaseHolder, ttlMs: number, now = Date.now()): boolean {
  const beat = Date.parse(lease.heartbeatAt);
  if (!Number.isFinite(beat) || now - beat > ttlMs) return true;
  if (lease.host === hostname() && lease.pid !== process.pid && !processAlive(lease.pid)) return true;
  return false;
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
