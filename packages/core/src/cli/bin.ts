#!/usr/bin/env node
// Entry point of the `bigrays` command. `--version` and `--help` answer
// before anything else loads, so that they start as fast as Node itself.
const argv = process.argv.slice(2);

async function entry(): Promise<number> {
  if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V')) {
    const { readVersion } = await import('./version.js');
    process.stdout.write(`${readVersion()}\n`);
    return 0;
  }
  if (argv.length === 1 && (argv[0] === '--help' || argv[0] === '-h')) {
    const { HELP } = await import('./help.js');
    process.stdout.write(HELP);
    return 0;
  }
  const { main } = await import('./main.js');
  return main(argv);
}

/** Exits once stdout/stderr have flushed: a job that leaves a timer or socket open must not keep the CLI alive. */
function exitAfterFlush(code: number): void {
  let pending = 2;
  const done = () => {
    if (--pending === 0) process.exit(code);
  };
  process.stdout.write('', done);
  process.stderr.write('', done);
}

let finished = false;
// Node exits with code 0 when nothing is left to wait for, even if a task's promise never settled.
process.on('beforeExit', () => {
  if (finished) return;
  finished = true;
  process.stderr.write('bigrays: the job stopped making progress: a task awaits a promise that can never settle (nothing left to wait for)\n');
  exitAfterFlush(1);
});

entry().then((code) => {
  finished = true;
  exitAfterFlush(code);
}, async (error: unknown) => {
  finished = true;
  const { redact } = await import('../config/secrets.js');
  process.stderr.write(`bigrays: unexpected error: ${redact(error instanceof Error ? String(error.stack) : String(error))}\n`);
  exitAfterFlush(1);
});
