import { ResourceError } from '../errors/errors.js';
import { errorMessage } from '../errors/message.js';
import { effectiveConfig } from '../config/config.js';
import { redact, scrubError } from '../config/secrets.js';
import type { Resource } from '../resources/resource.js';
import type { ResourceUse } from '../plan/plan.js';
import type { RunObserver } from './events.js';

/**
 * Keeps at most one resource open: reuses it while consecutive tasks need
 * the same resource with the same configuration, closes it before opening a
 * different one, and closes it at the end of the job.
 */
export class ResourceManager {
  private current: { use: ResourceUse; instance: Resource } | undefined;
  /** An `open()` still in progress; if the job stops meanwhile, it is closed as soon as it opens. */
  private opening: { instance: Resource; abandoned: boolean } | undefined;
  /** Errors from closing resources; they fail the job. */
  readonly closeErrors: ResourceError[] = [];
  /** The resource being closed now, with how long it may still take (for the notice of a repeated signal). */
  closing: string | undefined;

  constructor(
    private readonly emit: RunObserver,
    private readonly closeTimeoutMs = DEFAULT_CLOSE_TIMEOUT_MS,
  ) {}

  /** The open resource for `use`, opening (or swapping to) it as needed. Tasks without a resource get undefined. */
  async acquire(use: ResourceUse | undefined, task: string): Promise<Resource | undefined> {
    if (!use) return undefined;
    if (this.current?.use.key === use.key) {
      if (await this.isHealthy(this.current.instance)) return this.current.instance;
      await this.close(new ResourceError(use.resource.name, `${use.resource.name} was broken and is reopened`));
    } else if (this.current) {
      await this.close();
    }
    const instance = new use.resource();
    const opening = { instance, abandoned: false };
    this.opening = opening;
    try {
      await instance.open(effectiveConfig(use.overrides));
    } catch (error) {
      await Promise.resolve().then(() => instance.close(error)).catch(() => undefined);
      throw new ResourceError(use.resource.name, `could not open ${use.resource.name}: ${redact(errorMessage(error))}`, {
        cause: scrubError(error),
        userError: true,
      });
    } finally {
      if (this.opening === opening) this.opening = undefined;
    }
    if (opening.abandoned) {
      await Promise.resolve().then(() => instance.close(new Error('the job stopped while the resource was opening'))).catch(() => undefined);
      throw new ResourceError(use.resource.name, `${task}: ${use.resource.name} opened after the job stopped; closed again`);
    }
    this.current = { use, instance };
    this.emit({ type: 'resource-open', resource: use.resource.name, task });
    return instance;
  }

  /** Closes the open resource, if any. `error` tells it why the job (or the task) ended badly. */
  async close(error?: unknown): Promise<void> {
    if (this.opening) this.opening.abandoned = true;
    const open = this.current;
    if (!open) return;
    this.current = undefined;
    const name = open.use.resource.name;
    // A close() that never returns must not block a swap, or the end of the job, forever.
    const timeoutMs = open.use.resource.closeTimeoutMs ?? this.closeTimeoutMs;
    this.closing = `${name} (abandoned after ${formatMs(timeoutMs)} at most)`;
    try {
      const closed = await settlesWithin(Promise.resolve().then(() => open.instance.close(error)), timeoutMs);
      if (!closed) {
        this.closeErrors.push(
          new ResourceError(
            name,
            `${name} did not finish closing within ${formatMs(timeoutMs)} and was abandoned: what it was committing, rolling back or releasing may be incomplete (raise ${name}.closeTimeoutMs if its close is legitimately slow)`,
            { userError: false },
          ),
        );
      }
    } catch (closeError) {
      this.closeErrors.push(
        new ResourceError(open.use.resource.name, `${open.use.resource.name} failed to close: ${redact(errorMessage(closeError))}`, {
          cause: scrubError(closeError),
          userError: false,
        }),
      );
    }
    this.closing = undefined;
    this.emit({ type: 'resource-close', resource: open.use.resource.name, error });
  }

  private async isHealthy(resource: Resource): Promise<boolean> {
    try {
      return await resource.healthy();
    } catch {
      return false;
    }
  }
}

/** Default of `RunOptions.closeTimeoutMs`. */
export const DEFAULT_CLOSE_TIMEOUT_MS = 60_000;

/** Resolves true when `work` settles within `ms` (rejecting as it does), false when it does not. */
function settlesWithin(work: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  return Promise.race([work.then(() => true), timeout]).finally(() => clearTimeout(timer));
}

function formatMs(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}
