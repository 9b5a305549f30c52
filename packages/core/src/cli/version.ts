import { readFileSync } from 'node:fs';

/** The package version, read from package.json next to dist/ (no imports: `--version` must start fast). */
export function readVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return `bigrays ${pkg.version}`;
}
