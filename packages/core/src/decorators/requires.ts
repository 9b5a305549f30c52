import 'reflect-metadata';
import { REQUIRES_KEY } from '../metadata/keys.js';
import type { RequiresRecord } from '../metadata/records.js';
import { isStandardContext } from '../metadata/decorator-context.js';
import { DecoratorError } from '../errors/errors.js';
import { Resource, type ResourceClass } from '../resources/resource.js';
import { declareConfigKeys } from '../config/config-keys.js';

/**
 * Declares that a task needs `resource` open while it runs. `config`
 * overrides configuration values for this task only, e.g. a second database:
 * `@Requires(SQLSession, { DB_DSN: 'postgres://reporting/db' })`.
 * Subclasses inherit the requirement.
 */
export function Requires(resource: ResourceClass, config: Readonly<Record<string, string>> = {}) {
  return function requiresDecorator(target: abstract new (...args: never[]) => unknown, context?: unknown): void {
    const where = typeof target === 'function' ? target.name : String(target);
    if (typeof target !== 'function' || (context !== undefined && isStandardContext(context) && context.kind !== 'class')) {
      throw new DecoratorError('@Requires() decorates classes only: put it on the line before `class MyTask`');
    }
    if (typeof resource !== 'function' || !(resource.prototype instanceof Resource)) {
      throw new DecoratorError(
        `@Requires() on ${where}: ${describe(resource)} is not a Resource; pass a class that extends Resource from @bigrays/core`,
      );
    }
    for (const [key, value] of Object.entries(config)) {
      if (typeof value !== 'string') {
        throw new DecoratorError(`@Requires(${resource.name}) on ${where}: config value of '${key}' must be a string`);
      }
    }
    const record: RequiresRecord = { resource, config: { ...config } };
    Reflect.defineMetadata(REQUIRES_KEY, record, target);
    // From the job's definition on, the resource's secret keys are masked in log records.
    declareConfigKeys(resource);
  };
}

function describe(value: unknown): string {
  return typeof value === 'function' ? value.name || 'an anonymous function' : String(value);
}
