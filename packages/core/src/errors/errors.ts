/** What went wrong, for code that branches on errors without instanceof. */
export type BigraysErrorKind =
  | 'configuration'
  | 'plan'
  | 'task-interface'
  | 'resource'
  | 'task'
  | 'job-failed'
  | 'interrupted'
  | 'decorator'
  | 'usage'
  | 'state';

/** Base class of every error bigrays throws. `kind` says which one it is. */
export class BigraysError extends Error {
  readonly kind: BigraysErrorKind;
  /** True when the error is the user's to fix (bad job, parameter, config): the CLI prints no stack. */
  readonly userError: boolean;

  constructor(kind: BigraysErrorKind, message: string, options?: { cause?: unknown; userError?: boolean }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.kind = kind;
    this.userError = options?.userError ?? true;
    this.name = new.target.name;
  }
}

/** Required configuration is missing; `missing` lists the `BIGRAYS_*` variables to set. */
export class ConfigurationError extends BigraysError {
  readonly missing: readonly string[];
  constructor(message: string, missing: readonly string[] = [], options?: { cause?: unknown }) {
    super('configuration', message, options);
    this.missing = missing;
  }
}

/** The job cannot be planned: bad inputs, a cycle, missing parameters, unknown tasks. */
export class PlanError extends BigraysError {
  readonly problems: readonly string[];
  constructor(message: string, problems: readonly string[] = [message]) {
    super('plan', message);
    this.problems = problems;
  }
}

/** A task class lacks an attribute its base class requires, or has no `run()`. */
export class TaskInterfaceError extends BigraysError {
  constructor(message: string) {
    super('task-interface', message);
  }
}

/** A decorator was used where it cannot work (static member, non-task upstream, ...). */
export class DecoratorError extends BigraysError {
  constructor(message: string) {
    super('decorator', message);
  }
}

/** A resource failed to open or close. */
export class ResourceError extends BigraysError {
  readonly resource: string;
  constructor(resource: string, message: string, options?: { cause?: unknown; userError?: boolean }) {
    super('resource', message, options);
    this.resource = resource;
  }
}

/** A task failed; `task` names it and `cause` holds what it threw. */
export class TaskError extends BigraysError {
  readonly task: string;
  constructor(task: string, message: string, options?: { cause?: unknown; userError?: boolean }) {
    super('task', message, options);
    this.task = task;
  }
}

/** The run was stopped by SIGINT, SIGTERM or SIGHUP. */
export class InterruptedError extends BigraysError {
  readonly signal: NodeJS.Signals;
  constructor(signal: NodeJS.Signals) {
    super('interrupted', `interrupted by ${signal}`);
    this.signal = signal;
  }
}

/** Invalid command-line usage. */
export class UsageError extends BigraysError {
  constructor(message: string) {
    super('usage', message);
  }
}

/**
 * The run ledger (`BIGRAYS_STATE`) cannot be used, or what was asked of it
 * cannot be done: an unreachable store, a read-only folder, a held lease,
 * `--resume` with nothing to resume. Nothing ran.
 */
export class StateError extends BigraysError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('state', message, options);
  }
}
