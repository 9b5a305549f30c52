import { createHash } from 'node:crypto';
import { builtinModules } from 'node:module';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, extname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Plugin } from 'esbuild';
import { compileCacheDir, freshModule, prepareCacheDir, pruneCache, storeFailure, storeModule } from './compile-cache.js';
import { errorMessage } from '../errors/message.js';

/**
 * Compiles a TypeScript job (and the local files it imports) into one ES
 * module with esbuild, cached (see compile-cache.ts) and reused while no input
 * file changed. A cached job starts with no compiler at all; that is what
 * keeps a one-task job under half a second (tsx's loader thread alone took
 * ~220 ms). Packages stay external, imported from where the job would import
 * them. When the cache cannot be used (not ours, read-only, full, a file in
 * its place) the job is compiled in memory and a one-line warning says why.
 */
const CACHE_FORMAT = 3; // 3: source maps name the job's own folder (sourceRoot)

/** Thrown with esbuild's messages (file:line:column: ERROR: text) when the job does not compile. */
export class CompileError extends Error {}

/** Returns the URL to import: the cached module's file, or a `data:` URL when the cache is not usable. */
export async function compileJob(jobPath: string): Promise<string> {
  const tsconfig = findTsconfig(dirname(jobPath));
  const key = createHash('sha1').update(`${CACHE_FORMAT}\0${jobPath}\0${tsconfig ?? ''}`).digest('hex').slice(0, 20);
  const dir = compileCacheDir();
  let cacheUsable = true;
  try {
    const note = prepareCacheDir(dir);
    if (note) warn(note);
  } catch (error) {
    cacheUsable = false;
    warn(errorMessage(error));
  }
  if (cacheUsable) {
    const cached = freshModule(dir, key, jobPath);
    if (cached) {
      pruneCache(dir);
      return pathToFileURL(cached).href;
    }
  }

  const esbuild = await import('esbuild');
  let result;
  try {
    result = await esbuild.build({
      entryPoints: [jobPath],
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      write: false,
      metafile: true,
      sourcemap: 'inline',
      // Sources are named relative to the job's folder: stacks then show the job's real path (job.ts:<line>), not the cache's.
      sourceRoot: `${pathToFileURL(dirname(jobPath)).href}/`,
      logLevel: 'silent',
      absWorkingDir: dirname(jobPath),
      // No tsconfig.json next to the job: esbuild's defaults (standard decorators), not one found higher up.
      ...(tsconfig ? { tsconfig } : { tsconfigRaw: '{}' }),
      plugins: [externalPackages(), keepImportMeta()],
    });
  } catch (error) {
    throw new CompileError(describeBuildFailure(error, dirname(jobPath)));
  }
  const code = result.outputFiles[0]!.contents;
  if (cacheUsable) {
    const inputs = [...Object.keys(result.metafile.inputs).map((p) => resolve(dirname(jobPath), p)), ...(tsconfig ? [tsconfig] : [])].filter((p) =>
      existsSync(p),
    );
    try {
      const stored = storeModule(dir, key, jobPath, code, inputs);
      pruneCache(dir);
      return pathToFileURL(stored).href;
    } catch (error) {
      warn(storeFailure(dir, error).message);
    }
  }
  // Absolute imports (packages are rewritten to file: URLs) resolve from a data: URL too.
  return `data:text/javascript;base64,${Buffer.from(code).toString('base64')}`;
}

function warn(message: string): void {
  process.stderr.write(`bigrays: warning: ${message}\n`);
}

/** The job's own tsconfig.json: in its folder or above, up to the nearest package.json folder. */
export function findTsconfig(dir: string): string | undefined {
  for (let current = dir; ; current = dirname(current)) {
    const candidate = join(current, 'tsconfig.json');
    if (existsSync(candidate)) return candidate;
    if (dirname(current) === current || existsSync(join(current, 'package.json'))) return undefined;
  }
}

const SKIP = Symbol('resolve-normally');
const builtins = new Set(builtinModules);

/** Bare imports stay external, rewritten to the absolute file they resolve to from the job's folder. */
function externalPackages(): Plugin {
  return {
    name: 'bigrays-external-packages',
    setup(build) {
      build.onResolve({ filter: /^[^./]/ }, async (args) => {
        if (args.pluginData === SKIP) return undefined;
        if (args.path.startsWith('node:') || builtins.has(args.path.split('/')[0]!)) return { path: args.path, external: true };
        const resolved = await build.resolve(args.path, { kind: args.kind, resolveDir: args.resolveDir, importer: args.importer, pluginData: SKIP });
        if (resolved.errors.length > 0) return { errors: resolved.errors };
        return { path: pathToFileURL(resolved.path).href, external: true };
      });
    },
  };
}

const LOADERS: Record<string, 'ts' | 'tsx' | 'js' | 'jsx'> = { '.ts': 'ts', '.mts': 'ts', '.cts': 'ts', '.tsx': 'tsx', '.js': 'js', '.mjs': 'js', '.cjs': 'js', '.jsx': 'jsx' };

/** `import.meta.url` (and dirname/filename) keep naming the source file, not the compiled bundle. */
function keepImportMeta(): Plugin {
  return {
    name: 'bigrays-import-meta',
    setup(build) {
      build.onLoad({ filter: /\.[cm]?[jt]sx?$/ }, (args) => {
        if (args.path.includes('/node_modules/')) return undefined;
        const source = readFileSync(args.path, 'utf8');
        if (!source.includes('import.meta')) return undefined;
        const contents = source
          .replace(/\bimport\.meta\.url\b/g, JSON.stringify(pathToFileURL(args.path).href))
          .replace(/\bimport\.meta\.filename\b/g, JSON.stringify(args.path))
          .replace(/\bimport\.meta\.dirname\b/g, JSON.stringify(dirname(args.path)));
        return { contents, loader: LOADERS[extname(args.path)] ?? 'ts' };
      });
    },
  };
}

function describeBuildFailure(error: unknown, base: string): string {
  const errors = (error as { errors?: { text: string; location?: { file: string; line: number; column: number } | null }[] }).errors;
  if (!errors?.length) return errorMessage(error);
  return errors
    .map((e) => (e.location ? `${resolve(base, e.location.file)}:${e.location.line}:${e.location.column}: ERROR: ${e.text}` : `ERROR: ${e.text}`))
    .join('\n');
}

/** esbuild's location of a syntax error in a JavaScript file, or undefined if it parses. */
export async function locateSyntaxError(path: string): Promise<string | undefined> {
  const esbuild = await import('esbuild');
  try {
    await esbuild.transform(readFileSync(path, 'utf8'), { loader: 'js', sourcefile: path, format: 'esm', logLevel: 'silent' });
    return undefined;
  } catch (error) {
    return describeBuildFailure(error, dirname(path));
  }
}
