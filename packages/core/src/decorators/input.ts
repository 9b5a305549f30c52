import 'reflect-metadata';
import '../metadata/symbol-metadata.js';
import { INPUT_PROBLEMS_KEY, INPUTS_KEY } from '../metadata/keys.js';
import { isTaskClass, type Constructor, type InputRecord } from '../metadata/records.js';
import { isStandardContext } from '../metadata/decorator-context.js';
import { DecoratorError } from '../errors/errors.js';

/** `@Input(Upstream)` or `@Input(() => Upstream)` for a task defined later. */
export type UpstreamRef = Constructor | (() => Constructor);

/** Arrow functions have no prototype; classes do. */
const isThunk = (ref: UpstreamRef): ref is () => Constructor => typeof ref === 'function' && !('prototype' in ref);

/** The list with `record` replacing any inherited record of the same property. */
const withRecord = (list: readonly InputRecord[] | undefined, record: InputRecord): InputRecord[] => [
  ...(list ?? []).filter((r) => r.property !== record.property),
  record,
];

/**
 * Before the task runs, sets the decorated property to the output of task
 * `upstream`, which must run earlier in the same run.
 *
 * @example
 * ```ts
 * @Task() class Report { @Input(PullSales) sales!: Row[]; run() { ... } }
 * ```
 */
export function Input(upstream: UpstreamRef) {
  return function inputDecorator(target: unknown, context: unknown): void {
    const standard = isStandardContext(context);
    const property = String(standard ? context.name : context);
    const isStatic = standard ? Boolean(context.static) : typeof target === 'function';
    const metadata = standard ? context.metadata : undefined;
    // A standard field decorator is not told its class: the problem is kept and @Task() throws it naming the class.
    const fail = (message: (owner: string) => string): void => {
      if (standard && metadata) {
        metadata[INPUT_PROBLEMS_KEY] = [...((metadata[INPUT_PROBLEMS_KEY] as InputProblem[] | undefined) ?? []), message];
        return;
      }
      const owner = standard ? 'this class' : isStatic ? (target as Constructor).name : (target as object).constructor.name;
      throw new DecoratorError(message(owner));
    };

    if (standard && context.kind !== 'field' && context.kind !== 'accessor') {
      return fail((owner) => `@Input() on ${owner}.${property}: decorate a property, not a ${context.kind}`);
    }
    if (isStatic) {
      return fail((owner) => `@Input() on static ${owner}.${property}: inputs are set on the task instance; remove 'static'`);
    }
    if (typeof upstream !== 'function') {
      return fail(
        (owner) =>
          `@Input() on ${owner}.${property}: the upstream task is ${String(upstream)}; if it is defined further down, write @Input(() => Upstream)`,
      );
    }
    const lazy = isThunk(upstream);
    if (!lazy && !isTaskClass(upstream)) {
      return fail(
        (owner) => `@Input(${upstream.name}) on ${owner}.${property}: ${upstream.name} is not a task; decorate it with @Task()`,
      );
    }
    const record: InputRecord = { property, upstream, lazy };

    if (standard) {
      if (!metadata) throw new DecoratorError(`@Input() on ${property}: this runtime gives decorators no metadata; import '@bigrays/core' before defining tasks`);
      // `metadata` inherits from the base class's: a new list leaves the base's as it was.
      metadata[INPUTS_KEY] = withRecord(metadata[INPUTS_KEY] as InputRecord[] | undefined, record);
    } else {
      const ctor = (target as object).constructor;
      Reflect.defineMetadata(INPUTS_KEY, withRecord(Reflect.getMetadata(INPUTS_KEY, ctor) as InputRecord[] | undefined, record), ctor);
    }
  };
}

/** An `@Input` problem waiting for its class's name (standard decorators). */
export type InputProblem = (owner: string) => string;

/** Throws the first `@Input` problem recorded in a class's standard metadata, naming the class. */
export function throwInputProblems(className: string, metadata: Record<PropertyKey, unknown> | undefined): void {
  const problems = metadata?.[INPUT_PROBLEMS_KEY] as InputProblem[] | undefined;
  if (problems && problems.length > 0) throw new DecoratorError(problems[0]!(className));
}
