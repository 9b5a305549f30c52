/**
 * The run ledger: what every run of a job recorded (runs, task runs,
 * checkpoints, cursors, the lease). These types are the contract between
 * the runner and a store; `file-store.ts` is the embedded store, SQL stores
 * register through `store-registry.ts`.
 *
 * @module
 */

/** How a recorded run ended. `running`: not ended (or the process died: see {@link RunRecord.endedAt}). */
export type RunStatus = 'running' | 'succeeded' | 'failed' | 'interrupted';

/** A run as listed: `crashed` is a `running` run whose process is gone (its lease expired or was never renewed). */
export type RunState = RunStatus | 'crashed';

/** Where a task's output checkpoint is, and how to check it is intact. */
export interface CheckpointRef {
  /** `json`: typed JSON of the output; `dataset`: a Dataset's spool file plus its columns. */
  readonly kind: 'json' | 'dataset';
  /** Location inside the checkpoint store (a relative path, or an `s3://` URI); `inline` when {@link CheckpointRef.inline} holds it. */
  readonly location: string;
  /** A small JSON checkpoint kept in the ledger record itself (no file to write per task). */
  readonly inline?: string;
  readonly bytes: number;
  /** SHA-256 (hex) of the stored bytes: a changed file is never restored. */
  readonly sha256: string;
  /** Dataset only: what the spool file holds. */
  readonly dataset?: {
    readonly columns: readonly string[];
    readonly columnTypes: readonly string[];
    readonly rowCount: number;
    readonly headerLength: number;
  };
}

/** One task of a recorded run. */
export interface TaskRunRecord {
  readonly name: string;
  readonly status: 'succeeded' | 'failed' | 'skipped';
  readonly attempts: number;
  readonly durationMs: number;
  readonly rows?: number;
  readonly bytes?: number;
  /** Why it failed or was skipped (secrets removed). */
  readonly error?: string;
  readonly checkpoint?: CheckpointRef;
  /** Why no checkpoint was kept for a succeeded task (its output cannot be restored exactly). */
  readonly notCheckpointed?: string;
  /** Its output was restored from this run's checkpoint instead of running it. */
  readonly restoredFrom?: string;
  /** An incremental task: the cursor value it read and the one it reached (committed when the run succeeds). */
  readonly cursor?: { readonly from: string | null; readonly to: string | null };
  readonly endedAt: string;
}

/** One run of a job without its task records (what a listing shows). */
export interface RunSummary {
  readonly runId: string;
  readonly job: string;
  readonly params: Readonly<Record<string, string>>;
  readonly host: string;
  readonly pid: number;
  readonly startedAt: string;
  readonly endedAt?: string;
  readonly status: RunStatus;
  readonly resumeOf?: string;
  /** Earlier runs whose checkpoints this run restores from (they are kept while this run is). */
  readonly uses?: readonly string[];
  /** The first task that failed, if any. */
  readonly failedTask?: string;
}

/** One run of a job: its summary (the failed task is read from its task records) and what it planned and ran. */
export interface RunRecord extends Omit<RunSummary, 'failedTask'> {
  /** Task names this run covered (its plan), in order. */
  readonly planned: readonly string[];
  /** Per task, the last record (a retried task has one record with its attempts). */
  readonly tasks: readonly TaskRunRecord[];
}

/** The committed value of an incremental task's cursor. */
export interface CursorRecord {
  readonly task: string;
  /** `null` after `--reset`: the next run starts from the task's `initial`. */
  readonly value: string | null;
  readonly updatedAt: string;
  /** The run that committed it, or `state --set/--reset` with who did it. */
  readonly by: string;
}

/** Who holds a job's lease. */
export interface LeaseHolder {
  readonly runId: string;
  readonly host: string;
  readonly pid: number;
  readonly startedAt: string;
  /** Renewed by the holder's heartbeat; a lease not renewed within the TTL is expired. */
  readonly heartbeatAt: string;
}

/** Bytes of a checkpoint, as stored. */
export interface CheckpointStore {
  /** Where checkpoints live, for messages. */
  readonly description: string;
  /** Stores a file under `location` (copied or linked; the source stays). */
  putFile(location: string, sourcePath: string): Promise<void>;
  /** Stores bytes under `location`. */
  putBytes(location: string, data: Buffer): Promise<void>;
  /** The stored bytes; throws when they are missing. */
  getBytes(location: string): Promise<Buffer>;
  /** Makes the stored object available as a local file at `targetPath`; throws when it is missing. */
  getFile(location: string, targetPath: string): Promise<void>;
  /** Deletes every checkpoint of a run. */
  deleteRun(runId: string): Promise<void>;
  /** Checks it can be used (configuration, access) before any task runs. */
  open?(): Promise<void>;
  /** Releases connections (S3); called when the run ends. */
  close?(): Promise<void>;
}

/**
 * A run ledger. Every method fails with a `StateError` naming the store and
 * the fix when the store cannot be reached.
 */
export interface LedgerStore {
  /** What and where the store is, secrets masked (`folder /x/.bigrays`, `postgres://u@h/db`). */
  readonly description: string;
  /** Checks the store can be read and written (creates tables/folders on first use). */
  open(): Promise<void>;
  /** Records a new run (status `running`). */
  beginRun(run: RunRecord): Promise<void>;
  /** Appends task records of a running run (called after each task; stores may batch). */
  recordTasks(job: string, runId: string, tasks: readonly TaskRunRecord[]): Promise<void>;
  /** Records how the run ended. */
  finishRun(job: string, runId: string, status: RunStatus, endedAt: string, failedTask?: string): Promise<void>;
  /** Runs of a job, newest first, without their task records (cheap). */
  listRuns(job: string, limit: number): Promise<RunSummary[]>;
  /** One run with its task records. */
  getRun(runId: string): Promise<RunRecord | undefined>;

  /** Who holds the job's lease now (expired or not). */
  currentLease(job: string): Promise<LeaseHolder | undefined>;
  /** Takes the job's lease, or returns who holds it (a holder whose heartbeat is older than `ttlMs` is replaced). */
  acquireLease(job: string, holder: LeaseHolder, ttlMs: number): Promise<LeaseHolder | undefined>;
  renewLease(job: string, runId: string, at: string): Promise<void>;
  releaseLease(job: string, runId: string): Promise<void>;

  getCursors(job: string): Promise<CursorRecord[]>;
  /** Writes these cursors in one step (all or none). */
  setCursors(job: string, cursors: readonly CursorRecord[]): Promise<void>;

  /** Where checkpoints live unless `BIGRAYS_CHECKPOINTS` says otherwise. */
  readonly checkpoints: CheckpointStore | undefined;
  close(): Promise<void>;
}
