import { PlanError } from '../errors/errors.js';
import { isTaskClass, taskName, type TaskClass } from '../metadata/records.js';
import { currentJobTasks } from '../job/registry.js';

/** Which tasks a run covers, before validation. */
export interface TaskSelection {
  /** Explicit list (`bigraysRun(A, B)`); default: every task of the job, in definition order. */
  tasks?: readonly TaskClass[];
  /** Only these task names (CLI `--only`), kept in run order. */
  only?: readonly string[];
  /** Start at this task name (CLI `--from`). */
  from?: string;
}

export function selectTasks(selection: TaskSelection): TaskClass[] {
  const explicit = selection.tasks !== undefined && selection.tasks.length > 0;
  const tasks = explicit ? [...selection.tasks!] : [...currentJobTasks()];

  if (explicit) {
    const problems: string[] = [];
    const seen = new Set<TaskClass>();
    tasks.forEach((task, i) => {
      const repeated = seen.has(task);
      seen.add(task);
      if (!isTaskClass(task)) {
        const shown = typeof task === 'function' ? (task as { name: string }).name || 'an anonymous class' : String(task);
        problems.push(`bigraysRun() argument ${i + 1} (${shown}) is not a task: decorate the class with @Task()`);
      } else if (repeated) {
        problems.push(`${taskName(task)} is listed twice in bigraysRun(): a task runs once per job`);
      }
    });
    if (problems.length > 0) throw new PlanError(problems.join('\n'), problems);
  }
  if (tasks.length === 0) {
    throw new PlanError('the job defines no task: decorate at least one class with @Task() (import { Task } from "@bigrays/core")');
  }

  const names = tasks.map(taskName);
  const known = `the job's tasks are: ${names.join(', ')}`;
  const firstIndex = new Map<string, number>();
  const duplicates = new Set<string>();
  names.forEach((name, i) => {
    if (firstIndex.has(name)) duplicates.add(name);
    else firstIndex.set(name, i);
  });
  if (duplicates.size > 0) {
    const problems = [...duplicates].map((name) => {
      const classes = tasks.filter((t) => taskName(t) === name).map((t) => t.name);
      return `two tasks are named '${name}' (${classes.join(', ')}): give each a distinct @Task({ name })`;
    });
    throw new PlanError(problems.join('\n'), problems);
  }
  const indexOf = (name: string, flag: string): number => {
    const index = firstIndex.get(name) ?? -1;
    if (index < 0) throw new PlanError(`${flag} ${name}: the job has no task named '${name}'; ${known}`);
    return index;
  };

  let selected = tasks;
  if (selection.from !== undefined) selected = selected.slice(indexOf(selection.from, '--from'));
  if (selection.only !== undefined) {
    if (selection.only.length === 0) throw new PlanError(`--only needs task names (--only A,B); ${known}`);
    const wanted = new Set(selection.only.map((name) => tasks[indexOf(name, '--only')]));
    selected = selected.filter((task) => wanted.has(task));
    if (selected.length === 0) throw new PlanError(`--only ${selection.only.join(',')} together with --from ${selection.from} selects no task; ${known}`);
  }
  return selected;
}
