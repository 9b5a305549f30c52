import { parseArgs } from 'node:util';
import { UsageError } from '../errors/errors.js';
import type { LogLevelName } from '../logging/logger.js';
import { LOG_LEVELS } from '../logging/logger.js';

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

/** `--resume <runId>`: the value is optional, so a following run id (no dot or slash, unlike a job file) is taken as it. */
function splitResume(argv: readonly string[]): { args: string[]; runId?: string } {
  const args = [...argv];
  const at = args.indexOf('--resume');
  const next = at < 0 ? undefined : args[at + 1];
  if (next !== undefined && /^[\w-]+$/.test(next) && !next.startsWith('-') && !SUBCOMMANDS.has(next)) {
    args.splice(at + 1, 1);
    return { args, runId: next };
  }
  return { args };
}

export interface CommonOptions {
  params: Record<string, string>;
  logLevel: LogLevelName;
}

const SUBCOMMANDS = new Set(['plan', 'graph', 'config', 'run', 'runs', 'state']);

/** Parses the command line; throws `UsageError` with the fix for anything it does not understand. */
export function parseCommand(argv: readonly string[]): Command {
  let parsed;
  const { args: argList, runId: resumeRun } = splitResume(argv);
  try {
    parsed = parseArgs({
      args: argList,
      allowPositionals: true,
      strict: true,
      options: {
        param: { type: 'string', short: 'p', multiple: true },
        only: { type: 'string', multiple: true },
        from: { type: 'string' },
        'dry-run': { type: 'boolean' },
        resume: { type: 'boolean' },
        'full-refresh': { type: 'boolean' },
        'allow-concurrent': { type: 'boolean' },
        limit: { type: 'string' },
        json: { type: 'boolean' },
        set: { type: 'string', multiple: true },
        reset: { type: 'string', multiple: true },
        'log-level': { type: 'string' },
        format: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean', short: 'V' },
      },
    });
  } catch (error) {
    throw new UsageError(`${(error as Error).message.replace(/\. To specify a positional.*$/s, '')}; see bigrays --help`);
  }
  const { values, positionals } = parsed;
  if (values.help) return { kind: 'help' };
  if (values.version) return { kind: 'version' };

  const [first, ...rest] = positionals;
  const sub = first !== undefined && SUBCOMMANDS.has(first) ? first : 'run';
  if (sub === 'run' && first !== undefined && positionals.length > 1 && !/[./\\]/.test(first)) {
    throw new UsageError(`unknown command '${first}': use bigrays <job>, or bigrays plan|graph|config|run <job> (see bigrays --help)`);
  }
  const args = sub === 'run' && first !== 'run' ? positionals : rest;
  const common: CommonOptions = { params: parseParams(values.param ?? []), logLevel: parseLogLevel(values['log-level']) };

  const only = values.only?.flatMap((v) => v.split(',')).map((s) => s.trim()).filter(Boolean);
  const rejectFor = (command: string, flags: Record<string, unknown>) => {
    for (const [flag, value] of Object.entries(flags)) {
      if (value !== undefined && value !== false) throw new UsageError(`--${flag} does not apply to 'bigrays ${command}'; see bigrays --help`);
    }
  };
  if (sub !== 'graph') rejectFor(sub, { format: values.format });
  if (sub !== 'run') rejectFor(sub, { only: values.only, from: values.from, 'dry-run': values['dry-run'], 'full-refresh': values['full-refresh'], 'allow-concurrent': values['allow-concurrent'] });
  if (sub !== 'run' && sub !== 'plan') rejectFor(sub, { resume: values.resume });
  if (sub !== 'runs') rejectFor(sub, { limit: values.limit });
  if (sub !== 'runs' && sub !== 'state') rejectFor(sub, { json: values.json });
  if (sub !== 'state') rejectFor(sub, { set: values.set, reset: values.reset });
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
    ...(values.resume ? { resume: resumeRun ?? true } : {}),
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
    if (format !== 'mermaid' && format !== 'dot') throw new UsageError(`--format ${format}: use mermaid or dot`);
    return { kind: 'graph', job, format, common };
  }
  return { kind: 'run', job, only, from: values.from, dryRun: values['dry-run'] ?? false, common, ledger };
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
  if (!(name in LOG_LEVELS)) throw new UsageError(`--log-level ${level}: use one of ${Object.keys(LOG_LEVELS).join(', ')}`);
  return name as LogLevelName;
}
