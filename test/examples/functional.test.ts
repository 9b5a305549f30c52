/**
 * The functional interface (the original's `sql_query(...)`, `to_s3(...)`):
 * each function opens its resource, runs one task, closes the resource and
 * resolves to the output.
 *
 * Already covered elsewhere: sqlQuery/sqlExecute/sqlWrite on every driver
 * (packages/sql/test/drivers.test.ts), toS3/fromS3/listS3Objects
 * (packages/aws/test/s3.test.ts), snsPublish/snsPublishEmail
 * (packages/aws/test/sns.test.ts). Here, in-process: toCsv, what the
 * functions share (templates, errors, one resource per call, not joining the
 * job being defined, runTask for your own task classes), a pipeline across
 * the three packages; and examples/functional/report.mjs run with node.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BigraysConfig, ConfigurationError, Task, TaskError, bigraysRun, resetFormatKws, resetJobs, runTask, toCsv, updateFormatKws, type Dataset } from '@bigrays/core';
import { sqlExecute, sqlQuery, sqlWrite } from '@bigrays/sql';
import { fromS3, listS3Objects, snsPublishEmail, toS3 } from '@bigrays/aws';
import { requireService } from '../support/services.js';
import { causeMessages, rejectionOf } from '../support/errors.js';
import { closeDirectClients, createBucket, createTopic, subscribeQueue, useMoto } from '../../packages/aws/test/helpers.js';
import { REPO, expectExit, freshTmp, run } from './support.js';

const hasMoto = await requireService('moto', 'functional interface on moto');

/** The error of a rejection, and the messages of it and its causes. */
async function rejection(promise: Promise<unknown>): Promise<{ error: unknown; messages: string }> {
  const error = await rejectionOf(promise);
  return { error, messages: causeMessages(error) };
}

let dir: string;
beforeEach(() => {
  dir = freshTmp('bigrays-functional-');
  resetFormatKws();
  BigraysConfig.DB_DSN = `sqlite:${join(dir, 'db.sqlite')}`;
});
afterAll(() => {
  delete BigraysConfig.DB_DSN;
  resetFormatKws();
});

describe('toCsv', () => {
  const rows = [
    { id: 1, name: 'Doe, Jane', note: null },
    { id: 2, name: 'say "hi"', note: '' },
  ];
  const CSV = 'id,name,note\n1,"Doe, Jane",\n2,"say ""hi""",""\n';

  it('writes rows as CSV and resolves to the absolute path; missing directories are created', async () => {
    const path = await toCsv({ filename: join(dir, 'out', 'rows.csv'), input: rows });
    expect(path).toBe(join(dir, 'out', 'rows.csv'));
    expect(readFileSync(path, 'utf8')).toBe(CSV);
  });

  it('fills {name} templates in filename from updateFormatKws', async () => {
    updateFormatKws({ dir, day: '2026-03-01' });
    expect(await toCsv({ filename: '{dir}/{day}.csv', input: rows })).toBe(join(dir, '2026-03-01.csv'));
  });

  it('refuses to replace an existing file (left untouched) unless overwrite: true', async () => {
    const path = join(dir, 'kept.csv');
    writeFileSync(path, 'precious\n');
    const { error, messages } = await rejection(toCsv({ filename: path, input: rows }));
    expect(error).toBeInstanceOf(TaskError); // the task's own error, naming it
    expect(messages).toContain(path);
    expect(messages).toMatch(/exists/);
    expect(readFileSync(path, 'utf8')).toBe('precious\n');
    await toCsv({ filename: path, input: rows, overwrite: true });
    expect(readFileSync(path, 'utf8')).toBe(CSV);
  });

  it('writes text and bytes as they are', async () => {
    expect(readFileSync(await toCsv({ filename: join(dir, 't.csv'), input: 'a;b\n1;2\n' }), 'utf8')).toBe('a;b\n1;2\n');
    expect(readFileSync(await toCsv({ filename: join(dir, 'b.bin'), input: Buffer.from([0, 1, 2]) }))).toEqual(Buffer.from([0, 1, 2]));
  });

  it('streams a Dataset from sqlQuery({ spool: true }) to a file', async () => {
    await sqlWrite({ table: 'numbers', input: Array.from({ length: 2500 }, (_, i) => ({ n: i, sq: i * i })) });
    const ds = await sqlQuery({ query: 'select n, sq from numbers where n < :max order by n', params: { max: 2000 }, spool: true });
    expect(ds.rowCount).toBe(2000);
    const path = await toCsv({ filename: join(dir, 'numbers.csv'), input: ds });
    const lines = readFileSync(path, 'utf8').split('\n');
    expect(lines.slice(0, 3)).toEqual(['n,sq', '0,0', '1,1']);
    expect(lines).toHaveLength(2002); // header, 2000 rows, final newline
  });
});

describe('what the functions share', () => {
  it('each call opens and closes its own resource: a temporary table does not outlive its call', async () => {
    expect(await sqlExecute({ statement: 'create temporary table scratch (n integer); insert into scratch values (1), (2)' })).toBe(2);
    const { error, messages } = await rejection(sqlQuery({ query: 'select * from scratch' }));
    expect(error).toBeInstanceOf(TaskError);
    expect(messages).toMatch(/no such table: scratch/);
  });

  it('missing configuration rejects before anything runs, naming the variable', async () => {
    delete BigraysConfig.DB_DSN;
    const { error, messages } = await rejection(sqlQuery({ query: 'select 1' }));
    expect(error).toBeInstanceOf(ConfigurationError);
    expect(messages).toContain('BIGRAYS_DB_DSN');
  });

  it('a call does not join the job being defined, and the job does not run the call again', async () => {
    resetJobs();
    const ran: string[] = [];
    @Task()
    class Defined {
      run() {
        ran.push('Defined');
      }
    }
    const path = await toCsv({ filename: join(dir, 'one-off.csv'), input: [{ a: 1 }] });
    const result = await bigraysRun();
    expect(result.tasks.map((t) => t.name)).toEqual(['Defined']);
    expect(ran).toEqual(['Defined']);
    expect(existsSync(path)).toBe(true);
    void Defined;
  });

  it('runTask runs any task class the same way (your own functional helpers)', async () => {
    class Greeting {
      static templateAttributes = ['who'];
      who = '';
      run() {
        return `hello ${this.who}`;
      }
    }
    updateFormatKws({ name: 'world' });
    expect(await runTask<string>(Greeting, { who: '{name}' })).toBe('hello world');
  });
});

(hasMoto ? describe : describe.skip)('a pipeline across the packages, on moto', () => {
  beforeAll(() => useMoto());
  afterAll(() => {
    closeDirectClients();
    for (const key of ['AWS_ENDPOINT_URL', 'AWS_REGION', 'S3_ACCESS_KEY_ID', 'S3_SECRET_ACCESS_KEY']) delete BigraysConfig[key];
  });

  it('sqlWrite → sqlQuery(spool) → toS3(Dataset) → listS3Objects → fromS3 → snsPublishEmail', async () => {
    const bucket = await createBucket('functional');
    const topic = await createTopic('functional');
    const queue = await subscribeQueue(topic.arn);
    updateFormatKws({ bucket, day: '2026-03-01' });

    expect(await sqlWrite({ table: 'sales', input: [{ region: 'eu', amount: 10 }, { region: 'us', amount: 32 }, { region: 'eu', amount: 5 }] })).toBe(3);
    const ds: Dataset = await sqlQuery({ query: 'select region, sum(amount) as total from sales group by region order by region', spool: true });
    const uri = await toS3({ bucket: '{bucket}', key: 'sales/{day}.csv', input: ds });
    expect(uri).toBe(`s3://${bucket}/sales/2026-03-01.csv`);
    expect(await listS3Objects({ bucket: '{bucket}', prefix: 'sales/', suffix: '.csv' })).toEqual(['sales/2026-03-01.csv']);
    expect(await fromS3({ bucket, key: 'sales/2026-03-01.csv', as: 'csv' })).toEqual([
      { region: 'eu', total: '15' },
      { region: 'us', total: '32' },
    ]);
    const id = await snsPublishEmail({ topic: topic.name, subject: 'Sales for {day}', input: `Sales are at ${uri}` });
    const [message] = await queue.receive(1);
    expect(message).toMatchObject({ MessageId: id, Subject: 'Sales for 2026-03-01', Message: `Sales are at ${uri}` });
  });
});

describe('examples/functional/report.mjs (plain node, no CLI)', () => {
  const SCRIPT = join(REPO, 'examples', 'functional', 'report.mjs');
  const SQL_PART = [
    'sqlWrite: 5 rows written',
    'sqlQuery: [{"page":"/docs","visitors":650},{"page":"/pricing","visitors":215}]',
  ];

  it('without AWS configuration: the SQL and CSV part, then a note', () => {
    const r = run([SCRIPT], { program: 'node' });
    expectExit(r, 0);
    expect(r.stdout.split('\n')).toEqual([
      ...SQL_PART,
      `toCsv: wrote ${join(r.tmp, 'bigrays-examples', 'top-pages.csv')}`,
      'S3 and SNS skipped: set BIGRAYS_AWS_REGION (and, for moto, BIGRAYS_AWS_ENDPOINT_URL and keys) to try them',
      '',
    ]);
    expect(readFileSync(join(r.tmp, 'bigrays-examples', 'top-pages.csv'), 'utf8')).toBe('page,visitors\n/docs,650\n/pricing,215\n');
    expect(r.stderr).toBe('');
  });

  (hasMoto ? it : it.skip)('with moto: every function of the interface', async () => {
    const r = run([SCRIPT], { program: 'node', moto: true });
    expectExit(r, 0);
    const lines = r.stdout.split('\n');
    expect(lines.slice(0, 2)).toEqual(SQL_PART);
    expect(lines.slice(3)).toEqual([
      'toS3: uploaded s3://bigrays-examples/functional/top-pages.csv',
      'listS3Objects: functional/top-pages.csv',
      'fromS3: [{"page":"/docs","visitors":"650"},{"page":"/pricing","visitors":"215"}]',
      expect.stringMatching(/^snsPublish: message [0-9a-f-]{36}$/),
      'snsPublishEmail: sent',
      '',
    ]);
    expect(r.stderr).toBe('');
  });
});
