// Paths, connection settings, machine facts and small helpers shared by the scenarios.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createConnection } from 'node:net';

export const BENCH_DIR = join(dirname(fileURLToPath(import.meta.url)), '..');
export const ROOT = join(BENCH_DIR, '..');
export const DATA_DIR = join(BENCH_DIR, 'data');
export const OUT_DIR = join(DATA_DIR, 'out');
export const LOG_DIR = join(DATA_DIR, 'logs');
export const PROFILE_DIR = join(DATA_DIR, 'profiles');
export const GENERATED_DIR = join(BENCH_DIR, '.generated');
export const JOBS_DIR = join(BENCH_DIR, 'jobs');
export const CLI = join(ROOT, 'packages', 'core', 'dist', 'cli', 'bin.js');

export const PG = { host: '127.0.0.1', port: 5432, user: 'postgres', db: 'test', dsn: 'postgres://postgres@127.0.0.1:5432/test' };
export const MY = { host: '127.0.0.1', port: 3306, user: 'root', db: 'test', dsn: 'mysql://root@127.0.0.1:3306/test' };
export const AWS_ENV = { AWS_ACCESS_KEY_ID: 'testing', AWS_SECRET_ACCESS_KEY: 'testing', AWS_DEFAULT_REGION: 'us-east-1' };

export function ensureDirs() {
  for (const d of [DATA_DIR, OUT_DIR, LOG_DIR, PROFILE_DIR, GENERATED_DIR]) mkdirSync(d, { recursive: true });
}

/** Arguments of psql for the bench database, quiet and failing on the first error. */
export const psqlArgs = (...rest) => ['-h', PG.host, '-p', String(PG.port), '-U', PG.user, '-d', PG.db, '-X', '-q', '-v', 'ON_ERROR_STOP=1', ...rest];
export const mariadbArgs = (...rest) => ['-h', MY.host, '-P', String(MY.port), `-u${MY.user}`, MY.db, ...rest];

/** Runs one SQL text in PostgreSQL, returns the unaligned tuples-only output. */
export function pgSql(sql) {
  return execFileSync('psql', psqlArgs('-At', '-c', sql), { encoding: 'utf8', maxBuffer: 1 << 26, env: { ...process.env, PGOPTIONS: '-c client_min_messages=warning -c timezone=UTC' } }).trim();
}

/** Runs SQL text in MariaDB, returns the batch output without column names. */
export function mySql(sql) {
  return execFileSync('mariadb', mariadbArgs('--batch', '--skip-column-names', '-e', sql), { encoding: 'utf8', maxBuffer: 1 << 26 }).trim();
}

export function reachable(host, port, timeoutMs = 1500) {
  return new Promise((resolve) => {
    const socket = createConnection({ host, port });
    const done = (ok) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

export function commandExists(cmd) {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
}

/** Which packages are built: the bigrays jobs of scenarios 1-4 need @bigrays/sql (and /aws for scenario 3). */
export function builtPackages() {
  const built = (name, file = 'index.js') => existsSync(join(ROOT, 'packages', name, 'dist', file));
  return { core: built('core', 'cli/bin.js'), sql: built('sql'), aws: built('aws') };
}

export function machineInfo() {
  let cpuModel = cpus()[0]?.model?.trim() || 'unknown';
  try {
    const line = readFileSync('/proc/cpuinfo', 'utf8').split('\n').find((l) => l.startsWith('model name'));
    if (line) cpuModel = line.split(':').slice(1).join(':').trim();
  } catch {}
  const version = (cmd, args) => {
    try {
      return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim().split('\n')[0];
    } catch {
      return 'n/a';
    }
  };
  let coreVersion = 'n/a';
  try {
    coreVersion = JSON.parse(readFileSync(join(ROOT, 'packages', 'core', 'package.json'), 'utf8')).version;
  } catch {}
  let commit = 'n/a';
  try {
    commit = execFileSync('git', ['-C', ROOT, 'rev-parse', '--short', 'HEAD'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    const dirty = execFileSync('git', ['-C', ROOT, 'status', '--porcelain', '--', 'packages'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    if (dirty) commit += ' (packages/ has uncommitted changes)';
  } catch {}
  return {
    cpuModel,
    cores: cpus().length,
    memGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    postgres: safe(() => pgSql('show server_version')).replace(/\s*\(.*\)$/, ''),
    mariadb: safe(() => mySql('select version()')),
    psql: version('psql', ['--version']).replace(/^psql \(PostgreSQL\) (\S+).*/, 'psql $1'),
    mariadbClient: version('mariadb', ['--version']).replace(/^mariadb\s+Ver (\S+) Distrib (\S+?),.*/, 'mariadb client $1 ($2)'),
    awsCli: version('aws', ['--version']),
    bigrays: coreVersion,
    commit,
    load: loadavg().map((x) => x.toFixed(2)).join(' '),
    date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
  };
}

function safe(fn) {
  try {
    return fn();
  } catch {
    return 'n/a';
  }
}

/** Bytes in a file, or undefined. */
export function fileSize(path) {
  try {
    return statSync(path).size;
  } catch {
    return undefined;
  }
}

/** Lines (LF count) of a file, via wc -l. */
export function lineCount(path) {
  return Number(execFileSync('wc', ['-l', path], { encoding: 'utf8' }).trim().split(/\s+/)[0]);
}

/** True when two files have identical bytes (cmp -s). */
export function sameBytes(a, b) {
  return spawnSync('cmp', ['-s', a, b]).status === 0;
}

/** The first byte offset where two files differ, with the two lines there (for the report). */
export function firstDifference(a, b) {
  const r = spawnSync('cmp', [a, b], { encoding: 'utf8' });
  return (r.stdout || r.stderr || '').trim();
}
