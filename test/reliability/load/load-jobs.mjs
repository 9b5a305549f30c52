#!/usr/bin/env node
/**
 * Load test: runs N jobs back to back in this one process through the
 * programmatic API and reports whether anything leaked. Run with
 * `node --expose-gc`; it imports the built packages (dist), so that the
 * numbers are those of bigrays, not of Jest's module registry.
 *
 *   node --expose-gc test/reliability/load/load-jobs.mjs --jobs 1000 [--sqlite] [--postgres <dsn> [--pg-every 4]]
 *
 * Each job defines fresh task classes (so the job registry and the
 * decorators' metadata are exercised too) and runs them with bigraysRun():
 * a task on a custom resource that holds a real file descriptor while open,
 * with SQL tasks on SQLite (every job) and PostgreSQL (every 4th job), which
 * swap the resource between tasks, a transform, and on every 10th job a failing task (the failure path
 * closes resources too), on every 25th job a spooled Dataset.
 *
 * Prints one JSON object: the counts at the start (after a warm-up) and at
 * the end of file descriptors, PostgreSQL backends of the database,
 * heap used after a forced GC, signal listeners, active handles, spool
 * files. The Jest test (load.test.ts) asserts on it.
 */
import { readdirSync } from 'node:fs';
import { open as openFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { parseArgs } from 'node:util';
import { Task, Requires, Input, Resource, bigraysRun, JobFailedError, DatasetWriter } from '@bigrays/core';
import { liveSpoolFiles } from '@bigrays/core/testing';

const { values } = parseArgs({
  options: {
    jobs: { type: 'string', default: '1000' },
    warmup: { type: 'string', default: '30' },
    sqlite: { type: 'boolean', default: false },
    postgres: { type: 'string' },
    'pg-every': { type: 'string', default: '4' },
  },
});
const JOBS = Number(values.jobs);
const WARMUP = Number(values.warmup);
const PG_EVERY = Number(values['pg-every']);
if (typeof globalThis.gc !== 'function') {
  console.error('run with node --expose-gc');
  process.exit(2);
}

const sql = values.sqlite || values.postgres ? await import('@bigrays/sql') : undefined;
const require = createRequire(import.meta.url);

let opened = 0;
let closed = 0;
/** A resource holding a real file descriptor while open. */
class FileResource extends Resource {
  async open() {
    this.handle = await openFile(join(tmpdir(), 'bigrays-load-resource.txt'), 'a');
    opened++;
  }
  async close() {
    await this.handle?.close();
    closed++;
  }
}

/** Defines a fresh job (new classes) and runs it. */
async function oneJob(i) {
  const tasks = [];
  class Extract {
    async run(file) {
      await file.handle.write(''); // uses the descriptor
      return Array.from({ length: 20 }, (_, k) => ({ id: i * 100 + k, label: `row ${k}` }));
    }
  }
  Requires(FileResource)(Extract);
  Task()(Extract);
  tasks.push(Extract);

  if (sql && values.sqlite) {
    class FromSqlite extends sql.SQLQuery {
      query = 'select :i as i, 2 as two';
      params = { i: i };
      spool = i % 25 === 0;
    }
    Requires(sql.SQLSession, { DB_DSN: 'sqlite::memory:' })(FromSqlite);
    Task()(FromSqlite);
    tasks.push(FromSqlite);
  }
  // Opening a PostgreSQL session takes ~60 ms (TypeORM's initialisation): every PG_EVERY-th job uses it.
  if (sql && values.postgres && i % PG_EVERY === 0) {
    class FromPostgres extends sql.SQLQuery {
      query = 'select generate_series(1, 50) as n';
      spool = i % 25 === 0;
    }
    Requires(sql.SQLSession, { DB_DSN: values.postgres })(FromPostgres);
    Task()(FromPostgres);
    tasks.push(FromPostgres);
  }

  class Transform {
    async run() {
      if (i % 25 === 0) {
        const w = await DatasetWriter.create([{ name: 'id', type: 'integer' }]);
        for (const r of this.rows) await w.writeRow({ id: r.id });
        return (await w.finish()).rowCount;
      }
      return this.rows.length;
    }
  }
  Input(Extract)(Transform.prototype, 'rows');
  Task()(Transform);
  tasks.push(Transform);

  if (i % 10 === 0) {
    class Fails {
      run() {
        throw new Error(`planned failure of job ${i}`);
      }
    }
    Requires(FileResource)(Fails);
    Task()(Fails);
  }

  try {
    const result = await bigraysRun();
    return result.ok ? 'ok' : 'not ok';
  } catch (error) {
    if (error instanceof JobFailedError && i % 10 === 0) return 'failed as planned';
    throw error;
  }
}

let pgObserver;
async function pgBackends() {
  if (!values.postgres) return 0;
  if (!pgObserver) {
    const pg = require('pg');
    pgObserver = new pg.Client({ connectionString: values.postgres, application_name: 'bigrays-load-observer' });
    await pgObserver.connect();
  }
  const db = new URL(values.postgres).pathname.slice(1);
  const { rows } = await pgObserver.query(
    "select count(*)::int as n from pg_stat_activity where datname = $1 and application_name = 'bigrays' and pid <> pg_backend_pid()",
    [db],
  );
  return rows[0].n;
}

async function settle() {
  for (let k = 0; k < 6; k++) {
    globalThis.gc();
    await new Promise((r) => setTimeout(r, 20));
  }
}

const spoolDirs = () => readdirSync(tmpdir()).filter((n) => n.startsWith(`bigrays-spool-${process.pid}-`)).flatMap((d) => readdirSync(join(tmpdir(), d)));

async function measure() {
  await settle();
  // Backends end asynchronously after the client's Terminate: give them a moment.
  let backends = await pgBackends();
  for (let k = 0; k < 40 && backends > 0; k++) {
    await new Promise((r) => setTimeout(r, 50));
    backends = await pgBackends();
  }
  return {
    fds: readdirSync('/proc/self/fd').length,
    heapUsed: process.memoryUsage().heapUsed,
    pgBackends: backends,
    sigint: process.listenerCount('SIGINT'),
    sigterm: process.listenerCount('SIGTERM'),
    exitListeners: process.listenerCount('exit'),
    handles: process.getActiveResourcesInfo().filter((r) => r !== 'TTYWrap').length,
    spoolFiles: liveSpoolFiles().length,
    spoolDirEntries: spoolDirs().length,
  };
}

const outcomes = {};
const count = (o) => (outcomes[o] = (outcomes[o] ?? 0) + 1);
for (let i = 1; i <= WARMUP; i++) count(await oneJob(-i));
await pgBackends(); // the observer's own connection exists before the baseline
const start = await measure();
const t0 = Date.now();
for (let i = 1; i <= JOBS; i++) count(await oneJob(i));
const ms = Date.now() - t0;
const end = await measure();
await pgObserver?.end();
console.log(JSON.stringify({ jobs: JOBS, ms, outcomes, opened, closed, start, end }));
