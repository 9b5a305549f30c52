/**
 * The bad-input corpus: broken jobs and command lines, each with the exit
 * code and the one message it must produce. `corpus.test.ts` runs every
 * case through the real `bigrays` CLI, in an empty scratch directory, with
 * secrets in the environment, and checks:
 *
 * - the exit code;
 * - the message: for exit 2 (nothing ran) the whole of stderr; for exit 1
 *   the error block the run ends with (from the last `bigrays: ` line);
 *   exactly, or against a precise regex;
 * - stdout (empty unless said otherwise) and no stack trace;
 * - nothing written: the scratch directory is as the setup left it, and the
 *   case's own check (no table, no object) holds;
 * - with `--log-level debug`: the same exit code, and no secret anywhere.
 *
 * In `args` and `message`, `{job}` is the absolute path of the case's file
 * and `{corpus}` the corpus directory; `{scratch}` the scratch directory.
 */
export type Need = 'postgres' | 'mariadb' | 'moto' | 'sql' | 'aws';

export interface CaseContext {
  /** Scratch directory: the CLI's working directory. */
  scratch: string;
  /** Unique suffix for tables, buckets and keys of this case. */
  unique: string;
  /** Environment given to the CLI (secrets included); setup may add to it. */
  env: Record<string, string | undefined>;
}

export interface CorpusCase {
  id: string;
  /** File under corpus/ ('{job}' in args); omit for pure command-line cases. */
  job?: string;
  /** Command line; default `['{job}']`. */
  args?: string[];
  env?: Record<string, string>;
  code: 0 | 1 | 2;
  message: string | RegExp;
  stdout?: string | RegExp;
  needs?: Need[];
  setup?: (ctx: CaseContext) => Promise<void> | void;
  /** Extra "nothing written" checks: no table, no object. */
  nothingWritten?: (ctx: CaseContext) => Promise<void> | void;
  /**
   * A known bug, reported to the lead: the case states the behaviour we
   * want and is expected to fail until the bug is fixed (run as it.failing).
   */
  bug?: string;
}

const good = '24-good.ts';

export const CORE_CASES: CorpusCase[] = [
  // ------------------------------------------------------------ loading the job file
  {
    id: '01 syntax error in a .ts job',
    job: '01-syntax-error.ts',
    code: 2,
    message: 'bigrays: could not load job {job}: {job}:6:23: ERROR: Expected "}" but found ";"',
  },
  {
    id: '02 a job with no tasks',
    job: '02-no-tasks.ts',
    code: 2,
    message: 'bigrays: the job defines no task: decorate at least one class with @Task() (import { Task } from "@bigrays/core")',
  },
  {
    id: '03 @Input of a class that is not a task',
    job: '03-input-of-non-task.ts',
    code: 2,
    message: 'bigrays: could not load job {job}: @Input(Extract) on Export.input: Extract is not a task; decorate it with @Task()',
  },
  {
    id: '04 a cycle of inputs',
    job: '04-cycle.ts',
    code: 2,
    message: "bigrays: the tasks' inputs form a cycle: Clean → Score → Publish → Clean; a task cannot depend on its own output",
  },
  {
    id: '05 missing parameters',
    job: '05-missing-parameters.ts',
    code: 2,
    message: [
      'bigrays: missing parameters:',
      '  - {region} has no value (used by Export.filename)',
      '  - {day} has no value (used by Export.filename)',
      'set them with updateFormatKws({ ... }) in the job or --param name=value on the command line',
    ].join('\n'),
  },
  {
    id: '06 a task without run()',
    job: '06-task-without-run.ts',
    code: 2,
    message: 'bigrays: Extract has no run() method: add one, or extend a built-in task such as SQLQuery or ToS3',
  },
  {
    id: '07 a required attribute missing',
    job: '07-required-attribute-missing.ts',
    code: 2,
    message: "bigrays: Export lacks required attribute 'filename' (required by ToCSV): set `filename = ...` in the class or mark it with @Input(...)",
  },
  {
    id: '08 a non-string @Requires config value',
    job: '08-requires-non-string-config.ts',
    code: 2,
    message: "bigrays: could not load job {job}: @Requires(Warehouse) on Load: config value of 'WAREHOUSE_PORT' must be a string",
  },
  {
    id: '09 a resource missing required config (nothing runs, not even the task before)',
    job: '09-resource-missing-config.ts',
    code: 2,
    message:
      'bigrays: missing configuration: set BIGRAYS_WAREHOUSE_URL, BIGRAYS_WAREHOUSE_USER (for Warehouse, needed by Load). Export the environment variables, or assign BigraysConfig.<KEY> in the job',
  },
  {
    id: '10 a job that throws at top level',
    job: '10-throws-at-top-level.ts',
    code: 2,
    message: 'bigrays: could not load job {job}: set NEVER_SET_REPORT_DATE before running this job',
  },
  {
    id: '11 @Requires of a class that is not a Resource',
    job: '11-requires-non-resource.ts',
    code: 2,
    message:
      'bigrays: could not load job {job}: @Requires() on Load: NotAResource is not a Resource; pass a class that extends Resource from @bigrays/core',
  },
  {
    id: '12 @Input on a static member',
    job: '12-input-on-static.ts',
    code: 2,
    message: "bigrays: could not load job {job}: @Input() on static Report.rows: inputs are set on the task instance; remove 'static'",
  },
  {
    id: '13 a bad @Task option',
    job: '13-bad-task-option.ts',
    code: 2,
    message: "bigrays: could not load job {job}: @Task() on Flaky: option 'retries' must be a whole number ≥ 0",
  },
  {
    id: '14 bigraysRun() with an input that runs later',
    job: '14-input-runs-later.ts',
    code: 2,
    message: 'bigrays: Export.input needs the output of Extract, which runs after Export: run Extract before Export',
  },
  {
    id: '15 bigraysRun() of a class that is not a task',
    job: '15-not-a-task-in-run.ts',
    code: 2,
    message: 'bigrays: bigraysRun() argument 2 (Helper) is not a task: decorate the class with @Task()',
  },
  {
    id: '16 a task whose constructor needs arguments',
    job: '16-constructor-needs-arguments.ts',
    code: 2,
    message:
      'bigrays: Extract could not be created with no arguments (table is required); tasks are instantiated by bigrays: give the constructor no required parameters',
  },
  {
    id: '17 a job importing a missing local module',
    job: '17-missing-import.ts',
    code: 2,
    message: 'bigrays: could not load job {job}: {job}:2:23: ERROR: Could not resolve "./does-not-exist.js"',
  },
  {
    id: '18 a job importing a name @bigrays/core does not export',
    job: '18-unknown-export.ts',
    code: 2,
    message: /^bigrays: could not load job \{job\}: The requested module '(?:[^']*@bigrays\/core[^']*|[^']*packages\/core\/dist\/index\.js)' does not provide an export named 'Taks'$/,
  },
  {
    id: '19 syntax error in a .js job (names the file and line)',
    job: '19-syntax-error.js',
    code: 2,
    message: 'bigrays: could not load job {job}: {job}:3:18: ERROR: Expected "]" but found ";"',
  },
  {
    id: '20 two tasks with the same name',
    job: '20-duplicate-task-names.ts',
    code: 2,
    message: "bigrays: two tasks are named 'Export' (ExportA, ExportB): give each a distinct @Task({ name })",
  },
  {
    id: '21 a task throws (exit 1, the rest skipped, no stack)',
    job: '21-task-throws.ts',
    code: 1,
    message: "bigrays: job failed (failed: Extract; skipped: Export)\n  ✖ Extract failed: Cannot read properties of undefined (reading 'rows')",
  },
  {
    id: '22 ToCSV of an unsupported input type',
    job: '22-tocsv-unsupported-input.ts',
    code: 1,
    message:
      'bigrays: job failed (failed: Export)\n  ✖ Export.input must be an array of row objects, a Dataset, an iterable or async iterable of row objects, a string, a Buffer/Uint8Array, or a Readable stream; got number (42)',
  },
  {
    id: '23 ToCSV with overwrite = false onto an existing file (left untouched)',
    job: '23-tocsv-exists.ts',
    code: 1,
    message:
      'bigrays: job failed (failed: Export)\n  ✖ Export: {scratch}/out/existing.csv already exists and was left untouched; set `overwrite = true` on the task to replace it',
    setup: async ({ scratch }) => {
      const { mkdirSync, writeFileSync } = await import('node:fs');
      mkdirSync(`${scratch}/out`);
      writeFileSync(`${scratch}/out/existing.csv`, 'precious\n');
    },
    nothingWritten: async ({ scratch }) => {
      const { readFileSync } = await import('node:fs');
      if (readFileSync(`${scratch}/out/existing.csv`, 'utf8') !== 'precious\n') throw new Error('out/existing.csv was modified');
    },
  },
  {
    id: '25 a task awaiting a promise that never settles',
    job: '25-unsettled-promise.ts',
    code: 1,
    message: 'bigrays: the job stopped making progress: a task awaits a promise that can never settle (nothing left to wait for)',
  },
  {
    id: '26 ToCSV onto a directory',
    job: '26-tocsv-directory.ts',
    code: 1,
    message: 'bigrays: job failed (failed: Export)\n  ✖ Export: {scratch}/out is a directory; set filename to a file path',
    setup: async ({ scratch }) => {
      const { mkdirSync } = await import('node:fs');
      mkdirSync(`${scratch}/out`);
    },
  },
  {
    id: '27 a JSON file as job',
    job: '27-job.json',
    code: 2,
    message: 'bigrays: {job}: a job file ends in .ts, .mts, .js or .mjs',
  },
  {
    id: '28 a .txt job',
    job: '28-job.txt',
    code: 2,
    message: 'bigrays: {job}: a job file ends in .ts, .mts, .js or .mjs',
  },
  {
    id: '29 a CommonJS (.cjs) job',
    job: '29-commonjs.cjs',
    code: 2,
    message: 'bigrays: {job}: a job file ends in .ts, .mts, .js or .mjs',
  },
  {
    id: '30 a job file that does not exist',
    args: ['no-such-job.ts'],
    code: 2,
    message: 'bigrays: job file not found: no-such-job.ts',
  },
  {
    id: '31 a directory as job',
    args: ['{corpus}'],
    code: 2,
    message: 'bigrays: {corpus} is a directory, not a job file: bigrays ./job.ts',
  },

  // ------------------------------------------------------------ command lines (on a good job)
  {
    id: '40 an unknown flag',
    job: good,
    args: ['{job}', '--bogus'],
    code: 2,
    message: "bigrays: Unknown option '--bogus'; see bigrays --help",
  },
  {
    id: '41 an unknown short flag',
    job: good,
    args: ['{job}', '-x'],
    code: 2,
    message: "bigrays: Unknown option '-x'; see bigrays --help",
  },
  {
    id: '42 --only naming an unknown task',
    job: good,
    args: ['{job}', '--param', 'day=d', '--only', 'Extract,Nope'],
    code: 2,
    message: "bigrays: --only Nope: the job has no task named 'Nope'; the job's tasks are: Extract, Transform, Export",
  },
  {
    id: '43 --from naming an unknown task',
    job: good,
    args: ['{job}', '--param', 'day=d', '--from', 'Load'],
    code: 2,
    message: "bigrays: --from Load: the job has no task named 'Load'; the job's tasks are: Extract, Transform, Export",
  },
  {
    id: '44 --only leaving out a needed upstream task',
    job: good,
    args: ['{job}', '--param', 'day=d', '--only', 'Export'],
    code: 2,
    // Worded for the flag typed (issue 17); the corpus runs with BIGRAYS_STATE=off, so no checkpoint can stand in for Transform.
    message:
      'bigrays: --only Export: Export.input needs the output of Transform, which --only leaves out, and the run ledger is off (BIGRAYS_STATE=off), so no checkpoint of it can be restored: run the whole job once so its output is checkpointed, or add it (--only Transform,Export)',
  },
  {
    id: '45 --only and --from selecting nothing',
    job: good,
    args: ['{job}', '--param', 'day=d', '--only', 'Extract', '--from', 'Export'],
    code: 2,
    message: "bigrays: --only Extract together with --from Export selects no task; the job's tasks are: Extract, Transform, Export",
  },
  {
    id: '46 --only with an empty list',
    job: good,
    args: ['{job}', '--param', 'day=d', '--only', ''],
    code: 2,
    message: "bigrays: --only needs task names (--only A,B); the job's tasks are: Extract, Transform, Export",
  },
  {
    id: '47 --param without =',
    job: good,
    args: ['{job}', '--param', 'day'],
    code: 2,
    message: 'bigrays: --param day: write --param name=value, with a name of letters, digits and _ (e.g. --param day=2026-01-01)',
  },
  {
    id: '48 --param with an empty name',
    job: good,
    args: ['{job}', '--param', '=2026-01-01'],
    code: 2,
    message: 'bigrays: --param =2026-01-01: write --param name=value, with a name of letters, digits and _ (e.g. --param day=2026-01-01)',
  },
  {
    id: '49 --param with no value at the end of the line',
    job: good,
    args: ['{job}', '--param'],
    code: 2,
    message: "bigrays: Option '-p, --param <value>' argument missing; see bigrays --help",
  },
  {
    id: '50 --log-level unknown',
    job: good,
    args: ['{job}', '--log-level', 'loud'],
    code: 2,
    message: 'bigrays: --log-level loud: use one of silly, trace, debug, info, warn, error, fatal, silent',
  },
  {
    id: '51 --format on a run',
    job: good,
    args: ['{job}', '--format', 'dot'],
    code: 2,
    message: "bigrays: --format does not apply to 'bigrays run'; see bigrays --help",
  },
  {
    id: '52 graph --format unknown',
    job: good,
    args: ['graph', '{job}', '--format', 'png'],
    code: 2,
    message: 'bigrays: --format png: use mermaid or dot',
  },
  {
    id: '53 plan --dry-run',
    job: good,
    args: ['plan', '{job}', '--dry-run'],
    code: 2,
    message: "bigrays: --dry-run does not apply to 'bigrays plan'; see bigrays --help",
  },
  {
    id: '54 no job file',
    args: [],
    code: 2,
    message: 'bigrays: no job file given: bigrays ./job.ts (see bigrays --help)',
  },
  {
    id: '55 plan without a job file',
    args: ['plan'],
    code: 2,
    message: 'bigrays: bigrays plan needs a job file: bigrays plan ./job.ts',
  },
  {
    id: '56 two job files',
    job: good,
    args: ['{job}', 'other.ts'],
    code: 2,
    message: 'bigrays: one job file at a time, got: {job} other.ts',
  },
  {
    id: '57 config with two job files',
    args: ['config', 'a.ts', 'b.ts'],
    code: 2,
    message: 'bigrays: bigrays config takes at most one job file, got: a.ts b.ts',
  },
  {
    id: '58 a misspelt command',
    job: good,
    args: ['pln', '{job}'],
    code: 2,
    message: "bigrays: unknown command 'pln': use bigrays <job>, or bigrays plan|graph|config|run <job> (see bigrays --help)",
  },
  {
    id: '59 plan of an invalid job exits 2 with the same message',
    job: '05-missing-parameters.ts',
    args: ['plan', '{job}'],
    code: 2,
    message: [
      'bigrays: missing parameters:',
      '  - {region} has no value (used by Export.filename)',
      '  - {day} has no value (used by Export.filename)',
      'set them with updateFormatKws({ ... }) in the job or --param name=value on the command line',
    ].join('\n'),
  },
  {
    id: '60 --dry-run of a job with a cycle',
    job: '04-cycle.ts',
    args: ['{job}', '--dry-run'],
    code: 2,
    message: "bigrays: the tasks' inputs form a cycle: Clean → Score → Publish → Clean; a task cannot depend on its own output",
  },
];
