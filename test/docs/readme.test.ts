/**
 * The root README (and examples/predictions/README.md) are executable: every
 * fenced code block says, in its info string, how this test checks it, so
 * the docs cannot drift from the code.
 *
 * | info string | checked by |
 * |---|---|
 * | `sh setup` | not run (CI runs it): must be the first blocks of the first section and exactly the commands `.ci/run` runs (plus `pnpm build`, which `pnpm test` runs first, and the quickstart, which is run here) |
 * | `sh` | each line run by bash; `bigrays` and `npx bigrays` are the built CLI; a trailing `# exit N` is the expected exit code (default 0). Runs in the folder of the last `ts job` above when it mentions `./job.ts`, else in the repo root |
 * | `sh moto` | as `sh`, against the test's moto_server: `moto_server` lines are skipped and `http://127.0.0.1:5000` is the test's endpoint |
 * | `sh install` | not run: installation commands only (npm install, pnpm add, pip install); test/packaging covers installing the packages |
 * | `ts job` | saved as `job.ts` in its own scratch folder inside the repo (so @bigrays/* resolve), type-checked, and run by an `sh` block after it |
 * | `ts job run [exit=N] [moto] [outside]` | as `ts job`, and run here with `bigrays ./job.ts`; `outside`: saved outside the repo instead |
 * | `ts fragment` | compiled (syntax) by esbuild; its value imports from @bigrays/* must exist |
 * | `text` | the output of the block before it (stdout and stderr as interleaved) must contain its lines, in order; runs of spaces and durations may differ; the private TMPDIR is shown as `/tmp`, a job's folder as `/home/me/etl` |
 * | `text verified-by=<file>` | each line must appear verbatim in that test file (which asserts it) |
 *
 * Every run is isolated (no BIGRAYS_* from the shell, a private TMPDIR).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { transform } from 'esbuild';
import { BigraysConfig, runTask } from '@bigrays/core';
import { S3Task, type S3Client } from '@bigrays/aws';
import { requireService, motoEndpoint } from '../support/services.js';
import { BIN, REPO, freshTmp, isolatedEnv, motoEnv } from '../examples/support.js';

const DOCS = ['README.md', join('examples', 'predictions', 'README.md')];
const hasMoto = await requireService('moto', 'README blocks that use S3/SNS');

// ------------------------------------------------------------------ parsing

interface Block {
  /** The file, relative to the repo. */
  file: string;
  /** 1-based line of the opening fence. */
  line: number;
  lang: string;
  flags: string[];
  info: string;
  body: string;
  /** The `## ` section it is in. */
  section: string;
}

function parseBlocks(file: string, markdown: string): Block[] {
  const blocks: Block[] = [];
  const lines = markdown.split('\n');
  let section = '';
  for (let i = 0; i < lines.length; i++) {
    const heading = /^## (.*)$/.exec(lines[i]!);
    if (heading) section = heading[1]!;
    const open = /^```(.*)$/.exec(lines[i]!);
    if (!open) continue;
    const info = open[1]!.trim();
    const start = i;
    const body: string[] = [];
    for (i++; i < lines.length && lines[i] !== '```'; i++) body.push(lines[i]!);
    if (i >= lines.length) throw new Error(`${file}:${start + 1}: unclosed code block`);
    const [lang = '', ...flags] = info.split(/\s+/);
    blocks.push({ file, line: start + 1, lang, flags, info, body: body.join('\n'), section });
  }
  return blocks;
}

const flag = (b: Block, name: string) => b.flags.includes(name);
const option = (b: Block, name: string) => b.flags.find((f) => f.startsWith(`${name}=`))?.slice(name.length + 1);
const where = (b: Block) => `${b.file}:${b.line} (\`\`\`${b.info})`;

/** Whether an info string is one this test knows (flags of `ts job run` in any order, each at most once). */
function known(b: Block): boolean {
  if (/^sh( setup| moto| install)?$/.test(b.info) || /^ts (job|fragment)$/.test(b.info) || /^text( verified-by=\S+)?$/.test(b.info)) return true;
  if (b.lang !== 'ts' || b.flags[0] !== 'job' || b.flags[1] !== 'run') return false;
  const rest = b.flags.slice(2);
  return new Set(rest).size === rest.length && rest.every((f) => /^(exit=\d+|moto|outside)$/.test(f));
}

const markdownOf = new Map(DOCS.map((file) => [file, readFileSync(join(REPO, file), 'utf8')]));
const blocksOf = new Map(DOCS.map((file) => [file, parseBlocks(file, markdownOf.get(file)!)]));
const markdown = markdownOf.get('README.md')!;
const blocks = blocksOf.get('README.md')!;
const allBlocks = DOCS.flatMap((file) => blocksOf.get(file)!);
const siblings = (b: Block) => blocksOf.get(b.file)!;
const isJob = (b: Block) => b.lang === 'ts' && b.flags[0] === 'job';
const isRunnable = (b: Block) => (b.lang === 'sh' && !flag(b, 'install')) || (isJob(b) && flag(b, 'run'));

/** The block a `text` block shows the output of: the runnable block right before it. */
function producerOf(text: Block): Block | undefined {
  const i = siblings(text).indexOf(text);
  const before = siblings(text)[i - 1];
  return before && isRunnable(before) ? before : undefined;
}

/** The `text` block right after a runnable block, if any. */
function outputOf(b: Block): Block | undefined {
  const next = siblings(b)[siblings(b).indexOf(b) + 1];
  return next && next.lang === 'text' && !option(next, 'verified-by') ? next : undefined;
}

// ------------------------------------------------------------------ comparing output

/** The lines of a transcript as compared: no colour, no trailing spaces, runs of spaces as one. */
const comparable = (line: string) => line.replace(/\x1b\[[0-9;]*[A-Za-z]/g, '').replace(/\r/g, '').trimEnd().replace(/ +/g, ' ');

const DURATION = /\b\d+(?:\.\d+)? (?:ms|s)\b/g;
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A regex for one expected line: durations match any duration. */
function linePattern(expected: string): RegExp {
  const parts = comparable(expected).split(DURATION).map(escape);
  return new RegExp(`^${parts.join('\\d+(?:\\.\\d+)? (?:ms|s)')}$`);
}

/** Asserts that the expected lines appear in `actual`, in order (other lines may come between). */
function expectLinesInOrder(actual: string, text: Block): void {
  const got = actual.split('\n').map(comparable);
  let at = 0;
  for (const expected of text.body.split('\n')) {
    if (expected.trim() === '') continue;
    const pattern = linePattern(expected);
    const found = got.findIndex((line, i) => i >= at && pattern.test(line));
    if (found < 0) {
      throw new Error(
        `${where(text)}: this line is not in the output (after line ${at + 1} of it):\n  ${expected}\n\n--- the output was:\n${actual}`,
      );
    }
    at = found + 1;
  }
}

// ------------------------------------------------------------------ running

let scratch: string;
const jobDirs = new Map<Block, string>();

/** The folder of the last `ts job` block above `b`. */
function lastJobDirBefore(b: Block): string | undefined {
  const jobs = siblings(b).slice(0, siblings(b).indexOf(b)).filter(isJob);
  const job = jobs[jobs.length - 1];
  return job ? jobDirs.get(job) : undefined;
}

/** What a run printed, with the private paths as the README shows them. */
function shown(output: string, tmp: string, jobDir?: string): string {
  let text = output;
  if (jobDir) text = text.split(jobDir).join('/home/me/etl');
  return text.split(tmp).join('/tmp');
}

interface Step {
  command: string;
  expectedExit: number;
}

/** The commands of an sh block: one per line (`\` continues a line); comments and blank lines skipped. */
function stepsOf(b: Block): Step[] {
  const logical = b.body.replace(/\\\n/g, ' ').split('\n');
  const steps: Step[] = [];
  for (const raw of logical) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    if (flag(b, 'moto') && line.startsWith('moto_server')) continue; // the test's moto_server is already running
    const exit = /#\s*exit (\d+)\s*$/.exec(line);
    let command = line.replace(/\s+#.*$/, '');
    if (flag(b, 'moto')) command = command.split('http://127.0.0.1:5000').join(motoEndpoint() ?? 'http://127.0.0.1:1');
    steps.push({ command, expectedExit: exit ? Number(exit[1]) : 0 });
  }
  return steps;
}

const PRELUDE = `set -u
bigrays() { node "$README_BIN" "$@"; }
npx() {
  if [ "\${1:-}" = bigrays ]; then shift; node "$README_BIN" "$@"; return; fi
  echo "README test: only 'npx bigrays' may run here, not: npx $*" >&2; return 127
}
`;

/** Runs the steps in one bash (exports carry over); returns each step's exit code and the whole output. */
function runSteps(steps: Step[], cwd: string, env: NodeJS.ProcessEnv): { codes: number[]; output: string } {
  const out = mkdtempSync(join(scratch, 'out-'));
  const script = [
    PRELUDE,
    ...steps.map((s, i) => `{ ${s.command}\n} >> "${out}/all.log" 2>&1; echo $? > "${out}/${i}.rc"`),
  ].join('\n');
  const r = spawnSync('bash', ['-c', script], { cwd, env: { ...env, README_BIN: BIN }, encoding: 'utf8', timeout: 180_000 });
  if (r.error) throw r.error;
  const output = (() => {
    try {
      return readFileSync(join(out, 'all.log'), 'utf8');
    } catch {
      return '';
    }
  })();
  const codes = steps.map((_, i) => Number(readFileSync(join(out, `${i}.rc`), 'utf8').trim()));
  return { codes, output: `${output}${r.stderr}` };
}

function checkSteps(b: Block, steps: Step[], codes: number[], output: string): void {
  steps.forEach((s, i) => {
    if (codes[i] !== s.expectedExit) {
      throw new Error(`${where(b)}: \`${s.command}\` exited ${codes[i]}, expected ${s.expectedExit}\n--- output of the block:\n${output}`);
    }
  });
}

/** Empties the predictions example's default bucket, so that the README's runs of it succeed on a reused moto too. */
async function emptyDemoBucket(): Promise<void> {
  class EmptyBucket extends S3Task {
    async run(s3: S3Client) {
      const keys = await s3.listKeys('bigrays-predictions').catch(() => [] as string[]);
      for (const key of keys) await s3.client.send(new s3.sdk.DeleteObjectCommand({ Bucket: 'bigrays-predictions', Key: key }));
    }
  }
  const saved = { ...BigraysConfig };
  Object.assign(BigraysConfig, Object.fromEntries(Object.entries(motoEnv()).map(([k, v]) => [k.replace(/^BIGRAYS_/, ''), v])));
  try {
    await runTask(EmptyBucket, {});
  } finally {
    for (const key of Object.keys(BigraysConfig)) delete BigraysConfig[key];
    Object.assign(BigraysConfig, saved);
  }
}

beforeAll(() => {
  scratch = mkdtempSync(join(REPO, 'test', 'docs', '.readme-'));
  allBlocks.filter(isJob).forEach((b, i) => {
    const dir = join(scratch, `job-${i}`);
    mkdirSync(dir);
    writeFileSync(join(dir, 'job.ts'), `${b.body}\n`);
    jobDirs.set(b, dir);
  });
});

afterAll(() => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

// ------------------------------------------------------------------ tests

describe.each(DOCS)('%s code blocks', (file) => {
  const blocks = blocksOf.get(file)!;

  it('every block has an info string this test knows', () => {
    const unknown = blocks.filter((b) => !known(b)).map(where);
    expect(unknown).toEqual([]);
    expect(blocks.length).toBeGreaterThan(file === 'README.md' ? 20 : 2);
  });

  it('every `text` block follows a block that produces output (or names the test that verifies it)', () => {
    const orphans = blocks.filter((b) => b.lang === 'text' && !option(b, 'verified-by') && !producerOf(b)).map(where);
    expect(orphans).toEqual([]);
  });

  it('every `ts job` block is run: by itself (`run`) or by an sh block mentioning ./job.ts before the next job', () => {
    const unrun = blocks.filter(isJob).filter((job) => {
      if (flag(job, 'run')) return false;
      const after = blocks.slice(blocks.indexOf(job) + 1);
      const next = after.findIndex(isJob);
      return !(next < 0 ? after : after.slice(0, next)).some((b) => b.lang === 'sh' && b.body.includes('./job.ts'));
    });
    expect(unrun.map(where)).toEqual([]);
  });

  it('`sh install` blocks hold installation commands only', () => {
    for (const b of blocks.filter((b) => b.lang === 'sh' && flag(b, 'install'))) {
      for (const line of b.body.split('\n').filter((l) => l.trim())) {
        expect(`${where(b)}: ${line}`).toMatch(/: (npm install|pnpm add|pip install) /);
      }
    }
  });

  it('`text verified-by=<file>` lines appear in that test file', () => {
    for (const b of blocks.filter((b) => option(b, 'verified-by'))) {
      const file = readFileSync(join(REPO, option(b, 'verified-by')!), 'utf8');
      for (const line of b.body.split('\n').filter((l) => l.trim())) expect(file).toContain(line.trim());
    }
  });

  it('`ts fragment` blocks compile and import only what the packages export', async () => {
    const modules: Record<string, Record<string, unknown>> = {
      '@bigrays/core': await import('@bigrays/core'),
      '@bigrays/sql': await import('@bigrays/sql'),
      '@bigrays/aws': await import('@bigrays/aws'),
    };
    const fragments = blocks.filter((b) => b.lang === 'ts' && flag(b, 'fragment'));
    for (const b of fragments) {
      await transform(b.body, { loader: 'ts', format: 'esm', target: 'node20', sourcefile: where(b) });
      for (const m of b.body.matchAll(/^import (?!type )\{([^}]*)\} from '(@bigrays\/\w+)';$/gm)) {
        const names = m[1]!.split(',').map((n) => n.trim()).filter((n) => n && !n.startsWith('type '));
        for (const name of names) expect(`${where(b)}: ${m[2]} exports ${name}: ${name in modules[m[2]!]!}`).toMatch(/: true$/);
      }
    }
  });

  if (blocks.some(isJob)) it('`ts job` blocks type-check (tsc, standard decorators, the built packages)', () => {
    const dir = mkdtempSync(join(scratch, 'typecheck-'));
    for (const b of blocks.filter(isJob)) {
      mkdirSync(join(dir, `line-${b.line}`));
      writeFileSync(join(dir, `line-${b.line}`, 'job.ts'), `${b.body}\n`);
    }
    writeFileSync(
      join(dir, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, skipLibCheck: true, noEmit: true, types: ['node'] },
        include: ['**/job.ts'],
      }),
    );
    const r = spawnSync(process.execPath, [join(REPO, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', dir, '--pretty', 'false'], {
      cwd: REPO,
      encoding: 'utf8',
      timeout: 120_000,
    });
    // Report errors by README line: line-<n>/job.ts(<l>,<c>) is README line n + l.
    const errors = `${r.stdout}${r.stderr}`.replace(/line-(\d+)\/job\.ts\((\d+),(\d+)\)/g, (_m, block, l, c) => `${file}:${Number(block) + Number(l)}:${c}`);
    expect(errors).toBe('');
  }, 120_000);
});

/** GitHub's anchor for a heading. */
function slug(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

function anchorsOf(markdownText: string): Set<string> {
  const seen = new Map<string, number>();
  const anchors = new Set<string>();
  let inCode = false;
  for (const line of markdownText.split('\n')) {
    if (line.startsWith('```')) inCode = !inCode;
    const heading = !inCode && /^#{1,6} (.*)$/.exec(line);
    if (!heading) continue;
    const base = slug(heading[1]!);
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    anchors.add(n === 0 ? base : `${base}-${n}`);
  }
  return anchors;
}

describe.each(DOCS)('%s links', (file) => {
  it('every relative link points to a file that exists, and every #anchor to a heading', () => {
    const text = markdownOf.get(file)!.replace(/```[\s\S]*?```/g, '');
    const broken: string[] = [];
    for (const m of text.matchAll(/\]\(([^)\s]+)\)/g)) {
      const target = m[1]!;
      if (/^[a-z]+:/.test(target)) continue; // https:, mailto:
      const [path = '', anchor] = target.split('#');
      const resolved = path ? join(REPO, dirname(file), path) : join(REPO, file);
      if (!existsSync(resolved)) {
        broken.push(`${target}: no such file`);
        continue;
      }
      if (anchor && !anchorsOf(readFileSync(resolved, 'utf8')).has(anchor)) broken.push(`${target}: no such heading`);
    }
    expect(broken).toEqual([]);
  });
});

describe.each(DOCS)('%s commands', (file) => {
  it('every `pnpm <name>` in code is a pnpm command or a script of the root package.json', () => {
    const scripts = Object.keys(JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')).scripts);
    const BUILTIN = ['install', 'add', 'pack', 'exec', 'dlx', 'run', 'remove', 'update', 'why', 'list', 'ls'];
    const text = markdownOf.get(file)!;
    const code = [...text.matchAll(/```[^\n]*\n([\s\S]*?)```/g)].map((m) => m[1]!).join('\n') + [...text.replace(/```[\s\S]*?```/g, '').matchAll(/`([^`]+)`/g)].map((m) => `\n${m[1]!.replace(/\s+/g, ' ')}`).join('');
    const unknown = [...code.matchAll(/\bpnpm (?!-)([a-z][\w:-]*)/g)].map((m) => m[1]!).filter((name) => !BUILTIN.includes(name) && !scripts.includes(name));
    expect([...new Set(unknown)]).toEqual([]);
  });
});

describe('README.md: Guarantees', () => {
  const draft = join(REPO, 'test', 'reliability', 'GUARANTEES.md');
  (existsSync(draft) ? it : it.skip)('is test/reliability/GUARANTEES.md, merged as is', () => {
    const section = markdown.slice(markdown.indexOf('## Guarantees\n'), markdown.indexOf('## Performance\n'));
    expect(section.trimEnd()).toBe(readFileSync(draft, 'utf8').trimEnd());
  });
});

describe('README.md: the set-up commands', () => {
  const setup = blocks.filter((b) => b.lang === 'sh' && flag(b, 'setup'));
  const ciRun = readFileSync(join(REPO, '.ci', 'run'), 'utf8');
  const pkg = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8'));

  it('are the first two blocks, in the first section, one command line each', () => {
    expect(setup.map((b) => blocks.indexOf(b))).toEqual([0, 1]);
    expect(setup.every((b) => b.section === blocks[0]!.section && markdown.indexOf(`## ${b.section}`) === markdown.indexOf('## '))).toBe(true);
    expect(setup.map((b) => b.body.split('\n').length)).toEqual([1, 1]);
  });

  it('are exactly what .ci/run runs, plus `pnpm build` (which `pnpm test` runs first) and the quickstart', () => {
    const ciCommands = ciRun
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith('#') && !/^(set |cd |if |fi$|then$|else$)/.test(l));
    const readme = setup.flatMap((b) => b.body.split(' && ').map((c) => c.trim()));
    // CI runs the README's commands, then only these (each named in the README's first section).
    const CI_ONLY = ['pnpm test:reliability'];
    expect(ciCommands).toEqual(['npm install -g pnpm@10', 'pnpm install --frozen-lockfile', 'pnpm test', ...CI_ONLY]);
    const firstSection = markdown.slice(markdown.indexOf('## '), markdown.indexOf('\n## ', markdown.indexOf('## ') + 3));
    for (const command of CI_ONLY) expect(firstSection).toContain(`\`${command}\``);
    expect(readme).toEqual(['npm install -g pnpm@10', 'pnpm install --frozen-lockfile', 'pnpm build', 'pnpm bigrays examples/quickstart/job.ts', 'pnpm test']);
    expect(pkg.scripts.test.startsWith('pnpm build && ')).toBe(true);
    expect(pkg.scripts.bigrays).toBe('node packages/core/dist/cli/bin.js');
    expect(pkg.packageManager).toMatch(/^pnpm@10\./);
  });

  it('`pnpm build`: the root build script reaches pnpm as written (sh does not expand its arguments)', () => {
    // pnpm runs scripts with sh: an unquoted glob such as ./packages/** would be expanded into several
    // arguments, and pnpm would then take one of the package paths for the script name.
    const script: string = pkg.scripts.build;
    const r = spawnSync('sh', ['-c', `set -- ${script}; printf '%s\\n' "$@"`], { cwd: REPO, encoding: 'utf8' });
    const unquote = (w: string) => w.replace(/^'(.*)'$/, '$1').replace(/^"(.*)"$/, '$1');
    expect(r.stdout.trim().split('\n')).toEqual(script.split(/\s+/).map(unquote));
  });

  it('the quickstart prints the path of its CSV', () => {
    const tmp = freshTmp('bigrays-readme-');
    const steps = [{ command: 'pnpm bigrays examples/quickstart/job.ts', expectedExit: 0 }];
    const { codes, output } = runSteps(steps, REPO, isolatedEnv({ tmp }));
    checkSteps(setup[0]!, steps, codes, output);
    expect(shown(output, tmp)).toContain('Wrote /tmp/bigrays-quickstart/revenue-by-country.csv');
    // The text block after the two commands shows what the first one ends with.
    expectLinesInOrder(shown(output, tmp), outputOf(setup[1]!)!);
  });
});

describe('runnable blocks', () => {
  const runnable = allBlocks.filter((b) => isRunnable(b) && !flag(b, 'setup'));
  const title = (b: Block) => `${where(b)}: ${b.lang === 'sh' ? stepsOf(b).map((s) => s.command).join(' && ') : 'bigrays ./job.ts'}`.slice(0, 160);

  it.each(runnable.map((b) => [title(b), b] as const))('%s', async (_title, b) => {
    const needsMoto = flag(b, 'moto');
    if (needsMoto && !hasMoto) return; // requireService has warned (and fails in CI)
    const tmp = freshTmp('bigrays-readme-');
    const env = isolatedEnv({ tmp, moto: needsMoto && b.lang === 'ts' });
    let steps: Step[];
    let cwd: string;
    let jobDir: string | undefined;
    if (b.lang === 'sh') {
      if (needsMoto && b.body.includes('examples/predictions/job.ts')) await emptyDemoBucket();
      steps = stepsOf(b);
      jobDir = b.body.includes('./job.ts') ? lastJobDirBefore(b) : undefined;
      if (b.body.includes('./job.ts') && !jobDir) throw new Error(`${where(b)} runs ./job.ts, but no \`ts job\` block comes before it`);
      cwd = jobDir ?? REPO;
    } else {
      jobDir = jobDirs.get(b)!;
      cwd = jobDir;
      if (flag(b, 'outside')) {
        // Outside the repo: the private temp directory itself, shown as /tmp.
        writeFileSync(join(tmp, 'job.ts'), `${b.body}\n`);
        cwd = tmp;
        jobDir = undefined;
      }
      steps = [{ command: 'bigrays ./job.ts', expectedExit: Number(option(b, 'exit') ?? 0) }];
    }
    const { codes, output } = runSteps(steps, cwd, env);
    checkSteps(b, steps, codes, output);
    const text = outputOf(b);
    if (text) expectLinesInOrder(shown(output, tmp, jobDir), text);
  }, 180_000);
});
