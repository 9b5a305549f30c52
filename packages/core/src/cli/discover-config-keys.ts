import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { declareConfigKeys, declaredConfigKeys, type ConfigKey } from '../config/config-keys.js';

/**
 * The extension packages whose resources `bigrays config` lists when they are
 * installed, whether or not a job uses them. Their keys are declared by the
 * resources themselves (`static configKeys`); only the package names are here.
 * A job's own resources (third-party ones included) are declared by its
 * `@Requires` when the job is loaded.
 */
const EXTENSION_PACKAGES = ['@bigrays/sql', '@bigrays/aws'];

/** The entry file of an installed ES-module package, resolved from the first folder that has it. */
function entryOf(name: string, folders: readonly string[]): string | undefined {
  for (const folder of folders) {
    try {
      const manifest = createRequire(join(folder, 'noop.js')).resolve(`${name}/package.json`);
      const pkg = JSON.parse(readFileSync(manifest, 'utf8')) as { exports?: { '.'?: { import?: string } }; main?: string };
      const entry = pkg.exports?.['.']?.import ?? pkg.main;
      if (entry) return pathToFileURL(join(dirname(manifest), entry)).href;
    } catch {
      // Not installed there: try the next folder.
    }
  }
  return undefined;
}

/** Declares the config keys of every resource the installed extension packages export; returns every declared key. */
export async function discoverConfigKeys(folders: readonly string[]): Promise<ConfigKey[]> {
  const here = dirname(fileURLToPath(import.meta.url));
  for (const name of EXTENSION_PACKAGES) {
    const entry = entryOf(name, [...folders, here]);
    if (!entry) continue;
    try {
      const module = (await import(entry)) as Record<string, unknown>;
      for (const value of Object.values(module)) declareConfigKeys(value);
    } catch {
      // A package that cannot load lists no keys; `bigrays config` still shows the rest.
    }
  }
  return declaredConfigKeys();
}
