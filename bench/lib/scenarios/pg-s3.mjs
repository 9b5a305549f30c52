// Scenario 3: PostgreSQL → S3 (moto_server on a free loopback port).
//   bigrays    SQLQuery(spool) → ToS3     (bench/jobs/pg-to-s3.ts)
//   reference  psql \copy to a file, then aws s3 cp of that file (times added; peak RSS = the larger step)
import { join } from 'node:path';
import { rmSync } from 'node:fs';
import { AWS_ENV, OUT_DIR, PG, psqlArgs, fileSize, commandExists } from '../env.mjs';
import { measureTools } from '../measure.mjs';
import { startMoto } from '../moto.mjs';
import { bigraysSpec, logFile, memoryTarget, profileRun, ratio, target, toolRow, fmtX, taskDurations } from './common.mjs';
import { precompile } from './common.mjs';

export const id = 'scenario3';
export const title = 'PostgreSQL → S3 (moto)';
const BUCKET = 'bigrays-bench';

export async function run(ctx) {
  const { rows, runs, built, onRun, log } = ctx;
  const table = ctx.pgTable;
  const query = `select * from ${table}`;
  const file = join(OUT_DIR, `s3-psql-${rows}.csv`);
  const notes = [];
  if (!commandExists('moto_server') || !commandExists('aws')) {
    return { id, title, rows, tools: [], targets: [], checks: [], notes: ['skipped: moto_server or the aws CLI is not installed'], profiles: [] };
  }
  const moto = await startMoto();
  log(`moto_server listening on ${moto.endpoint} (pid ${moto.pid})`);
  try {
    moto.aws(['s3api', 'create-bucket', '--bucket', BUCKET]);
    const bigraysEnv = {
      BIGRAYS_DB_DSN: PG.dsn,
      BIGRAYS_AWS_ENDPOINT_URL: moto.endpoint,
      BIGRAYS_AWS_REGION: AWS_ENV.AWS_DEFAULT_REGION,
      BIGRAYS_S3_ACCESS_KEY_ID: AWS_ENV.AWS_ACCESS_KEY_ID,
      BIGRAYS_S3_SECRET_ACCESS_KEY: AWS_ENV.AWS_SECRET_ACCESS_KEY,
    };
    const refKey = `reference/${rows}.csv`;
    const bigKey = `bigrays/${rows}.csv`;
    const bigraysJob = bigraysSpec({ job: 'pg-to-s3.ts', params: { table, bucket: BUCKET, key: bigKey }, env: bigraysEnv, log: `s3-bigrays-${rows}.log` });
    const tools = [
      {
        key: 'reference',
        prepare: () => rmSync(file, { force: true }),
        steps: [
          { cmd: 'psql', args: psqlArgs('-c', `\\copy (${query}) to '${file}' csv header`), log: logFile(`s3-psql-${rows}.log`) },
          { cmd: 'aws', args: ['--endpoint-url', moto.endpoint, 's3', 'cp', '--only-show-errors', file, `s3://${BUCKET}/${refKey}`], env: AWS_ENV, log: logFile(`s3-aws-${rows}.log`) },
        ],
      },
      { key: 'bigrays', disabled: !(built.sql && built.aws), steps: [bigraysJob] },
    ];
    if (!(built.sql && built.aws)) notes.push('bigrays job not run: packages/sql/dist or packages/aws/dist is missing.');
    if (!tools.find((t) => t.key === 'bigrays').disabled) precompile('pg-to-s3.ts');
    const results = await measureTools(tools, { runs, onRun });

    const bytes = fileSize(file);
    const objectSize = (key) => {
      try {
        return Number(JSON.parse(moto.aws(['s3api', 'head-object', '--bucket', BUCKET, '--key', key])).ContentLength);
      } catch {
        return undefined;
      }
    };
    const refSize = objectSize(refKey);
    const bigSize = objectSize(bigKey);
    const reference = toolRow({ key: 'reference', label: 'psql \\copy + aws s3 cp', role: 'limit', result: results.get('reference'), rows, bytes: refSize ?? bytes });
    const bigrays = toolRow({ key: 'bigrays', label: 'bigrays SQLQuery(spool) → ToS3', role: 'bigrays', result: results.get('bigrays'), rows, bytes: bigSize });
    bigrays.vsLimit = ratio(bigrays, reference);
    bigrays.tasks = taskDurations(bigraysJob.log);
    if (reference.stats.ok && reference.stats.steps) {
      reference.note = `export ${reference.stats.steps[0].toFixed(2)} s + upload ${reference.stats.steps[1].toFixed(2)} s`;
    }
    const targets = [memoryTarget(bigrays)];
    // No speed target in the issue for S3; the ratio is reported for information.
    const checks = [];
    if (bigrays.stats.ok && reference.stats.ok) {
      checks.push({ label: 'S3: the bigrays object has the size of the psql CSV', ok: bigSize === bytes, detail: `${bigSize} vs ${bytes} bytes` });
    }
    const profiles = [];
    if (ctx.shouldProfile(targets) && built.sql && built.aws) profiles.push(await profileRun(`s3-bigrays-${rows}`, bigraysJob));
    notes.push(`moto_server ${moto.endpoint}; the ratio is informational (the issue sets no speed target for S3).`);
    return { id, title, rows, tools: [bigrays, reference], targets, checks, notes, profiles };
  } finally {
    await moto.stop();
    log('moto_server stopped');
    if (!ctx.keepOutputs) rmSync(file, { force: true });
  }
}
