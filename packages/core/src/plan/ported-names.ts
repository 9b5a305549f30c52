import { portedAttributesOf, requiredAttributesOf, templateAttributesOf } from '../metadata/task-contract.js';

/**
 * Python bigrays attribute names any task might carry, with what to write
 * instead. A ported attribute that bigrays would silently ignore is a plan
 * error: the user believes it took effect.
 */
const GENERAL: Readonly<Record<string, string>> = {
  run_with_exceptions: 'use @Task({ runWithExceptions: true })',
  runWithExceptions: 'it is an option of the decorator: @Task({ runWithExceptions: true })',
  required_resource: 'use @Requires(ResourceClass) on the class',
  requiredResource: 'use @Requires(ResourceClass) on the class',
  resource_config: "use @Requires(ResourceClass, { DB_DSN: '...' }) on the class",
  format_kws: 'write formatKws = { ... }',
};

const camel = (snake: string) => snake.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());

/**
 * Attributes of a task instance (or static ones on its class) that are
 * Python names, each as `Task.attribute: fix`. A snake_case name whose
 * camelCase form the task knows (`server_side_encryption`) is reported too.
 */
export function portedNameProblems(name: string, taskClass: object, instance: Readonly<Record<string, unknown>>): string[] {
  const ported = { ...GENERAL, ...portedAttributesOf(taskClass) };
  const known = new Set([...requiredAttributesOf(taskClass), ...templateAttributesOf(taskClass)]);
  const problems: string[] = [];
  const check = (key: string, where: string) => {
    let fix = Object.hasOwn(ported, key) ? ported[key] : undefined;
    if (fix === undefined && key.includes('_')) {
      const suggestion = camel(key);
      if (suggestion !== key && (known.has(suggestion) || suggestion in instance)) fix = `write ${suggestion} = ...`;
    }
    if (fix !== undefined) problems.push(`${name}.${where}${key} is a Python bigrays name that bigrays for TypeScript would ignore: ${fix}`);
  };
  for (const key of Object.keys(instance)) check(key, '');
  for (const key of Object.keys(taskClass)) if (Object.hasOwn(GENERAL, key) || Object.hasOwn(portedAttributesOf(taskClass), key)) check(key, 'static ');
  return problems;
}
