/**
 * The embedded ledger: a folder (by default `.bigrays/` next to the job).
 *
 * ```
 * <root>/jobs/<job>/runs/<runId>.jsonl   one run: a header line, one line per task, an end line
 * <root>/jobs/<job>/index.json           the job's runs, newest last, without their tasks (listing, pruning)
 * <root>/jobs/<job>/lease.json           who runs the job now (heartbeat)
 * <root>/jobs/<job>/cursors.json         committed cursors of incremental tasks, with history
 * <root>/runs/<runId>/…                  checkpoints
 * ```
 *
 * A run's record is an append-only journal: each line is written whole by a
 * single write, and a torn last line (the process died inside the write) is
 * ignored when read, so a `kill -9` at any instant leaves a readable record.
 * Everything else is replaced atomically (write + rename). Nothing is
 * fsynced (see `atomic-file.ts`).
 *
 * @module
 */
import { constants, closeSync, openSync, writeSync } from 'node:fs';
import { access, copyFile, link, mkdir, readFile, readdir, rename, rm, stat, unlink, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { StateError } from '../errors/errors.js';
import { createFileExclusive, readJson, readTextIfExists, writeFileAtomic } from './atomic-file.js';
import { leaseExpired } from './lease-expiry.js';
import type { CheckpointStore, CursorRecord, LeaseHolder, LedgerStore, RunRecord, RunStatus, RunSummary, TaskRunRecord } from './ledger.js';

type JournalLine =
  | ({ t: 'run' } & Omit<RunRecord, 'tasks' | 'status' | 'endedAt'>)
  | ({ t: 'task' } & TaskRunRecord)
  | { t: 'end'; status: RunStatus; endedAt: string };

interface CursorFile {
  cursors: CursorRecord[];
  /** The last changes, newest last (who set what, when). */
  history: CursorRecord[];
}

const HISTORY = 200;
/** Runs a job's index remembers; older journals are deleted (their checkpoints went long before). */
const INDEX_RUNS = 500;

/** A job name as a folder name: readable, and never a path. */
export function jobFolderName(job: string): string {
  return encodeURIComponent(job).replace(/^\.+/, (dots) => '%2E'.repeat(dots.length));
}

export class FileLedgerStore implements LedgerStore {
  readonly description: string;
  readonly checkpoints: CheckpointStore;
  /** Open journals of runs in progress: appended to synchronously, one write per line. */
  private readonly journals = new Map<string, number>();

  constructor(readonly root: string) {
    this.description = `folder ${root}`;
    this.checkpoints = new FileCheckpointStore(join(root, 'runs'));
  }

  async open(): Promise<void> {
    await mkdir(join(this.root, 'jobs'), { recursive: true });
    // A folder that exists but cannot be written fails here, before any task runs, not at the first record.
    const probe = join(this.root, `.probe-${process.pid}-${randomBytes(4).toString('hex')}`);
    try {
      await writeFile(probe, 'ok');
    } finally {
      // On a full disk the file is created but its bytes are not: leave nothing half-written behind.
      await unlink(probe).catch(() => undefined);
    }
  }

  private jobDir(job: string): string {
    return join(this.root, 'jobs', jobFolderName(job));
  }

  private journalPath(job: string, runId: string): string {
    return join(this.jobDir(job), 'runs', `${runId}.jsonl`);
  }

  async beginRun(run: RunRecord): Promise<void> {
    const path = this.journalPath(run.job, run.runId);
    await mkdir(dirname(path), { recursive: true });
    const { tasks: _tasks, status: _status, endedAt: _ended, ...header } = run;
    await writeFile(path, `${JSON.stringify({ t: 'run', ...header })}\n`, { flag: 'wx' });
    this.journals.set(run.runId, openSync(path, constants.O_WRONLY | constants.O_APPEND));
    const { planned: _planned, ...summary } = header;
    await this.updateIndex(run.job, (runs) => [...runs, { ...summary, status: 'running' }]);
  }

  private async updateIndex(job: string, change: (runs: RunSummary[]) => RunSummary[]): Promise<void> {
    const path = join(this.jobDir(job), 'index.json');
    const runs = change((await readJson<{ runs: RunSummary[] }>(path))?.runs ?? []);
    const dropped = runs.length > INDEX_RUNS ? runs.splice(0, runs.length - INDEX_RUNS) : [];
    await writeFileAtomic(path, JSON.stringify({ runs }));
    for (const run of dropped) await rm(this.journalPath(job, run.runId), { force: true });
  }

  async recordTasks(job: string, runId: string, tasks: readonly TaskRunRecord[]): Promise<void> {
    if (tasks.length === 0) return;
    const text = tasks.map((t) => `${JSON.stringify({ t: 'task', ...t })}\n`).join('');
    const fd = this.journals.get(runId);
    // One synchronous write (no fsync): on disk as far as a kill -9 is concerned, a few µs per task.
    if (fd !== undefined) writeSync(fd, text);
    else await writeFile(this.journalPath(job, runId), text, { flag: 'a' });
  }

  async finishRun(job: string, runId: string, status: RunStatus, endedAt: string, failedTask?: string): Promise<void> {
    await this.recordLine(job, runId, { t: 'end', status, endedAt });
    const fd = this.journals.get(runId);
    this.journals.delete(runId);
    if (fd !== undefined) closeSync(fd);
    await this.updateIndex(job, (runs) =>
      runs.map((r) => (r.runId === runId ? { ...r, status, endedAt, ...(failedTask ? { failedTask } : {}) } : r)),
    );
  }

  private async recordLine(job: string, runId: string, line: JournalLine): Promise<void> {
    const fd = this.journals.get(runId);
    if (fd !== undefined) writeSync(fd, `${JSON.stringify(line)}\n`);
    else await writeFile(this.journalPath(job, runId), `${JSON.stringify(line)}\n`, { flag: 'a' });
  }

  async listRuns(job: string, limit: number): Promise<RunSummary[]> {
    const runs = (await readJson<{ runs: RunSummary[] }>(join(this.jobDir(job), 'index.json')))?.runs ?? [];
    return runs.slice(-limit).reverse();
  }

  async getRun(runId: string): Promise<RunRecord | undefined> {
    if (!/^[\w.-]+$/.test(runId)) return undefined;
    let jobs: string[];
    try {
      jobs = await readdir(join(this.root, 'jobs'));
    } catch {
      return undefined;
    }
    for (const job of jobs) {
      const run = await this.readJournal(join(this.root, 'jobs', job, 'runs', `${runId}.jsonl`));
      if (run) return run;
    }
    return undefined;
  }

  async currentLease(job: string): Promise<LeaseHolder | undefined> {
    return readJson<LeaseHolder>(join(this.jobDir(job), 'lease.json'));
  }

  private async readJournal(path: string): Promise<RunRecord | undefined> {
    const text = await readTextIfExists(path);
    if (text === undefined) return undefined;
    let run: RunRecord | undefined;
    const tasks = new Map<string, TaskRunRecord>();
    let status: RunStatus = 'running';
    let endedAt: string | undefined;
    for (const line of text.split('\n')) {
      if (line === '') continue;
      let entry: JournalLine;
      try {
        entry = JSON.parse(line) as JournalLine;
      } catch {
        continue; // a torn line: the process died inside the write
      }
      if (entry.t === 'run') {
        const { t: _t, ...header } = entry;
        run = { ...header, status: 'running', tasks: [] };
      } else if (entry.t === 'task') {
        const { t: _t, ...task } = entry;
        tasks.set(task.name, task);
      } else if (entry.t === 'end') {
        status = entry.status;
        endedAt = entry.endedAt;
      }
    }
    if (!run) return undefined;
    const order = new Map(run.planned.map((name, i) => [name, i]));
    const sorted = [...tasks.values()].sort((a, b) => (order.get(a.name) ?? 0) - (order.get(b.name) ?? 0));
    return { ...run, status, endedAt, tasks: sorted };
  }

  async acquireLease(job: string, holder: LeaseHolder, ttlMs: number): Promise<LeaseHolder | undefined> {
    const path = join(this.jobDir(job), 'lease.json');
    await mkdir(dirname(path), { recursive: true });
    for (let tries = 0; tries < 5; tries++) {
      if (await createFileExclusive(path, JSON.stringify(holder))) return undefined;
      const current = await readJson<LeaseHolder>(path);
      if (current && !leaseExpired(current, ttlMs)) return current;
      // Expired (or unreadable): move it aside, then check it was the expired one we moved, not a fresh lease of a racing run.
      const aside = `${path}.${randomBytes(4).toString('hex')}.expired`;
      try {
        await rename(path, aside);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue;
        throw error;
      }
      const moved = await readJson<LeaseHolder>(aside);
      if (moved && current && moved.runId !== current.runId && !leaseExpired(moved, ttlMs)) {
        // We took a racing run's fresh lease: give it back, and report it as the holder.
        await link(aside, path).catch(() => undefined);
        await rm(aside, { force: true });
        return moved;
      }
      await rm(aside, { force: true });
    }
    throw new StateError(`could not take the lease of job ${job} in ${this.description}: it changed hands 5 times in a row; try again`);
  }

  async renewLease(job: string, runId: string, at: string): Promise<void> {
    const path = join(this.jobDir(job), 'lease.json');
    const current = await readJson<LeaseHolder>(path);
    if (!current || current.runId !== runId) return; // lost (expired and taken over): the new holder's file stays
    await writeFileAtomic(path, JSON.stringify({ ...current, heartbeatAt: at }));
  }

  async releaseLease(job: string, runId: string): Promise<void> {
    const path = join(this.jobDir(job), 'lease.json');
    const current = await readJson<LeaseHolder>(path);
    if (current && current.runId === runId) await rm(path, { force: true });
  }

  async getCursors(job: string): Promise<CursorRecord[]> {
    return (await readJson<CursorFile>(join(this.jobDir(job), 'cursors.json')))?.cursors ?? [];
  }

  async setCursors(job: string, cursors: readonly CursorRecord[]): Promise<void> {
    if (cursors.length === 0) return;
    const path = join(this.jobDir(job), 'cursors.json');
    await mkdir(dirname(path), { recursive: true });
    const file = (await readJson<CursorFile>(path)) ?? { cursors: [], history: [] };
    const byTask = new Map(file.cursors.map((c) => [c.task, c]));
    for (const c of cursors) byTask.set(c.task, c);
    const history = [...file.history, ...cursors].slice(-HISTORY);
    await writeFileAtomic(path, `${JSON.stringify({ cursors: [...byTask.values()], history }, null, 1)}\n`);
  }

  async close(): Promise<void> {
    for (const fd of this.journals.values()) closeSync(fd);
    this.journals.clear();
  }
}

/** Checkpoints as files under a folder: `<root>/<runId>/<file>`. */
export class FileCheckpointStore implements CheckpointStore {
  readonly description: string;
  constructor(private readonly root: string) {
    this.description = `folder ${root}`;
  }

  private path(location: string): string {
    if (location.split('/').some((part) => part === '..' || part === '')) throw new Error(`invalid checkpoint location ${location}`);
    return join(this.root, location);
  }

  async putFile(location: string, sourcePath: string): Promise<void> {
    const target = this.path(location);
    await mkdir(dirname(target), { recursive: true });
    const temp = `${target}.${randomBytes(4).toString('hex')}.tmp`;
    try {
      // A hard link costs nothing (a spool file is often large); another file system needs a copy.
      await link(sourcePath, temp).catch(() => copyFile(sourcePath, temp));
      await rename(temp, target);
    } catch (error) {
      await rm(temp, { force: true });
      throw error;
    }
  }

  async putBytes(location: string, data: Buffer): Promise<void> {
    const target = this.path(location);
    await mkdir(dirname(target), { recursive: true });
    await writeFileAtomic(target, data);
  }

  async getBytes(location: string): Promise<Buffer> {
    return readFile(this.path(location));
  }

  async getFile(location: string, targetPath: string): Promise<void> {
    const source = this.path(location);
    await access(source);
    await mkdir(dirname(targetPath), { recursive: true });
    // A link is safe: spool files are never changed in place, and deleting the restored one at job end only removes its name.
    await link(source, targetPath).catch(() => copyFile(source, targetPath));
  }

  async deleteRun(runId: string): Promise<void> {
    if (!/^[\w.-]+$/.test(runId)) return;
    await rm(join(this.root, runId), { recursive: true, force: true });
  }

  /** Run ids that have a checkpoint folder (for pruning). */
  async runIds(): Promise<string[]> {
    try {
      return (await readdir(this.root)).filter((n) => /^[\w.-]+$/.test(n));
    } catch {
      return [];
    }
  }

  async size(location: string): Promise<number> {
    return (await stat(this.path(location))).size;
  }
}
