/**
 * What a newcomer sees: the CLI's output on the example jobs, snapshotted.
 * A change to the wording or layout of `plan`, `graph`, `config`, `--help`
 * or the run view shows up here for review.
 *
 * Runs are isolated (private TMPDIR, no BIGRAYS_* from the shell); the
 * private temp directory is replaced by `<tmp>`. Where the output has
 * durations, or a column as wide as a temp path, `normalize()` also replaces
 * durations by `<t>` and collapses runs of spaces; elsewhere the columns
 * stay aligned as printed.
 */
import { describe, expect, it } from '@jest/globals';
import { join } from 'node:path';
import { normalize } from '../support/cli.js';
import { REPO, expectExit, run, type ExampleRun } from './support.js';

const QUICKSTART = join(REPO, 'examples', 'quickstart', 'job.ts');
const PREDICTIONS = join(REPO, 'examples', 'predictions', 'job.ts');
// plan and graph open nothing: the AWS region only has to be set (credentials may come from the SDK's chain).
const AWS = { BIGRAYS_AWS_REGION: 'eu-west-1' };

const untmp = (r: ExampleRun, text: string) => text.split(r.tmp).join('<tmp>');
const clean = (r: ExampleRun, text: string) => normalize(untmp(r, text));

/** Runs in the repo root with relative paths, as the README shows it. */
function cli(args: string[], env: Record<string, string> = {}): ExampleRun {
  const r = run(args.map((a) => (a.startsWith(REPO) ? a.slice(REPO.length + 1) : a)), { env });
  expectExit(r, 0);
  return r;
}

describe('bigrays plan', () => {
  it.each([
    ['quickstart', QUICKSTART],
    ['predictions', PREDICTIONS],
  ])('%s', (_name, job) => {
    const r = cli(['plan', job], AWS);
    expect(untmp(r, r.stdout)).toMatchSnapshot();
  });

  it('predictions with --param', () => {
    const r = cli(['plan', PREDICTIONS, '--param', 'train_period_begin=2025-11-01', '--param', 'bucket=acme-ml'], {
      ...AWS,
      BIGRAYS_DB_DSN: 'postgres://etl:s3cr3t@warehouse.internal:5432/analytics',
    });
    expect(r.stdout).not.toContain('s3cr3t');
    expect(untmp(r, r.stdout)).toMatchSnapshot();
  });
});

describe('bigrays graph', () => {
  it.each([
    ['quickstart', 'mermaid', QUICKSTART],
    ['quickstart', 'dot', QUICKSTART],
    ['predictions', 'mermaid', PREDICTIONS],
    ['predictions', 'dot', PREDICTIONS],
  ])('%s --format %s', (_name, format, job) => {
    const r = cli(['graph', job, '--format', format], AWS);
    expect(untmp(r, r.stdout)).toMatchSnapshot();
  });
});

describe('bigrays config', () => {
  it('with a few variables set: sources, masked secrets', () => {
    const r = cli(['config'], {
      BIGRAYS_DB_DSN: 'postgres://etl:s3cr3t@warehouse.internal:5432/analytics',
      BIGRAYS_AWS_REGION: 'eu-west-1',
      BIGRAYS_S3_ACCESS_KEY_ID: 'AKIAEXAMPLE',
      BIGRAYS_S3_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI-secret',
      BIGRAYS_REPORT_OWNER: 'data-team',
    });
    expect(r.stdout).not.toMatch(/s3cr3t|wJalrXUtnFEMI/);
    expect(untmp(r, r.stdout)).toMatchSnapshot();
  });

  it('of a job: what the job assigns in code', () => {
    const r = cli(['config', QUICKSTART]);
    expect(clean(r, r.stdout)).toMatchSnapshot();
  });
});

describe('bigrays --help', () => {
  it('usage, options, examples, exit codes', () => {
    const r = cli(['--help']);
    expect(r.stdout).toMatchSnapshot();
  });
});

describe('a run, not on a terminal', () => {
  it('quickstart: one line per event, a summary table; the result on stdout', () => {
    const r = cli([QUICKSTART]);
    expect(clean(r, r.stdout)).toBe('Wrote <tmp>/bigrays-quickstart/revenue-by-country.csv\n');
    expect(clean(r, r.stderr)).toMatchSnapshot();
  });
});
