/**
 * The run ledger in a database (BIGRAYS_STATE=postgres://…, mysql://…, sqlite:<path>), each in a database of
 * its own (the ledger's table names are fixed, so no other test may share them).
 */
import { describe, it, expect, beforeEach, afterAll } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { Task, Input, resetJobs, runJob, JobFailedError, StateError, taskCursor } from '@bigrays/core';
import { openLedgerStore } from '@bigrays/core/plugin';
import { SQLSession, SqlLedgerStore } from '@bigrays/sql';
import { requireService } from '../../../test/support/services.js';
import { PG_DSN, MARIADB_DSN, sqliteDir } from './helpers.js';

const pgUp = await requireService('postgres', 'sql/ledger-store');
const mariaUp = await requireService('mariadb', 'sql/ledger-store');
const created: { admin: string; drop: string }[] = [];

async function adminExec(dsn: string, sql: string): Promise<void> {
  if (dsn.startsWith('postgres')) {
    // CREATE/DROP DATABASE cannot run in a transaction (SQLSession.execute runs in one).
    const { default: pg } = await import('pg');
    const client = new pg.Client({ connectionString: dsn });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
    return;
  }
  const s = new SQLSession();
  await s.open({ DB_DSN: dsn });
  try {
    await s.execute(sql);
  } finally {
    await s.close();
  }
}

/** A fresh database for one test; its DSN. */
async function freshDatabase(kind: 'sqlite' | 'postgres' | 'mariadb'): Promise<string> {
  const name = `bigrays_ledger_${process.pid}_${randomBytes(3).toString('hex')}`;
  if (kind === 'sqlite') return `sqlite:${join(sqliteDir(), 'ledger.sqlite')}`;
  const admin = kind === 'postgres' ? PG_DSN : MARIADB_DSN;
  await adminExec(admin, `create database ${name}`);
  created.push({ admin, drop: kind === 'postgres' ? `drop database if exists ${name} with (force)` : `drop database if exists ${name}` });
  return admin.replace(/\/test$/, `/${name}`);
}

afterAll(async () => {
  for (const { admin, drop } of created) await adminExec(admin, drop).catch(() => undefined);
});

let ran: string[];
beforeEach(() => {
  resetJobs();
  ran = [];
});

describe.each([
  ['sqlite', true],
  ['postgres', pgUp],
  ['mariadb', mariaUp],
] as const)('%s ledger', (kind, up) => {
  const maybe = up ? it : it.skip;

  maybe('creates its tables with a schema version, records runs, resumes, commits cursors, holds the lease', async () => {
    const dsn = await freshDatabase(kind);
    let fail = true;
    @Task({ incremental: { cursor: 'at', initial: '2026-01-01T00:00:00Z' } }) class Pull {
      run() {
        ran.push(`Pull from ${(taskCursor()!.value as Date).toISOString()}`);
        return [{ id: 1n, at: new Date('2026-01-02T00:00:00Z') }];
      }
    }
    @Task() class Load {
      @Input(Pull) rows!: { id: bigint; at: Date }[];
      run() {
        ran.push(`Load ${typeof this.rows[0]!.id} ${this.rows[0]!.at.toISOString()}`);
        if (fail) throw new Error('load broke');
        return this.rows.length;
      }
    }
    void Load;
    const opts = { jobName: 'nightly', state: dsn };
    const first = await runJob(opts).catch((e: JobFailedError) => e.result);
    fail = false;
    const second = await runJob({ ...opts, resume: true });
    expect(ran).toEqual(['Pull from 2026-01-01T00:00:00.000Z', 'Load bigint 2026-01-02T00:00:00.000Z', 'Load bigint 2026-01-02T00:00:00.000Z']);
    expect(second.report('Pull')!.restoredFrom).toBe(first.runId);

    const store = await openLedgerStore({ state: dsn });
    try {
      expect(store).toBeInstanceOf(SqlLedgerStore);
      const runs = await store.listRuns('nightly', 10);
      expect(runs.map((r) => [r.runId, r.status, r.failedTask])).toEqual([
        [second.runId, 'succeeded', undefined],
        [first.runId, 'failed', 'Load'],
      ]);
      const record = await store.getRun(first.runId!);
      expect(record!.tasks.map((t) => [t.name, t.status, t.attempts])).toEqual([
        ['Pull', 'succeeded', 1],
        ['Load', 'failed', 1],
      ]);
      expect(record!.tasks[1]!.error).toContain('load broke');
      expect(await store.getCursors('nightly')).toEqual([expect.objectContaining({ task: 'Pull', value: '2026-01-02T00:00:00.000Z', by: `run ${second.runId}` })]);
      expect(await store.currentLease('nightly')).toBeUndefined();

      // A live lease of another host makes the next run exit with a StateError naming it.
      const holder = { runId: 'other-run', host: 'elsewhere', pid: 1, startedAt: '2026-01-01T00:00:00.000Z', heartbeatAt: new Date().toISOString() };
      expect(await store.acquireLease('nightly', holder, 30_000)).toBeUndefined();
      await expect(runJob(opts)).rejects.toThrow('job nightly is already running: run other-run on elsewhere (pid 1)');
      // Expired (its heartbeat stopped): taken over.
      await store.renewLease('nightly', 'other-run', new Date(Date.now() - 60_000).toISOString());
      await runJob(opts);
      expect(ran.at(-2)).toBe('Pull from 2026-01-02T00:00:00.000Z');
    } finally {
      await store.close();
    }
  });

  maybe('two jobs in one store run at the same time: both succeed, each sees only its own runs and tasks', async () => {
    const dsn = await freshDatabase(kind);
    @Task() class Slow { async run() { await new Promise((r) => setTimeout(r, 100)); ran.push('Slow'); return 'slow'; } }
    @Task() class Fast { run() { ran.push('Fast'); return 'fast'; } }
    const [a, b] = await Promise.all([
      runJob({ tasks: [Slow], state: dsn, jobName: 'job-a' }),
      runJob({ tasks: [Fast], state: dsn, jobName: 'job-b' }),
    ]);
    expect(a.ok && b.ok).toBe(true);
    expect(ran.sort()).toEqual(['Fast', 'Slow']);
    const store = await openLedgerStore({ state: dsn });
    try {
      expect((await store.listRuns('job-a', 5)).map((r) => r.runId)).toEqual([a.runId]);
      expect((await store.listRuns('job-b', 5)).map((r) => r.runId)).toEqual([b.runId]);
      expect((await store.getRun(a.runId!))!.tasks.map((t) => t.name)).toEqual(['Slow']);
      expect((await store.getRun(b.runId!))!.tasks.map((t) => t.name)).toEqual(['Fast']);
      expect(await store.currentLease('job-a')).toBeUndefined();
      expect(await store.currentLease('job-b')).toBeUndefined();
    } finally {
      await store.close();
    }
  });
});

describe('a database ledger that cannot be reached', () => {
  it('exits before any task runs, naming the store (password masked) and the fix', async () => {
    @Task() class One { run() { ran.push('One'); } }
    void One;
    const error = await runJob({ jobName: 'x', state: 'postgres://etl:s3cr3t@127.0.0.1:1/none' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StateError);
    expect((error as Error).message).toMatch(/^the run ledger \(postgres:\/\/etl:\*+@127\.0\.0\.1:1\/none\) cannot be used: .+ Fix it, point BIGRAYS_STATE elsewhere, or set BIGRAYS_STATE=off/);
    expect((error as Error).message).not.toContain('s3cr3t');
    expect(ran).toEqual([]);
  });
});
