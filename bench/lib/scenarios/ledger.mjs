// Scenario 9: what the run ledger costs (issue 17).
//   one-task job, `bigrays <job>`, default ledger (.bigrays/ next to the job)   target: within 10% of BIGRAYS_STATE=off
//   one-task job, `bigrays <job>`, BIGRAYS_STATE=off
//   10,000-task chain in process (plan + run + record + checkpoint every task)  target: < 1.5 s
//   the same chain in process with the ledger off                               for comparison
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { BENCH_DIR, GENERATED_DIR } from '../env.mjs';
import { measureTools } from '../measure.mjs';
import { NODE, bigraysSpec, logFile, target, toolRow } from './common.mjs';
import { generateChain } from './planning.mjs';

export const id = 'scenario9';
export const title = 'Run ledger overhead';
const TASKS = 10_000;

export async function run(ctx) {
  const { onRun } = ctx;
  const runs = Math.max(ctx.runs, 5);
  // A job folder of its own, so its default ledger (.bigrays/ next to it) stays under bench/.generated.
  const oneTaskDir = join(GENERATED_DIR, 'ledger-one-task');
  rmSync(oneTaskDir, { recursive: true, force: true });
  const { mkdirSync } = await import('node:fs');
  mkdirSync(oneTaskDir, { recursive: true });
  const oneTask = join(oneTaskDir, 'one-task.ts');
  writeFileSync(oneTask, "import { Task } from '@bigrays/core';\n@Task() class One { run() { return 1; } }\nvoid One;\n");
  const chain = generateChain(TASKS);
  const ledgers = [];
  const freshLedger = () => {
    const dir = mkdtempSync(join(tmpdir(), 'bigrays-bench-ledger-'));
    ledgers.push(dir);
    return dir;
  };
  const inproc = (key, state) => ({
    key,
    steps: [() => ({ cmd: NODE, args: [join(BENCH_DIR, 'lib', 'ledger-inproc.mjs'), chain, state === 'fresh' ? freshLedger() : state], captureStdout: true, log: logFile(`s7-${key}.log`) })],
  });
  const tools = [
    { key: 'one-ledger', steps: [{ ...bigraysSpec({ job: oneTask, log: 's7-one-ledger.log' }), env: { BIGRAYS_STATE: '' } }] },
    { key: 'one-off', steps: [{ ...bigraysSpec({ job: oneTask, log: 's7-one-off.log' }), env: { BIGRAYS_STATE: 'off' } }] },
    inproc('chain-ledger', 'fresh'),
    inproc('chain-off', 'off'),
  ];
  let results;
  try {
    results = await measureTools(tools, { runs, warmup: true, sync: false, onRun });
  } finally {
    for (const d of ledgers) rmSync(d, { recursive: true, force: true });
  }
  const row = (key, label) => toolRow({ key, label, role: 'bigrays', result: results.get(key) });
  const oneLedger = row('one-ledger', 'bigrays one-task job, default ledger (.bigrays/)');
  const oneOff = row('one-off', 'bigrays one-task job, BIGRAYS_STATE=off');
  const phase = (key) => {
    const all = (results.get(key)?.runs ?? []).map((r) => JSON.parse(r.stdout));
    const v = all.map((p) => p.runMs).sort((a, b) => a - b);
    return { ms: v.length ? v[v.length >> 1] : NaN, ok: all.every((p) => p.ok && p.tasks === TASKS) };
  };
  const chainLedger = row('chain-ledger', `in process: ${TASKS.toLocaleString('en-US')}-task chain, runJob() with the ledger`);
  const chainOff = row('chain-off', `in process: ${TASKS.toLocaleString('en-US')}-task chain, runJob() with BIGRAYS_STATE=off`);
  const withLedger = phase('chain-ledger');
  const without = phase('chain-off');
  chainLedger.note = `plan + run + record + checkpoint: ${withLedger.ms.toFixed(0)} ms`;
  chainOff.note = `plan + run: ${without.ms.toFixed(0)} ms`;
  const overhead = oneLedger.stats.ok && oneOff.stats.ok ? oneLedger.stats.wallS / oneOff.stats.wallS - 1 : undefined;
  const targets = [
    target('one-task job: default ledger within 10% of BIGRAYS_STATE=off', overhead === undefined ? 'n/a' : `${(overhead * 100).toFixed(1)}%`, overhead === undefined ? null : overhead <= 0.1, 'one-ledger'),
    target(`${TASKS}-task job with the ledger, in process < 1.5 s`, Number.isFinite(withLedger.ms) ? `${withLedger.ms.toFixed(0)} ms` : 'n/a', Number.isFinite(withLedger.ms) ? withLedger.ms < 1500 : null, 'chain-ledger'),
  ];
  const checks = [{ label: `Ledger: all ${TASKS} tasks ran and succeeded, with and without the ledger`, ok: withLedger.ok && without.ok }];
  const notes = ['Each in-process run records into a fresh ledger folder (the first run of the job: nothing to prune yet).'];
  return { id, title, kind: 'startup', runs, tools: [oneLedger, oneOff, chainLedger, chainOff], targets, checks, notes, profiles: [] };
}
