/**
 * The CLI is declared once (src/cli/declaration.ts): every declared option
 * is in `--help`, is accepted by the commands it applies to and rejected,
 * with the fix, by the others; every command is in `--help`.
 */
import { describe, expect, it } from '@jest/globals';
import { parseCommand } from '../../src/cli/args.js';
import { COMMANDS, OPTIONS, appliesTo, type OptionDeclaration } from '../../src/cli/declaration.js';
import { HELP } from '../../src/cli/help.js';
import { LOG_LEVELS } from '../../src/logging/logger.js';
import { runCli } from '../../../../test/support/cli.js';

const options = OPTIONS as readonly OptionDeclaration[];
const commandNames = COMMANDS.map((c) => c.name);

/** The command line of `command` (run both as `bigrays <job>` and `bigrays run <job>`) with `option` given. */
function argvsOf(command: string, option: OptionDeclaration): string[][] {
  const given = option.type === 'string' ? [`--${option.name}`, option.choices?.[0] ?? 'x=1'] : [`--${option.name}`];
  const positionals = command === 'runs' ? ['job.ts', 'run-1'] : ['job.ts'];
  return command === 'run' ? [['job.ts', ...given], ['run', 'job.ts', ...given]] : [[command, ...positionals, ...given]];
}

function usageErrorOf(argv: string[]): string | undefined {
  try {
    parseCommand(argv);
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}

describe('the CLI declaration', () => {
  it.each(options.map((o) => [o.name, o] as const))('--%s is in --help, with its short name', (_name, option) => {
    expect(HELP).toMatch(new RegExp(`^  ${option.short ? `-${option.short}, ` : ''}--${option.name}\\b.*\\S`, 'm'));
  });

  it.each(COMMANDS.map((c) => [c.name, c.args] as const))('%s is in the usage of --help', (command, args) => {
    expect(HELP).toContain(command === 'run' ? `  bigrays ${args} ` : `  bigrays ${command} ${args}`);
  });

  const cases = options.flatMap((o) => commandNames.map((c) => [o.name, c, o] as const));
  it.each(cases)('--%s with %s: accepted where it applies, rejected with the fix elsewhere', (name, command, option) => {
    for (const argv of argvsOf(command, option)) {
      const message = usageErrorOf(argv);
      if (appliesTo(option, command)) expect(message ?? '').not.toMatch(/does not apply/);
      else expect(message).toBe(`--${name} does not apply to 'bigrays ${command}'; see bigrays --help`);
    }
  });

  it('bigrays run <job> is bigrays <job>, as the usage says (it was refused as an unknown command)', () => {
    expect(parseCommand(['run', 'job.ts', '--only', 'A', '--resume'])).toEqual(parseCommand(['job.ts', '--only', 'A', '--resume']));
    expect(usageErrorOf(['run', 'job.ts', '--format', 'dot'])).toBe("--format does not apply to 'bigrays run'; see bigrays --help");
    expect(usageErrorOf(['pln', 'job.ts'])).toBe("unknown command 'pln': use bigrays <job>, or bigrays plan|graph|config|run <job> (see bigrays --help)");
  });

  it('the declared log levels are the logger levels', () => {
    expect(options.find((o) => o.name === 'log-level')?.choices).toEqual(Object.keys(LOG_LEVELS));
  });

  it('the built CLI answers --help with the text written from the declaration', () => {
    const r = runCli(['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(HELP);
  });
});
