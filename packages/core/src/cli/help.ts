/** `bigrays --help`. Kept free of imports so that it prints fast. */
export const HELP = `bigrays: run ETL jobs written as decorated TypeScript task classes

Usage
  bigrays <job> [--param k=v]... [--only A,B] [--from A] [--dry-run] [--log-level L]
  bigrays plan <job> [--param k=v]...      show the ordered tasks, resources, swaps and templates
  bigrays graph <job> [--format mermaid|dot]
  bigrays config [<job>]                   every known config key, where it is set, secrets masked
  bigrays --help | --version

Options
  -p, --param k=v     set a job parameter (repeatable); wins over updateFormatKws()
  --only A,B          run only these tasks (repeatable or comma-separated)
  --from A            start at task A
  --dry-run           plan and validate, run nothing
  --log-level L       silly|trace|debug|info|warn|error|fatal|silent (default info);
                      debug also prints stack traces of errors
  --format F          graph format: mermaid (default) or dot

Examples
  bigrays ./examples/quickstart/job.ts
  bigrays ./job.ts --param day=2026-01-31 --param region=eu
  bigrays plan ./job.ts
  bigrays ./job.ts --from UploadPredictions
  BIGRAYS_DB_DSN=postgres://etl@db/warehouse bigrays ./job.ts

Exit codes
  0 success · 1 a task failed · 2 invalid usage, job, plan or configuration (nothing ran)
  130 interrupted by SIGINT · 143 by SIGTERM · 129 by SIGHUP

Configuration comes from BIGRAYS_* environment variables (see bigrays config).
`;
