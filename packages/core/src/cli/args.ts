import { parseArgs } from 'node:util';
import { UsageError } from '../errors/errors.js';
import type { LogLevelName } from '../logging/logger.js';
import { appliesTo, COMMANDS, OPTIONS, type CommandName, type OptionDeclaration, type OptionName } from './declaration.js';

export type Command =
  | { kind: 'help' }
  | { kind: 'version' }
  | { kind: 'config'; job?: string; common: CommonOptions }
  | { kind: 'plan'; job: string; common: CommonOptions; ledger: LedgerFlags }
  | { kind: 'graph'; job: string; format: 'mermaid' | 'dot'; common: CommonOptions }
  | { kind: 'runs'; job: string; runId?: string; limit: number; json: boolean; common: CommonOptions }
  | { kind: 'state'; job: string; set: string[]; reset: string[]; json: boolean; common: CommonOptions }
  | { kind: 'run'; job: string; only?: string[]; from?: string; dryRun: boolean; common: CommonOptions; ledger: LedgerFlags };

/** The run-ledger flags of a run (and of `plan --resume`). */
export interface LedgerFlags {
  /** `--resume` (true) or `--resume <runId>`. */
  resume?: true | string;
  fullRefresh?: boolean;
  allowConcurrent?: boolean;
}

/** The `parseArgs` table, derived from the declaration (typed per option, so `values` is too). */
type ParseTable = {
  [O in (typeof OPTIONS)[number] as O['name']]: { type: O['type']; short?: string; multiple: O extends { multiple: true } ? true : false };
};
const PARSE_TABLE = Object.fromEntries(
  OPTIONS.map((o: OptionDeclaration) => [o.name, { type: o.type, multiple: o.multiple === true, ...(o.short ? { short: o.short } : {}) }]),
) as ParseTable;

const SUBCOMMANDS: ReadonlySet<string> = new Set(COMMANDS.map((c) => c.name));

/**
 * A boolean option with an optional value (`--resume [runId]`): a following word (no dot or slash, unlike a job file;
 * not a subcommand) is taken as its value. `parseArgs` knows no optional values, so they are split off first.
 */
function splitOptionalValues(argv: readonly string[]): { args: string[]; optional: Map<string, string> } {
  const args = [...argv];
  const optional = new Map<string, string>();
  for (const option of OPTIONS as readonly OptionDeclaration[]) {
    if (option.type !== 'boolean' || option.value === undefined) continue;
    const at = args.indexOf(`--${option.name}`);
    const next = at < 0 ? undefined : args[at + 1];
    if (next !== undefined && /^[\w-]+$/.test(next) && !next.startsWith('-') && !SUBCOMMANDS.has(next)) {
      args.splice(at + 1, 1);
      optional.set(option.name, next);
    }
  }
  return { args, optional };
}

export interface CommonOptions {
  params: Record<string, string>;
  logLevel: LogLevelName;
}

/** Parses the command line; throws `UsageError` with the fix for anything it does not understand. */
export function parseCommand(argv: readonly string[]): Command {
  let parsed;
  const { args: argList, optional } = splitOptionalValues(argv);
  try {
    parsed = parseArgs({ args: argList, allowPositionals: true, strict: true, options: PARSE_TABLE });
  } catch (error) {
    throw new UsageError(`${(error as Error).message.replace(/\. To specify a positional.*$/s, '')}; see bigrays --help`);
  }
  const { values, positionals } = parsed;
  if (values.help) return { kind: 'help' };
  if (values.version) return { kind: 'version' };

  const [first, ...rest] = positionals;
  const sub = (first !== undefined && SUBCOMMANDS.has(first) ? first : 'run') as CommandName;
  if (sub === 'run' && first !== undefined && first !== 'run' && positionals.length > 1 && !/[./\\]/.test(first)) {
    throw new UsageError(`unknown command '${first}': use bigrays <job>, or bigrays plan|graph|config|run <job> (see bigrays --help)`);
  }
  const args = sub === 'run' && first !== 'run' ? positionals : rest;
  const common: CommonOptions = { params: parseParams(values.param ?? []), logLevel: parseLogLevel(values['log-level']) };
  rejectOptionsOf(sub, values);

  const only = values.only?.flatMap((v) => v.split(',')).map((s) => s.trim()).filter(Boolean);
  if (sub === 'runs') {
    if (args.length === 0) throw new UsageError('bigrays runs needs a job file: bigrays runs ./job.ts [runId]');
    if (args.length > 2) throw new UsageError(`bigrays runs takes a job file and at most one run id, got: ${args.join(' ')}`);
    const limit = values.limit === undefined ? 20 : Number(values.limit);
    if (!Number.isInteger(limit) || limit < 1) throw new UsageError(`--limit ${values.limit}: use a whole number ≥ 1`);
    return { kind: 'runs', job: args[0]!, runId: args[1], limit, json: values.json ?? false, common };
  }
  if (sub === 'state') {
    return { kind: 'state', job: requireJob(sub, args), set: values.set ?? [], reset: values.reset ?? [], json: values.json ?? false, common };
  }
  const ledger: LedgerFlags = {
    ...(values.resume ? { resume: optional.get('resume') ?? true } : {}),
    ...(values['full-refresh'] ? { fullRefresh: true } : {}),
    ...(values['allow-concurrent'] ? { allowConcurrent: true } : {}),
  };

  if (sub === 'config') {
    if (args.length > 1) throw new UsageError(`bigrays config takes at most one job file, got: ${args.join(' ')}`);
    return { kind: 'config', job: args[0], common };
  }
  const job = requireJob(sub, args);
  if (sub === 'plan') return { kind: 'plan', job, common, ledger };
  if (sub === 'graph') {
    const format = values.format ?? 'mermaid';
    if (format !== 'mermaid' && format !== 'dot') throw new UsageError(`--format ${format}: use ${choicesOf('format').join(' or ')}`);
    return { kind: 'graph', job, format, common };
  }
  return { kind: 'run', job, only, from: values.from, dryRun: values['dry-run'] ?? false, common, ledger };
}

/** `--x does not apply to 'bigrays y'` for the first given option (in declaration order) that the command does not take. */
function rejectOptionsOf(command: CommandName, values: Record<string, unknown>): void {
  for (const option of OPTIONS as readonly OptionDeclaration[]) {
    const value = values[option.name];
    if (value !== undefined && value !== false && !appliesTo(option, command)) {
      throw new UsageError(`--${option.name} does not apply to 'bigrays ${command}'; see bigrays --help`);
    }
  }
}

function choicesOf(name: OptionName): readonly string[] {
  return (OPTIONS as readonly OptionDeclaration[]).find((o) => o.name === name)?.choices ?? [];
}

function requireJob(command: string, args: readonly string[]): string {
  if (args.length === 0) {
    throw new UsageError(command === 'run' ? 'no job file given: bigrays ./job.ts (see bigrays --help)' : `bigrays ${command} needs a job file: bigrays ${command} ./job.ts`);
  }
  if (args.length > 1) throw new UsageError(`one job file at a time, got: ${args.join(' ')}`);
  return args[0]!;
}

function parseParams(pairs: readonly string[]): Record<string, string> {
  const params: Record<string, string> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    const name = eq < 0 ? '' : pair.slice(0, eq).trim();
    if (!/^[A-Za-z_][A-Za-z0-9_.-]*$/.test(name)) {
      throw new UsageError(`--param ${pair}: write --param name=value, with a name of letters, digits and _ (e.g. --param day=2026-01-01)`);
    }
    params[name] = pair.slice(eq + 1);
  }
  return params;
}

function parseLogLevel(level: string | undefined): LogLevelName {
  if (level === undefined) return 'info';
  const name = level.toLowerCase();
  if (!choicesOf('log-level').includes(name)) throw new UsageError(`--log-level ${level}: use one of ${choicesOf('log-level').join(', ')}`);
  return name as LogLevelName;
}
