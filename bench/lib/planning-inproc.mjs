// Scenario 6, in process: load a generated job (compiled by the CLI's own
// compile cache), then time buildPlan() and executePlan() separately.
// Prints one JSON line: { loadMs, planMs, runMs, tasks, last, ok }.
//   node bench/lib/planning-inproc.mjs bench/.generated/chain-10000.ts
import { resolve, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT } from './env.mjs';

const job = resolve(process.argv[2]);
const core = await import('@bigrays/core/testing');
const { compileJob } = await import(pathToFileURL(join(ROOT, 'packages/core/dist/cli/compile-job.js')).href);
const url = await compileJob(job);

core.beginJob();
const t0 = performance.now();
await import(url);
const t1 = performance.now();
const plan = core.buildPlan({});
const t2 = performance.now();
const result = await core.executePlan(plan, { signals: 'none' });
const t3 = performance.now();
const last = plan.tasks.at(-1).taskClass;
console.log(JSON.stringify({ loadMs: t1 - t0, planMs: t2 - t1, runMs: t3 - t2, tasks: result.tasks.length, last: result.output(last), ok: result.ok }));
