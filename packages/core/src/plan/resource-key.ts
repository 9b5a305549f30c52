import type { RequiresRecord } from '../metadata/records.js';
import type { ResourceUse } from './plan.js';

const classIds = new WeakMap<object, number>();
let nextClassId = 1;

/** A key equal for the same resource class with equal override values (order-insensitive). */
export function resourceUse(record: RequiresRecord): ResourceUse {
  let id = classIds.get(record.resource);
  if (id === undefined) classIds.set(record.resource, (id = nextClassId++));
  const overrides = Object.fromEntries(Object.entries(record.config).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  return { resource: record.resource, overrides, key: `${id}:${record.resource.name}:${JSON.stringify(overrides)}` };
}
