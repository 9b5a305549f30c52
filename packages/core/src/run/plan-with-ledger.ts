import { buildPlan, type PlanOptions } from '../plan/planner.js';
import type { Plan } from '../plan/plan.js';
import { prepareRunLedger, type StateOptions } from './run-ledger.js';

/**
 * Plans as a run would, reading the run ledger (what `--resume` restores,
 * where `--from`/`--only` take upstream outputs from) but writing nothing:
 * `bigrays plan --resume` and `--dry-run`.
 */
export async function planWithLedger(options: PlanOptions & StateOptions): Promise<Plan> {
  const { ledger, plan: fromLedger } = await prepareRunLedger(options);
  try {
    return buildPlan({ ...options, ...fromLedger, parameters: fromLedger.parameters ?? options.parameters });
  } finally {
    await ledger?.store.close();
  }
}
