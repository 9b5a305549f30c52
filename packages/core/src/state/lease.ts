/**
 * One run at a time per job: the run takes the job's lease in the ledger and
 * renews it (heartbeat) while it runs. A run that died without releasing
 * it (kill -9, a lost machine) stops renewing; after {@link LEASE_TTL_MS}
 * the next run takes it over. On the same host a dead holder's lease is
 * taken at once (its process id no longer exists).
 *
 * @module
 */
import { StateError } from '../errors/errors.js';
import { activeLogger } from '../logging/logger.js';
import type { LeaseHolder, LedgerStore } from './ledger.js';

/** A lease not renewed for this long is expired: well under a minute. */
export const LEASE_TTL_MS = 30_000;
/** How often the holder renews it. */
export const HEARTBEAT_MS = 10_000;

/** A held lease; {@link Lease.release} ends it. */
export class Lease {
  private readonly timer: NodeJS.Timeout;
  private renewing: Promise<void> = Promise.resolve();
  private released = false;

  private constructor(
    private readonly store: LedgerStore,
    private readonly job: string,
    readonly holder: LeaseHolder,
  ) {
    this.timer = setInterval(() => this.beat(), HEARTBEAT_MS);
    // The heartbeat never keeps a finished process alive.
    this.timer.unref();
  }

  /** Takes the job's lease, or throws `StateError` naming the run that holds it. */
  static async take(store: LedgerStore, job: string, holder: LeaseHolder): Promise<Lease> {
    const current = await store.acquireLease(job, holder, LEASE_TTL_MS);
    if (current) {
      throw new StateError(
        `job ${job} is already running: run ${current.runId} on ${current.host} (pid ${current.pid}), started at ${current.startedAt}, holds its lease in the run ledger. ` +
          `Wait for it to end (a crashed run's lease expires within ${LEASE_TTL_MS / 1000} s), or pass --allow-concurrent`,
      );
    }
    return new Lease(store, job, holder);
  }

  private beat(): void {
    if (this.released) return;
    this.renewing = this.store.renewLease(this.job, this.holder.runId, new Date().toISOString()).catch((error: unknown) => {
      activeLogger('warn')?.warn(`could not renew the lease of job ${this.job} in ${this.store.description}: ${error instanceof Error ? error.message : String(error)}`);
    });
  }

  async release(): Promise<void> {
    if (this.released) return;
    this.released = true;
    clearInterval(this.timer);
    await this.renewing;
    await this.store.releaseLease(this.job, this.holder.runId);
  }
}
