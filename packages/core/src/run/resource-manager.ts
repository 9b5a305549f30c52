import { ResourceError } from '../errors/errors.js';
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

  constructor(private readonly emit: RunObserver) {}

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
      throw new ResourceError(use.resource.name, `could not open ${use.resource.name}: ${redact(messageOf(error))}`, {
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
    try {
      await open.instance.close(error);
    } catch (closeError) {
      this.closeErrors.push(
        new ResourceError(open.use.resource.name, `${open.use.resource.name} failed to close: ${redact(messageOf(closeError))}`, {
          cause: scrubError(closeError),
          userError: false,
        }),
      );
    }
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

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
