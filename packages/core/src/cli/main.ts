import '../metadata/symbol-metadata.js';
import { parseCommand, type Command } from './args.js';
import { HELP } from './help.js';
import { setLogLevel, LOG_LEVELS } from '../logging/logger.js';
import { runCommand } from './commands/run.js';
import { configCommand, graphCommand, planCommand } from './commands/inspect.js';
import { exitCodeOf, formatError } from './report-error.js';
import { EXIT } from './exit-codes.js';
import { readVersion } from './version.js';

/** Runs the CLI; resolves to the process exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  let command: Command;
  try {
    command = parseCommand(argv);
  } catch (error) {
    process.stderr.write(`${formatError(error, false)}\n`);
    return EXIT.invalid;
  }
  if (command.kind === 'help') {
    process.stdout.write(HELP);
    return EXIT.ok;
  }
  if (command.kind === 'version') {
    process.stdout.write(`${readVersion()}\n`);
    return EXIT.ok;
  }
  setLogLevel(command.common.logLevel);
  const debug = LOG_LEVELS[command.common.logLevel] <= LOG_LEVELS.debug;
  try {
    switch (command.kind) {
      case 'run':
        return await runCommand(command);
      case 'plan':
        return await planCommand(command.job, command.common, command.ledger);
      case 'graph':
        return await graphCommand(command.job, command.format, command.common);
      case 'config':
        return await configCommand(command.job);
      case 'runs':
        return await (await import('./commands/ledger.js')).runsCommand(command);
      case 'state':
        return await (await import('./commands/ledger.js')).stateCommand(command);
    }
  } catch (error) {
    process.stderr.write(`${formatError(error, debug)}\n`);
    return exitCodeOf(error);
  }
}
