/**
 * Issue 10, finding 20: spool folders of killed jobs were never swept.
 * Stale ones (dead pid, ours: same uid, our naming, this host) are removed
 * at start; everything else is left alone.
 */
import { describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { hostTag, sweepStaleSpoolDirs } from '../../src/data/spool-files.js';
import { runCli, REPO } from '../../../../test/support/cli.js';
import { tempDir } from './helpers.js';

/** The id of a process that has exited (a pid is reused only after the kernel wraps around). */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(r.stdout);
}

function spoolDirIn(dir: string, name: string, withFile = true): string {
  const path = join(dir, name);
  mkdirSync(path);
  if (withFile) writeFileSync(join(path, 'dataset-1.csv'), 'a\n1\n'.repeat(1000));
  return path;
}

describe('sweeping stale spool directories', () => {
  it('removes only dead processes\' directories of our naming, user and host', () => {
    const dir = tempDir();
    const dead = deadPid();
    const tag = hostTag();
    const stale = spoolDirIn(dir, `bigrays-spool-${dead}-${tag}-AbC123`);
    const live = spoolDirIn(dir, `bigrays-spool-${process.ppid}-${tag}-AbC123`);
    const mine = spoolDirIn(dir, `bigrays-spool-${process.pid}-${tag}-AbC123`);
    const otherHost = spoolDirIn(dir, `bigrays-spool-${dead}-h00000000-AbC123`.replace('h00000000', tag === 'h00000000' ? 'h00000001' : 'h00000000'));
    const untaggedNew = spoolDirIn(dir, `bigrays-spool-${dead}-XyZ789`);
    const untaggedOld = spoolDirIn(dir, `bigrays-spool-${dead}-OlD456`);
    const old = (Date.now() - 2 * 24 * 3600 * 1000) / 1000;
    utimesSync(untaggedOld, old, old);
    const notOurs = spoolDirIn(dir, `bigrays-spool-${dead}-not-our-naming`);
    const aFile = join(dir, `bigrays-spool-${dead}-${tag}-File12`);
    writeFileSync(aFile, 'x');
    const target = spoolDirIn(dir, 'precious');
    const link = join(dir, `bigrays-spool-${dead}-${tag}-Link12`);
    symlinkSync(target, link);
    let otherUser: string | undefined;
    if (process.getuid?.() === 0) {
      otherUser = spoolDirIn(dir, `bigrays-spool-${dead}-${tag}-Uid123`);
      chownSync(otherUser, 54321, 54321);
    }

    const removed = sweepStaleSpoolDirs(dir);
    expect(removed.sort()).toEqual([stale, untaggedOld].sort());
    expect(existsSync(stale)).toBe(false);
    expect(existsSync(untaggedOld)).toBe(false);
    for (const kept of [live, mine, otherHost, untaggedNew, notOurs, aFile, link, join(target, 'dataset-1.csv')]) expect(existsSync(kept)).toBe(true);
    if (otherUser) expect(existsSync(otherUser)).toBe(true);
  });

  it('costs nothing when the temp dir cannot be read', () => {
    expect(sweepStaleSpoolDirs(join(tempDir(), 'missing'))).toEqual([]);
  });

  it('a job run sweeps what a killed job left in the temp dir', () => {
    const tmp = tempDir();
    const stale = spoolDirIn(tmp, `bigrays-spool-${deadPid()}-${hostTag()}-KiLLed`);
    const job = join(REPO, 'packages', 'core', 'test', 'fixtures', 'jobs', 'good.ts');
    const r = runCli([job], { env: { TMPDIR: tmp } });
    expect({ code: r.code, stderr: r.code === 0 ? '' : r.stderr }).toEqual({ code: 0, stderr: '' });
    expect(existsSync(stale)).toBe(false);
  });
});
