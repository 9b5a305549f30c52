/**
 * Secrets in every form, in every output (issue 10, finding 12): a DSN with
 * a `?password=` option, keyword DSNs (`host=… password=…`, quoted), URL
 * passwords with a raw `@` or a space, per-task DSN overrides, resource
 * overrides, and parameters named like `*_token`, `*_password`, `*_secret`,
 * `*_key`. Each variant runs the real CLI: `config`, `plan`, `graph` (both
 * formats) and a failing run, each also with `--log-level debug` (stacks and
 * cause chains), and none may print a secret, on stdout or stderr.
 */
import { describe, it, expect, afterAll } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fixture } from './paths.js';
import { runCliAsync } from '../support/cli.js';
import { errorBlock } from '../support/output.js';
import { leakedSecrets, secretEnv } from '../support/secrets.js';

/** Distinctive secrets; each needle is a core that survives quoting, escaping and URL-encoding. */
const FORMS = {
  query: { dsn: 'postgres://etl@db.invalid:5432/wh?sslmode=disable&password=QpRx7-pw', needle: 'QpRx7' },
  keyword: { dsn: 'host=db.invalid user=etl password=KwTz4-pw dbname=wh', needle: 'KwTz4' },
  keywordQuoted: { dsn: "host=db.invalid user=etl password='Kw Qv8\\'pw' dbname=wh", needle: 'Qv8' },
  rawAt: { dsn: 'postgres://etl:At@Mn3-pw@db.invalid:5432/wh', needle: 'Mn3' },
  rawSpace: { dsn: 'postgres://etl:Sp Jk6-pw@db.invalid:5432/wh', needle: 'Jk6' },
} as const;
/** Per-task DSNs (`@Requires(SQLSession, { DB_DSN })`): URL forms only, SQLSession checks them at plan time. */
const TASK_DSNS = {
  rawAt: { dsn: 'postgres://etl:Ta@Hq2-pw@db.invalid:5432/wh', needle: 'Hq2' },
  rawSpace: { dsn: 'postgres://etl:Ts Lp5-pw@db.invalid/wh', needle: 'Lp5' },
  query: { dsn: 'postgres://etl@db.invalid/wh?password=TqNm9-pw', needle: 'Nm9' },
} as const;
const VAULT = { dsn: "host=vault.invalid password='Vk Rr4 pw'", pwd: 'VoW9x8y', needles: ['Rr4', 'VoW9x8y'] };
const PARAMS = { api_token: 'PtA1b2c', db_password: 'PpD3e4f', client_secret: 'PsG5h6i', signing_key: 'PkJ7k8l' };
const CONFIG_SECRETS = { BIGRAYS_REPORT_API_KEY: 'CfgK3y-zz', BIGRAYS_REPORT_DSN: 'host=r.invalid password=CfgPw-Uu1' };
const NEEDLES = [
  ...Object.values(FORMS).map((f) => f.needle),
  ...Object.values(TASK_DSNS).map((f) => f.needle),
  ...VAULT.needles,
  ...Object.values(PARAMS),
  'CfgK3y',
  'CfgPw',
];

/** The secrets found in a text, as `where: needle` (the environment's usual secrets too). */
function leaks(text: string, where: string): string[] {
  return [...leakedSecrets(text), ...NEEDLES.filter((n) => text.includes(n))].map((needle) => `${where}: ${needle}`);
}

const paramArgs = [...Object.entries(PARAMS).flatMap(([k, v]) => ['--param', `${k}=${v}`]), '--param', 'since=2026-01-01'];
const scratches: string[] = [];
afterAll(() => {
  for (const dir of scratches) rmSync(dir, { recursive: true, force: true });
});

const variants: [string, string, string][] = [
  ['global DSN with ?password=, task DSN with a raw @', FORMS.query.dsn, TASK_DSNS.rawAt.dsn],
  ['global keyword DSN, task DSN with a raw space', FORMS.keyword.dsn, TASK_DSNS.rawSpace.dsn],
  ['global keyword DSN quoted with a space, task DSN with ?password=', FORMS.keywordQuoted.dsn, TASK_DSNS.query.dsn],
  ['global DSN with a raw @, task DSN with a raw space', FORMS.rawAt.dsn, TASK_DSNS.rawSpace.dsn],
  ['global DSN with a raw space, task DSN with a raw @', FORMS.rawSpace.dsn, TASK_DSNS.rawAt.dsn],
];

describe('no secret in config, plan, graph or run output, whatever its form', () => {
  it.concurrent.each(variants)('%s', async (_name, globalDsn, taskDsn) => {
    const scratch = mkdtempSync(join(tmpdir(), 'bigrays-reli-secret-forms-'));
    scratches.push(scratch);
    const env = secretEnv({
      BIGRAYS_DB_DSN: globalDsn,
      ...CONFIG_SECRETS,
      RELI_TASK_DSN: taskDsn,
      RELI_VAULT_DSN: VAULT.dsn,
      RELI_VAULT_PWD: VAULT.pwd,
    });
    const job = fixture('secret-forms.ts');
    const commands: [string, string[], number][] = [
      ['config', ['config', job], 0],
      ['plan', ['plan', job, ...paramArgs], 0],
      ['graph', ['graph', job, ...paramArgs], 0],
      ['graph dot', ['graph', job, '--format', 'dot', ...paramArgs], 0],
      ['run', [job, ...paramArgs], 1],
    ];
    const runs = await Promise.all(
      commands.flatMap(([name, args, code]) => [
        runCliAsync(args, { cwd: scratch, env }).then((r) => ({ name, r, code })),
        runCliAsync(['--log-level', 'debug', ...args], { cwd: scratch, env }).then((r) => ({ name: `${name} --log-level debug`, r, code })),
      ]),
    );
    // Every output is searched before failing, so a failure lists every leak at once.
    expect(runs.flatMap(({ name, r }) => [...leaks(r.stdout, `${name} stdout`), ...leaks(r.stderr, `${name} stderr`)])).toEqual([]);
    for (const { name, r, code } of runs) {
      expect({ name, code: r.code, stderr: r.code === code ? '' : r.stderr }).toEqual({ name, code, stderr: '' });
    }
    const out = (name: string) => runs.find((x) => x.name === name)!.r;
    // What is not secret still shows, and the masks say where a secret was.
    expect(out('config').stdout).toMatch(/REPORT_API_KEY\s.*\*\*\*\*/);
    expect(out('config').stdout).toMatch(/DB_DSN\s.*(password=\*\*\*\*|etl:\*\*\*\*@db\.invalid)/);
    expect(out('plan').stdout).toContain('api_token=****, db_password=****, client_secret=****, signing_key=****, since=2026-01-01');
    expect(out('plan').stdout).toMatch(/CallApi\.url\s+https:\/\/api\.example\/v1\?token=\*\*\*\*&pw=\*\*\*\*&s=\*\*\*\*&k=\*\*\*\*&since=2026-01-01/);
    expect(out('plan').stdout).toContain('Vault {VAULT_DSN=host=vault.invalid password=****, VAULT_PWD=****}');
    expect(out('plan').stdout).toMatch(/SQLSession \{DB_DSN=postgres:\/\/etl(:\*\*\*\*)?@db\.invalid/);
    const block = errorBlock(out('run').stderr);
    expect(block).toMatch(/^bigrays: job failed \(failed: Unlock, CallApi; skipped: Pull\)/);
    expect(block).toContain('✖ CallApi failed: request failed: https://api.example/v1?token=****&pw=****&s=****&k=****&since=2026-01-01');
    expect(block).toContain('✖ Unlock failed: could not open Vault: vault refused');
  });

  it.concurrent('a keyword DSN as a task\'s own DB_DSN: exit 2 at plan time, nothing shown', async () => {
    const scratch = mkdtempSync(join(tmpdir(), 'bigrays-reli-secret-forms-'));
    scratches.push(scratch);
    const env = secretEnv({ BIGRAYS_DB_DSN: FORMS.rawAt.dsn, RELI_TASK_DSN: FORMS.keywordQuoted.dsn, RELI_VAULT_DSN: VAULT.dsn, RELI_VAULT_PWD: VAULT.pwd });
    for (const args of [['plan', fixture('secret-forms.ts')], [fixture('secret-forms.ts'), '--log-level', 'debug']]) {
      const r = await runCliAsync([...args, ...paramArgs], { cwd: scratch, env });
      expect(leaks(r.stdout + r.stderr, args.join(' '))).toEqual([]);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('BIGRAYS_DB_DSN is not a DSN: it has no scheme');
    }
  });
});
