/**
 * Loading TypeORM and the database drivers on demand.
 *
 * `import '@bigrays/sql'` loads none of them (the CLI's `bigrays plan` and
 * start-up stay fast); `SQLSession.open()` imports TypeORM and the one
 * driver its DSN needs. The drivers are optional peer dependencies: a
 * missing one is a single clear error naming the package to install.
 *
 * @module
 */
import { ResourceError } from '@bigrays/core';
import { dialectOf, type Dialect } from './engines/dialects.js';

/**
 * How modules are imported. Tests replace `importModule` to simulate a
 * driver that is not installed.
 *
 * @internal
 */
export const moduleLoader = {
  importModule: (specifier: string): Promise<unknown> => import(specifier),
};

function isModuleNotFound(error: unknown, specifier: string): boolean {
  const e = error as { code?: string; message?: string } | undefined;
  const code = e?.code;
  if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') {
    // Only when the package itself is missing, not one of its own imports.
    return typeof e?.message !== 'string' || e.message.includes(`'${specifier}'`) || e.message.includes(`"${specifier}"`) || !e.message.includes("'");
  }
  return false;
}

/** The module's default export when it is a CommonJS module seen through ESM. */
function interop<T>(module: unknown): T {
  const m = module as { default?: unknown };
  return (m && typeof m === 'object' && 'default' in m && m.default !== undefined ? m.default : m) as T;
}

/** Imports `specifier`; `missing` words the error when the package is not installed. */
export async function load<T>(specifier: string, missing: (cause: unknown) => ResourceError): Promise<T> {
  let module: unknown;
  try {
    module = await moduleLoader.importModule(specifier);
  } catch (error) {
    if (isModuleNotFound(error, specifier)) throw missing(error);
    throw new ResourceError('SQLSession', `cannot load the package '${specifier}': ${(error as Error)?.message ?? String(error)}`, {
      cause: error,
    });
  }
  return interop<T>(module);
}

/** Imports the driver of `dialect` (`pg`, `mysql2` or `better-sqlite3`). */
export function loadDriver<T = unknown>(dialect: Dialect, scheme: string): Promise<T> {
  const { driverPackage: pkg, name } = dialectOf(dialect);
  return load<T>(
    pkg,
    (cause) =>
      new ResourceError(
        'SQLSession',
        `the ${name} driver is not installed: BIGRAYS_DB_DSN is a ${scheme} DSN, which needs the npm package '${pkg}'. ` +
          `Install it next to @bigrays/sql: npm install ${pkg} (or pnpm add ${pkg}).`,
        { cause },
      ),
  );
}

/** Imports TypeORM (a dependency of @bigrays/sql). */
export async function loadTypeorm(): Promise<typeof import('typeorm')> {
  const module = await moduleLoader.importModule('typeorm').catch((error: unknown) => {
    if (isModuleNotFound(error, 'typeorm')) {
      throw new ResourceError('SQLSession', "the package 'typeorm' is missing; reinstall @bigrays/sql (npm install @bigrays/sql typeorm).", {
        cause: error,
      });
    }
    throw error;
  });
  // Named exports of the ESM entry; a CommonJS build exposes them on `default`.
  const m = module as typeof import('typeorm') & { default?: typeof import('typeorm') };
  return typeof m.DataSource === 'function' ? m : (m.default as typeof import('typeorm'));
}
