/**
 * MariaDB/MySQL upserts: `ON DUPLICATE KEY UPDATE` (or `INSERT IGNORE` when
 * only key columns are written); a text key column is keyed by a 191-character
 * prefix (utf8mb4 keys are capped at 767 bytes); unique keys from
 * `information_schema.statistics`.
 *
 * @module
 */
import type { UpsertSql } from '../dialect.js';

export const mysqlUpsert: UpsertSql = {
  longText: 'longtext',
  keyColumn: (quoted, type) => (/text|blob/i.test(type) ? `${quoted}(191)` : quoted),
  upsert(insert, _key, update) {
    if (update.length === 0) return insert.replace(/^INSERT INTO/i, (m) => (m === m.toUpperCase() ? 'INSERT IGNORE INTO' : 'insert ignore into'));
    return `${insert} ON DUPLICATE KEY UPDATE ${update.map((c) => `${c} = VALUES(${c})`).join(', ')}`;
  },
  uniqueKeys: {
    kind: 'pairs',
    sql: 'SELECT index_name AS i, column_name AS c FROM information_schema.statistics WHERE table_schema = COALESCE(:schema, DATABASE()) AND table_name = :name AND non_unique = 0 ORDER BY index_name, seq_in_index',
  },
};
