/**
 * `bigrays --help`, written from the CLI declaration (commands, options,
 * examples). Imports only the declaration, which imports nothing, so that it
 * prints fast.
 */
import { COMMANDS, EXAMPLES, OPTIONS, appliesTo, type CommandDeclaration, type OptionDeclaration } from './declaration.js';

/** Usage lines wrap before this column. */
const WIDTH = 90;
/** Where a command's summary starts (on the usage line when it fits, else below). */
const SUMMARY_AT = 43;

const options = OPTIONS as readonly OptionDeclaration[];

/** `--name value`, `--name [value]` (optional value of a boolean) or `--name`. */
function spelling(option: OptionDeclaration): string {
  if (option.value === undefined) return `--${option.name}`;
  return option.type === 'boolean' ? `--${option.name} [${option.value}]` : `--${option.name} ${option.value}`;
}

/** How a usage line shows an option: in brackets, `...` when repeatable, the choices when there are few. */
function inUsage(option: OptionDeclaration): string {
  const shown = option.choices && option.choices.length <= 3 ? `--${option.name} ${option.choices.join('|')}` : spelling(option);
  return `[${shown}]${option.multiple ? '...' : ''}`;
}

/** Words joined with spaces, wrapped before WIDTH; continuation lines indented by `indent`. */
function wrap(words: readonly string[], indent: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of words) {
    if (line && line.length + 1 + word.length > WIDTH) {
      lines.push(line);
      line = `${' '.repeat(indent)}${word}`;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  if (line) lines.push(line);
  return lines;
}

/** Text from column 0 to `at`, then `text` (on the same line when it fits, else on a line of its own). */
function besides(lines: string[], at: number, text: readonly string[]): string[] {
  const out = [...lines];
  for (const [i, part] of text.entries()) {
    const last = out[out.length - 1]!;
    if (i === 0 && last.length + 2 <= at) out[out.length - 1] = last.padEnd(at) + part;
    else out.push(' '.repeat(at) + part);
  }
  return out;
}

function usageOf(command: CommandDeclaration): string[] {
  const head = command.name === 'run' ? `  bigrays ${command.args}` : `  bigrays ${command.name} ${command.args}`;
  const own = options.filter((o) => Array.isArray(o.appliesTo) && appliesTo(o, command.name)).map(inUsage);
  return besides(wrap([head, ...own], head.length + 1), SUMMARY_AT, command.summary);
}

function optionLines(): string[] {
  const label = (o: OptionDeclaration) => `${o.short ? `-${o.short}, ` : ''}${spelling(o)}`;
  const at = 2 + Math.max(...options.map((o) => label(o).length)) + 2;
  return options.flatMap((o) => besides([`  ${label(o)}`], at, o.help));
}

function exampleLines(): string[] {
  return EXAMPLES.flatMap((e) => (e.note ? besides([`  ${e.command}`], Math.max(SUMMARY_AT, e.command.length + 6), [e.note]) : [`  ${e.command}`]));
}

function render(): string {
  const every = options.filter((o) => o.appliesTo === 'every').map(inUsage);
  const alone = options.filter((o) => o.appliesTo === 'alone').map((o) => `--${o.name}`);
  return [
    'bigrays: run ETL jobs written as decorated TypeScript task classes',
    '',
    'Usage',
    ...COMMANDS.flatMap(usageOf),
    `  bigrays ${alone.join(' | ')}`,
    `  every command also takes ${every.join(' ')}`,
    '',
    'Options',
    ...optionLines(),
    '',
    'Examples',
    ...exampleLines(),
    '',
    'Exit codes',
    '  0 success · 1 a task failed · 2 invalid usage, job, plan or configuration (nothing ran)',
    '  130 interrupted by SIGINT · 143 by SIGTERM · 129 by SIGHUP',
    '',
    'Configuration comes from BIGRAYS_* environment variables (see bigrays config).',
    'Runs are recorded in a run ledger: .bigrays/ next to the job, or BIGRAYS_STATE (a folder,',
    'postgres://, mysql://, sqlite:<path>, or off).',
    '',
  ].join('\n');
}

/** `bigrays --help`. */
export const HELP = render();
