import type { ConfigKey } from '../config/config-keys.js';

/**
 * The run ledger's configuration keys: read by core itself (not by a
 * resource), so `bigrays config` declares them next to the plugins' keys.
 * A DSN's password in `STATE` is masked by the DSN rules like any other.
 */
export const RUN_LEDGER_CONFIG_KEYS: readonly ConfigKey[] = [
  { name: 'STATE', description: 'run ledger: off, a folder, or postgres://, mysql://, sqlite: (default .bigrays/ next to the job)' },
  { name: 'CHECKPOINTS', description: 'run ledger: where checkpoints go (s3://bucket/prefix or a folder)' },
  { name: 'JOB_NAME', description: "run ledger: the job's name (default: the job file's name)" },
  { name: 'KEEP_RUNS', description: 'run ledger: unsuccessful runs whose checkpoints are kept (default 5)' },
];
