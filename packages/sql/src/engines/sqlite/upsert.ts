/**
 * SQLite upserts: `ON CONFLICT (key) DO UPDATE`, unique keys from the index and table pragmas.
 *
 * @module
 */
import type { UpsertSql } from '../dialect.js';
import { onConflict } from '../on-conflict.js';

export const sqliteUpsert: UpsertSql = {
  longText: 'text',
  keyColumn: (quoted) => quoted,
  upsert: onConflict,
  uniqueKeys: { kind: 'sqlite-pragmas' },
};
