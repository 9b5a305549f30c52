import { TaskInterfaceError } from '../errors/errors.js';

/**
 * The built-in task base classes. A Python user expects a subclass of one to
 * join the job by itself; here only `@Task()` registers a class, so a
 * subclass without it would be silently left out of the run.
 */
const BUILT_IN_TASKS = new Set([
  'SQLTask', 'SQLQuery', 'SQLExecute', 'SQLWrite',
  'S3Task', 'ToS3', 'S3Upload', 'FromS3', 'ListS3Objects', 'DeleteS3Object',
  'SNSTask', 'SNSPublish', 'SNSPublishEmail', 'ToCSV',
]);

const CLASS = /\bclass\s+([A-Za-z_$][\w$]*)\s+extends\s+([A-Za-z_$][\w$.]*)/g;

/** Source without comments (so a commented-out class is not reported). */
function withoutComments(source: string): string {
  return source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`\\])\/\/.*$/gm, '$1');
}

/**
 * Classes in a job's source that extend a built-in task (directly or
 * through another class of the file) but were not registered with
 * `@Task()`. A class that another class of the file extends is a shared
 * base, not a forgotten task, and is not reported.
 */
export function undecoratedTaskClasses(source: string, registered: ReadonlySet<string>): { name: string; base: string }[] {
  const bases = new Map<string, string>();
  for (const match of withoutComments(source).matchAll(CLASS)) bases.set(match[1]!, match[2]!.split('.').pop()!);
  const extended = new Set(bases.values());
  const taskLike = (name: string, seen = new Set<string>()): boolean => {
    if (seen.has(name)) return false;
    seen.add(name);
    const base = bases.get(name);
    return base !== undefined && (BUILT_IN_TASKS.has(base) || registered.has(base) || taskLike(base, seen));
  };
  return [...bases]
    .filter(([name]) => !registered.has(name) && !extended.has(name) && taskLike(name))
    .map(([name, base]) => ({ name, base }));
}

/** Throws when the job's source has task classes that `@Task()` never registered. */
export function checkUndecoratedTasks(source: string, registered: readonly { name: string }[]): void {
  const found = undecoratedTaskClasses(source, new Set(registered.map((t) => t.name)));
  if (found.length === 0) return;
  const lines = found.map(
    ({ name, base }) => `${name} extends ${base} but has no @Task(), so it would not run: put @Task() on the line before \`class ${name}\``,
  );
  throw new TaskInterfaceError(lines.join('\n'));
}
