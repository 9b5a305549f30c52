#!/usr/bin/env node
// The `bigrays` command. A committed file (not dist/), so that package managers can link it before the
// first build; it hands over to the compiled CLI.
import { existsSync } from 'node:fs';

const cli = new URL('../dist/cli/bin.js', import.meta.url);
if (!existsSync(cli)) {
  process.stderr.write('bigrays: @bigrays/core is not built yet: run `pnpm build` first\n');
  process.exit(2);
}
await import(cli.href);
