/** Spool directories (see core's data/spool-files.ts) a process left behind. */
import { readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';

/** Spool directories of process `pid` still present under os.tmpdir(). */
export function spoolDirsOf(pid: number | undefined): string[] {
  if (pid === undefined) return [];
  const prefix = `bigrays-spool-${pid}-`;
  return readdirSync(tmpdir()).filter((name) => name.startsWith(prefix));
}
