import { leaseExpired } from './lease-expiry.js';
import { LEASE_TTL_MS } from './lease.js';
import type { LedgerStore, RunState, RunSummary } from './ledger.js';

/** A run's state as a user sees it: a `running` run whose lease is gone or expired has `crashed`. */
export async function runState(store: LedgerStore, run: Pick<RunSummary, 'runId' | 'job' | 'status'>): Promise<RunState> {
  if (run.status !== 'running') return run.status;
  const lease = await store.currentLease(run.job);
  if (lease && lease.runId === run.runId && !leaseExpired(lease, LEASE_TTL_MS)) return 'running';
  return 'crashed';
}
