/**
 * A configured run ledger that cannot be used (a full disk, a bad database DSN): `bigrays` exits 2 before any
 * task runs, in one line naming the store and the fix, and leaves nothing half-written in the store. Only the
 * default folder falls back (tested in cli-ledger.test.ts, with the read-only configured folder).
 */
import { describe, it, expect, beforeEach, beforeAll, afterAll } from '@jest/globals';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { runCli, REPO } from '../../../../test/support/cli.js';
import { filesUnder } from './support.js';

const JOB = `
import { appendFileSync } from 'node:fs';
import { Task, Input } from '@bigrays/core';
@Task() class Pull { run() { appendFileSync(process.env.LOG!, 'Pull\\n'); return [{ id: 1 }]; } }
@Task() class Load { @Input(Pull) rows!: unknown[]; run() { appendFileSync(process.env.LOG!, 'Load\\n'); } }
`;
const FIX = 'Fix it, point BIGRAYS_STATE elsewhere, or set BIGRAYS_STATE=off to run without a ledger';

let dir: string;
let job: string;
let log: string;
const env = (state: string) => ({ BIGRAYS_STATE: state, BIGRAYS_CHECKPOINTS: undefined, LOG: log });
const logged = () => (existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n') : []);

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'bigrays-cli-ledger-down-'));
  symlinkSync(join(REPO, 'node_modules'), join(dir, 'node_modules'));
  job = join(dir, 'nightly.ts');
  writeFileSync(job, JOB);
  log = join(dir, 'log.txt');
});

describe('a configured ledger on a full disk', () => {
  // A real full disk: a 64 KiB tmpfs mounted for this test (root only: we are root here and in CI).
  const root = process.getuid?.() === 0;
  const maybe = root ? it : it.skip;
  if (!root) console.warn('cli-ledger-unreachable: the full-disk test needs root to mount a tmpfs; skipped');
  let disk: string;
  let mounted = false;

  beforeAll(() => {
    if (!root) return;
    disk = mkdtempSync(join(tmpdir(), 'bigrays-full-disk-'));
    const r = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', disk], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`cannot mount a tmpfs for the full-disk test: ${r.stderr}`);
    mounted = true;
  });
  afterAll(() => {
    if (mounted) spawnSync('umount', [disk]);
    if (disk) rmSync(disk, { recursive: true, force: true });
  });

  maybe('exits 2 before any task runs, saying the disk is full, naming the folder and the fix; nothing half-written', () => {
    const ledger = join(disk, 'ledger');
    mkdirSync(ledger);
    // Fill the disk to the last byte.
    spawnSync('dd', ['if=/dev/zero', `of=${join(disk, 'filler')}`, 'bs=4k'], { encoding: 'utf8' });
    expect(spawnSync('sh', ['-c', `echo x > ${join(disk, 'probe')}`]).status).not.toBe(0);
    rmSync(join(disk, 'probe'), { force: true });

    const r = runCli([job], { env: env(ledger) });
    expect(r.stderr.trim()).toBe(`bigrays: the run ledger (folder ${ledger}) cannot be used: the disk is full. ${FIX}`);
    expect(r.code).toBe(2);
    expect(logged()).toEqual([]);
    expect(filesUnder(ledger)).toEqual([]);
    // Only the default folder falls back.
    expect(existsSync(join(dir, '.bigrays'))).toBe(false);
  });
});

describe('a database ledger that cannot be reached', () => {
  it('exits 2 before any task runs, naming the store and the fix; no fallback to a folder', () => {
    const dsn = 'postgres://postgres@127.0.0.1:1/x';
    const r = runCli([job], { env: env(dsn) });
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`^bigrays: the run ledger \\(postgres://postgres@127\\.0\\.0\\.1:1/x\\) cannot be used: .*ECONNREFUSED.*\\. ${FIX.replace(/[.=]/g, '\\$&')}$`));
    expect(r.code).toBe(2);
    expect(logged()).toEqual([]);
    expect(existsSync(join(dir, '.bigrays'))).toBe(false);
  });
});
