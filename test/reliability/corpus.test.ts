/**
 * Runs the bad-input corpus (corpus/cases*.ts) through the real CLI. See
 * corpus/cases.ts for what each case asserts.
 */
import { describe, it, expect, afterAll } from '@jest/globals';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { randomBytes } from 'node:crypto';
import { REPO, runCliAsync } from '../support/cli.js';
import { requireService, isCI } from '../support/services.js';
import { CORE_CASES, type CorpusCase, type Need } from './corpus/cases.js';
import { CORPUS } from './paths.js';
import { destroyClients, snsTopicWithQueue, sqsMessages, motoUrl } from '../support/aws.js';
import { errorBlock, expectNoStack } from '../support/output.js';
import { PG_DSN_SECRET, dropPgDatabase, ensurePgDatabase } from '../support/pg-database.js';
import { eventually } from '../support/poll.js';
import { expectNoSecrets, secretEnv } from '../support/secrets.js';
import { itBugConcurrent } from '../support/test-variants.js';

const built = (pkg: string) => existsSync(join(REPO, 'packages', pkg, 'dist', 'index.js'));

/** Loads the SQL and AWS cases when their packages exist (they land after core). */
async function extraCases(file: string): Promise<CorpusCase[]> {
  if (!existsSync(join(CORPUS, `${file}.ts`))) return [];
  const module = (await import(`./corpus/${file}.js`)) as { CASES: CorpusCase[] };
  return module.CASES;
}
const ALL: CorpusCase[] = [...CORE_CASES, ...(await extraCases('cases-sql')), ...(await extraCases('cases-aws'))];

const available: Record<Need, boolean> = {
  postgres: await requireService('postgres', 'reliability corpus (SQL cases)'),
  mariadb: await requireService('mariadb', 'reliability corpus (MariaDB cases)'),
  moto: await requireService('moto', 'reliability corpus (S3/SNS cases)'),
  sql: built('sql'),
  aws: built('aws'),
};
for (const pkg of ['sql', 'aws'] as const) {
  if (!available[pkg] && ALL.some((c) => c.needs?.includes(pkg))) {
    const message = `reliability corpus: @bigrays/${pkg} is not built (pnpm build)`;
    if (isCI) throw new Error(message);
    process.stderr.write(`\n!! SKIPPING cases that need ${message}\n\n`);
  }
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function substitute(text: string, vars: Record<string, string>): string {
  return text.replace(/\{(job|corpus|scratch)\}/g, (m, k: string) => vars[k] ?? m);
}
function substituteRegExp(re: RegExp, vars: Record<string, string>): RegExp {
  const source = re.source.replace(/\\\{(job|corpus|scratch)\\\}/g, (m, k: string) => (vars[k] === undefined ? m : escapeRegExp(vars[k]!)));
  return new RegExp(source, re.flags);
}

/** Every file and directory under `dir`, relative, sorted. */
function listing(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const path = join(d, name);
      out.push(relative(dir, path));
      if (statSync(path).isDirectory()) walk(path);
    }
  };
  walk(dir);
  return out.sort();
}

// Top-level, not beforeAll: concurrent tests may start before beforeAll hooks have settled.
if (available.postgres) await ensurePgDatabase();

describe('bad-input corpus', () => {  afterAll(async () => {
    if (available.postgres) await dropPgDatabase();
    destroyClients();
  });

  it('has at least 40 cases with unique ids', () => {
    expect(ALL.length).toBeGreaterThanOrEqual(40);
    expect(new Set(ALL.map((c) => c.id)).size).toBe(ALL.length);
  });

  // The corpus's "nothing published" check reads an SQS queue subscribed to the topic: prove it sees a message.
  (available.aws && available.moto ? it : it.skip)('(sanity) a message that is published does reach the checking queue', async () => {
    const scratch = mkdtempSync(join(tmpdir(), 'bigrays-reli-corpus-'));
    const name = `reli-corpus-sanity-${randomBytes(4).toString('hex')}`;
    const { topicArn, queueUrl } = await snsTopicWithQueue(name);
    const env = secretEnv({ BIGRAYS_AWS_ENDPOINT_URL: motoUrl(), RELI_TOPIC: topicArn });
    const r = await runCliAsync([join(CORPUS, 'a04-sns.ts')], { cwd: scratch, env });
    expect(r.code).toBe(0);
    await eventually(async () => (await sqsMessages(queueUrl)).length > 0, 5_000, 'the message in the queue');
    rmSync(scratch, { recursive: true, force: true });
  });

  for (const c of ALL) {
    const ready = (c.needs ?? []).every((n) => available[n]);
    // Concurrent: each case spends most of its time waiting for two child processes.
    const test = !ready ? it.skip : c.bug ? itBugConcurrent : it.concurrent;
    test(`${c.id}${c.bug ? ` [known bug: ${c.bug}]` : ''}`, async () => {
      const scratch = mkdtempSync(join(tmpdir(), 'bigrays-reli-corpus-'));
      const unique = randomBytes(4).toString('hex');
      const env: Record<string, string | undefined> = secretEnv({ BIGRAYS_DB_DSN: PG_DSN_SECRET, ...c.env });
      const ctx = { scratch, unique, env };
      await c.setup?.(ctx);
      const vars = { job: c.job ? join(CORPUS, c.job) : '', corpus: CORPUS, scratch };
      const args = (c.args ?? ['{job}']).map((a) => substitute(a, vars));
      const before = listing(scratch);

      // The run as a user sees it, and with --log-level debug (stacks and causes): neither may show a secret.
      const [r, debug] = await Promise.all([runCliAsync(args, { cwd: scratch, env }), runCliAsync(['--log-level', 'debug', ...args], { cwd: scratch, env })]);
      expectNoSecrets(r.stdout + r.stderr, `${c.id} output`);
      expectNoSecrets(debug.stdout + debug.stderr, `${c.id} --log-level debug output`);

      const shown = c.code === 2 ? r.stderr.trim() : errorBlock(r.stderr);
      if (typeof c.message === 'string') expect(shown).toBe(substitute(c.message, vars));
      else expect(shown).toMatch(substituteRegExp(c.message, vars));
      expect(r.code).toBe(c.code);
      expect(debug.code).toBe(c.code);
      if (c.stdout === undefined) expect(r.stdout).toBe('');
      else if (typeof c.stdout === 'string') expect(r.stdout).toBe(c.stdout);
      else expect(r.stdout).toMatch(c.stdout);
      expectNoStack(r.stderr);
      // Nothing written: the working directory is as the setup left it, and no table/object appeared.
      expect(listing(scratch)).toEqual(before);
      await c.nothingWritten?.(ctx);
      rmSync(scratch, { recursive: true, force: true });
    });
  }
});
