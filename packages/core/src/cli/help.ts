/** `bigrays --help`. Kept free of imports so that it prints fast. */
export const HELP = `bigrays: run ETL jobs written as decorated TypeScript task classes

Usage
  bigrays <job> [--param k=v]... [--only A,B] [--from A] [--dry-run] [--log-level L]
                [--resume [runId]] [--full-refresh] [--allow-concurrent]
  bigrays plan <job> [--param k=v]... [--resume [runId]]
                                           show the ordered tasks, resources, swaps and templates;
                                           with --resume, what each task of the resumed run will do
  bigrays runs <job> [runId] [--limit N] [--json]
                                           recent runs from the run ledger; one run task by task
  bigrays state <job> [--set Task=value] [--reset Task] [--json]
                                           cursors of incremental tasks; set or reset one (a backfill)
  bigrays graph <job> [--format mermaid|dot]
  bigrays config [<job>]                   every known config key, where it is set, secrets masked
  bigrays --help | --version

Options
  -p, --param k=v     set a job parameter (repeatable); wins over updateFormatKws()
  --only A,B          run only these tasks (repeatable or comma-separated)
  --from A            start at task A
  --dry-run           plan and validate, run nothing
  --resume [runId]    continue the latest unsuccessful run (or that run) with its parameters:
                      tasks that succeeded are not run again, their outputs are restored
  --full-refresh      incremental tasks start from their initial cursor in this run
  --allow-concurrent  run even while another run of the job holds its lease
  --log-level L       silly|trace|debug|info|warn|error|fatal|silent (default info);
                      debug also prints stack traces of errors
  --format F          graph format: mermaid (default) or dot

Examples
  bigrays ./examples/quickstart/job.ts
  bigrays ./job.ts --param day=2026-01-31 --param region=eu
  bigrays plan ./job.ts
  bigrays ./job.ts --from UploadPredictions     upstream outputs come from the latest checkpoints
  bigrays ./job.ts --resume
  bigrays runs ./job.ts
  BIGRAYS_DB_DSN=postgres://etl@db/warehouse bigrays ./job.ts

Exit codes
  0 success · 1 a task failed · 2 invalid usage, job, plan or configuration (nothing ran)
  130 interrupted by SIGINT · 143 by SIGTERM · 129 by SIGHUP

Configuration comes from BIGRAYS_* environment variables (see bigrays config).
Runs are recorded in a run ledger: .bigrays/ next to the job, or BIGRAYS_STATE (a folder,
postgres://, mysql://, sqlite:<path>, or off).
`;
