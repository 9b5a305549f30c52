/**
 * PostgreSQL upserts: `ON CONFLICT (key) DO UPDATE`, unique keys from `pg_index`.
 *
 * @module
 */
import type { UpsertSql } from '../dialect.js';
import { onConflict } from '../on-conflict.js';

export const postgresUpsert: UpsertSql = {
  longText: 'text',
  keyColumn: (quoted) => quoted,
  upsert: onConflict,
  uniqueKeys: {
    kind: 'pairs',
    sql: `SELECT CAST(i.indexrelid AS text) AS i, a.attname AS c FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)
       WHERE i.indrelid = to_regclass(:qualified) AND i.indisunique`,
  },
};
