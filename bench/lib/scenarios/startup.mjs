// Scenario 5: start-up. Each command is its own process, warmed once, then measured (interleaved).
//   node -e 0                                   the floor
//   bigrays --version                           target: < 2× node -e 0
//   bigrays plan examples/predictions/job.ts    (or bench/jobs/sql-s3-plan.ts while that example does not exist)
//   bigrays examples/one-task.ts                target: < 0.5 s end to end (compiled-job cache warm)
//   the same with a cold compile cache          informational (fresh TMPDIR every run: esbuild compiles the job)
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import { tmpdir } from 'node:os';
import { AWS_ENV, CLI, JOBS_DIR, PG, ROOT } from '../env.mjs';
import { measureTools } from '../measure.mjs';
import { NODE, bigraysSpec, logFile, profileRun, target, toolRow } from './common.mjs';

export const id = 'scenario5';
export const title = 'Start-up';

export async function run(ctx) {
  const { built, onRun } = ctx;
  const runs = ctx.startupRuns;
  const notes = [];
  const predictions = join(ROOT, 'examples', 'predictions', 'job.ts');
  const planJob = existsSync(predictions) ? predictions : join(JOBS_DIR, 'sql-s3-plan.ts');
  if (planJob !== predictions) notes.push('examples/predictions/job.ts does not exist yet: `bigrays plan` is measured on bench/jobs/sql-s3-plan.ts (2 SQLQuery, 1 plain task, 1 ToS3).');
  const planEnv = {
    BIGRAYS_DB_DSN: PG.dsn,
    BIGRAYS_AWS_REGION: AWS_ENV.AWS_DEFAULT_REGION,
    BIGRAYS_AWS_ENDPOINT_URL: 'http://127.0.0.1:9',
    BIGRAYS_S3_ACCESS_KEY_ID: AWS_ENV.AWS_ACCESS_KEY_ID,
    BIGRAYS_S3_SECRET_ACCESS_KEY: AWS_ENV.AWS_SECRET_ACCESS_KEY,
  };
  const oneTask = join(ROOT, 'examples', 'one-task.ts');
  const coldDirs = [];
  const tools = [
    { key: 'node', steps: [{ cmd: NODE, args: ['-e', '0'] }] },
    { key: 'version', steps: [{ cmd: NODE, args: [CLI, '--version'], log: logFile('s5-version.log') }] },
    { key: 'plan', disabled: !(built.sql && built.aws), steps: [bigraysSpec({ job: planJob, args: ['plan'], env: planEnv, log: 's5-plan.log' })] },
    { key: 'one', steps: [bigraysSpec({ job: oneTask, log: 's5-one-task.log' })] },
    {
      key: 'cold',
      steps: [
        () => {
          const dir = mkdtempSync(join(tmpdir(), 'bigrays-bench-cold-'));
          coldDirs.push(dir);
          return { ...bigraysSpec({ job: oneTask, log: 's5-one-task-cold.log' }), env: { TMPDIR: dir } };
        },
      ],
    },
  ];
  if (!(built.sql && built.aws)) notes.push('`bigrays plan` of the SQL+S3 job not measured: packages/sql/dist or packages/aws/dist is missing.');
  let results;
  try {
    results = await measureTools(tools, { runs, warmup: true, sync: false, onRun });
  } finally {
    for (const d of coldDirs) rmSync(d, { recursive: true, force: true });
  }
  const row = (key, label, role) => toolRow({ key, label, role, result: results.get(key) });
  const nodeRow = row('node', 'node -e 0', 'limit');
  const rowsOut = [
    row('version', 'bigrays --version', 'bigrays'),
    row('plan', `bigrays plan ${relative(ROOT, planJob)}`, 'bigrays'),
    row('one', 'bigrays examples/one-task.ts (end to end)', 'bigrays'),
    row('cold', 'bigrays examples/one-task.ts, cold compile cache', 'info'),
  ];
  for (const r of rowsOut) if (r.stats.ok && nodeRow.stats.ok) r.vsNode = r.stats.wallS / nodeRow.stats.wallS;
  const [version, , one] = rowsOut;
  const targets = [
    target('bigrays --version < 2× node -e 0', version.vsNode === undefined ? 'n/a' : `${version.vsNode.toFixed(2)}×`, version.vsNode === undefined ? null : version.vsNode < 2, 'version'),
    target('one-task TypeScript job end to end < 0.5 s', one.stats.ok ? `${(one.stats.wallS * 1000).toFixed(0)} ms` : 'n/a', one.stats.ok ? one.stats.wallS < 0.5 : null, 'one'),
  ];
  const profiles = [];
  if (ctx.shouldProfile(targets)) {
    const all = ctx.profileAll;
    if (all || targets[0].pass === false) profiles.push(await profileRun('s5-version', { cmd: NODE, args: [CLI, '--version'] }));
    if (all || targets[1].pass === false) profiles.push(await profileRun('s5-one-task', bigraysSpec({ job: oneTask, log: 's5-one-task.log' })));
  }
  return { id, title, kind: 'startup', runs, tools: [nodeRow, ...rowsOut], targets, checks: [], notes, profiles };
}
