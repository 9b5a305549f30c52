/**
 * The command line, declared once (as cac's `Command` does): the commands,
 * their options (type, short name, repeatable, the commands they apply to,
 * the help line) and the examples. `args.ts` derives the `parseArgs` table,
 * the per-command rejection of options that do not apply and the optional
 * value of `--resume` from it; `help.ts` derives `bigrays --help`.
 *
 * Imports nothing: `bigrays --help` reads it before anything else loads.
 */

/** A subcommand; `run` is also what `bigrays <job>` means. */
export type CommandName = 'run' | 'plan' | 'runs' | 'state' | 'graph' | 'config';

export interface CommandDeclaration {
  readonly name: CommandName;
  /** The positionals as help shows them, e.g. `<job> [runId]`. */
  readonly args: string;
  /** What the command does, one help line each (may be empty). */
  readonly summary: readonly string[];
}

export interface OptionDeclaration {
  /** The long name, without `--`. */
  readonly name: string;
  readonly type: 'string' | 'boolean';
  readonly short?: string;
  /** Repeatable (`--param a=1 --param b=2`). */
  readonly multiple?: boolean;
  /** The value as help shows it (`k=v`, `A,B`); for a boolean, an optional value taken when it follows (`--resume [runId]`). */
  readonly value?: string;
  /** The values accepted; anything else is a usage error naming them. */
  readonly choices?: readonly string[];
  /** The commands it applies to; `every` for all of them; `alone` for an option that answers by itself (--help, --version). */
  readonly appliesTo: readonly CommandName[] | 'every' | 'alone';
  /** Help lines. */
  readonly help: readonly string[];
}

export interface Example {
  readonly command: string;
  readonly note?: string;
}

/** In the order `--help` lists them. */
export const COMMANDS = [
  { name: 'run', args: '<job>', summary: ['plan, then run the job; bigrays run <job> is the same'] },
  {
    name: 'plan',
    args: '<job>',
    summary: ['show the ordered tasks, resources, swaps and templates;', 'with --resume, what each task of the resumed run will do'],
  },
  { name: 'runs', args: '<job> [runId]', summary: ['recent runs from the run ledger; one run task by task'] },
  { name: 'state', args: '<job>', summary: ['cursors of incremental tasks; set or reset one (a backfill)'] },
  { name: 'graph', args: '<job>', summary: ['the tasks grouped by resource, with their inputs'] },
  { name: 'config', args: '[<job>]', summary: ['every known config key, where it is set, secrets masked'] },
] as const satisfies readonly CommandDeclaration[];

/** In the order `--help` lists them. */
export const OPTIONS = [
  {
    name: 'param',
    type: 'string',
    short: 'p',
    multiple: true,
    value: 'k=v',
    appliesTo: 'every',
    help: ['set a job parameter (repeatable); wins over updateFormatKws()'],
  },
  { name: 'only', type: 'string', multiple: true, value: 'A,B', appliesTo: ['run'], help: ['run only these tasks (repeatable or comma-separated)'] },
  { name: 'from', type: 'string', value: 'A', appliesTo: ['run'], help: ['start at task A'] },
  { name: 'dry-run', type: 'boolean', appliesTo: ['run'], help: ['plan and validate, run nothing'] },
  {
    name: 'resume',
    type: 'boolean',
    value: 'runId',
    appliesTo: ['run', 'plan'],
    help: ['continue the latest unsuccessful run (or that run) with its parameters:', 'tasks that succeeded are not run again, their outputs are restored'],
  },
  { name: 'full-refresh', type: 'boolean', appliesTo: ['run'], help: ['incremental tasks start from their initial cursor in this run'] },
  { name: 'allow-concurrent', type: 'boolean', appliesTo: ['run'], help: ['run even while another run of the job holds its lease'] },
  { name: 'limit', type: 'string', value: 'N', appliesTo: ['runs'], help: ['how many recent runs to list (default 20)'] },
  { name: 'set', type: 'string', multiple: true, value: 'Task=value', appliesTo: ['state'], help: ["set a task's cursor (repeatable; recorded with who and when)"] },
  { name: 'reset', type: 'string', multiple: true, value: 'Task', appliesTo: ['state'], help: ["reset a task's cursor to its initial value (repeatable)"] },
  { name: 'json', type: 'boolean', appliesTo: ['runs', 'state'], help: ['print JSON instead of a table'] },
  {
    name: 'log-level',
    type: 'string',
    value: 'L',
    choices: ['silly', 'trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'],
    appliesTo: 'every',
    help: ['silly|trace|debug|info|warn|error|fatal|silent (default info);', 'debug also prints stack traces of errors'],
  },
  { name: 'format', type: 'string', value: 'F', choices: ['mermaid', 'dot'], appliesTo: ['graph'], help: ['graph format: mermaid (default) or dot'] },
  { name: 'help', type: 'boolean', short: 'h', appliesTo: 'alone', help: ['this help'] },
  { name: 'version', type: 'boolean', short: 'V', appliesTo: 'alone', help: ['the version of bigrays'] },
] as const satisfies readonly OptionDeclaration[];

export const EXAMPLES: readonly Example[] = [
  { command: 'bigrays ./examples/quickstart/job.ts' },
  { command: 'bigrays ./job.ts --param day=2026-01-31 --param region=eu' },
  { command: 'bigrays plan ./job.ts' },
  { command: 'bigrays ./job.ts --from UploadPredictions', note: 'upstream outputs come from the latest checkpoints' },
  { command: 'bigrays ./job.ts --resume' },
  { command: 'bigrays runs ./job.ts' },
  { command: 'BIGRAYS_DB_DSN=postgres://etl@db/warehouse bigrays ./job.ts' },
];

export type OptionName = (typeof OPTIONS)[number]['name'];

/** Whether `option` may be given to `command`. */
export function appliesTo(option: OptionDeclaration, command: CommandName): boolean {
  return option.appliesTo === 'every' || option.appliesTo === 'alone' || option.appliesTo.includes(command);
}
