// Scenario 9, in process: the 10,000-task chain run through runJob() with the run ledger
// (a fresh folder: record every task, checkpoint every output, lease, prune) or with it off.
// Prints one JSON line: { loadMs, runMs, tasks, ok, ledger }.
//   node bench/lib/ledger-inproc.mjs bench/.generated/chain-10000.ts <ledger folder | off>
import { resolve, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT } from './env.mjs';

const job = resolve(process.argv[2]);
const state = process.argv[3] ?? 'off';
const core = await import('@bigrays/core');
// beginJob is a test/bench hook: @bigrays/core/testing.
const { beginJob } = await import('@bigrays/core/testing');
const { compileJob } = await import(pathToFileURL(join(ROOT, 'packages/core/dist/cli/compile-job.js')).href);
const url = await compileJob(job);

beginJob();
const t0 = performance.now();
await import(url);
const t1 = performance.now();
const result = await core.runJob({ signals: 'none', state, jobName: 'chain' });
const t2 = performance.now();
console.log(JSON.stringify({ loadMs: t1 - t0, runMs: t2 - t1, tasks: result.tasks.length, ok: result.ok, ledger: state }));
