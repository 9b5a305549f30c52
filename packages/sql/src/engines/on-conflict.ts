/**
 * The `ON CONFLICT (key) DO UPDATE SET c = excluded.c` upsert that PostgreSQL
 * and SQLite share (each dialect's `upsert.ts` points at it).
 *
 * @module
 */
export function onConflict(insert: string, key: readonly string[], update: readonly string[], fromSelect: boolean): string {
  const action = update.length === 0 ? 'DO NOTHING' : `DO UPDATE SET ${update.map((c) => `${c} = excluded.${c}`).join(', ')}`;
  // "WHERE true": SQLite would otherwise read ON CONFLICT as part of the SELECT's join.
  return `${insert}${fromSelect ? ' WHERE true' : ''} ON CONFLICT (${key.join(', ')}) ${action}`;
}
