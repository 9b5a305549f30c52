/**
 * The secret helpers of core (`config/secrets.ts`): what counts as a secret,
 * how DSNs of every form are masked, and `scrubError` on errors of any realm.
 * (The CLI's outputs are checked end to end by test/reliability.)
 */
import { afterEach, describe, expect, it } from '@jest/globals';
import { runInNewContext } from 'node:vm';
import { displayValue, dsnSecrets, forgetLearntSecrets, isSecretKey, maskDsn, maskValue, redact, rememberSecrets, scrubError } from '../../src/config/secrets.js';

const SECRET = 'Zq8-Secret-Vv3';

describe('scrubError', () => {
  // Was bug C8: the chain was walked with `instanceof Error`, false for errors of another realm.
  it('scrubs errors of another realm (vm context), their causes and AggregateError members', () => {
    const config = { WAREHOUSE_TOKEN: SECRET };
    const foreign = runInNewContext(
      `const inner = new Error('inner ' + secret); inner.input = 'url ' + secret;
       const agg = new AggregateError([new Error('member ' + secret)], 'agg ' + secret);
       new Error('outer ' + secret, { cause: { message: 'plain ' + secret, cause: inner, errors: [agg] } })`,
      { secret: SECRET },
    ) as Error;
    expect(foreign instanceof Error).toBe(false);
    scrubError(foreign, config);
    const texts: string[] = [];
    const walk = (e: unknown, depth = 0): void => {
      if (!e || typeof e !== 'object' || depth > 6) return;
      const r = e as Record<string, unknown>;
      for (const key of Object.getOwnPropertyNames(r)) if (typeof r[key] === 'string') texts.push(r[key] as string);
      walk(r.cause, depth + 1);
      if (Array.isArray(r.errors)) for (const m of r.errors) walk(m, depth + 1);
    };
    walk(foreign);
    expect(texts.join('\n')).toContain('outer ****');
    expect(texts.join('\n')).toContain('member ****');
    expect(texts.join('\n')).not.toContain(SECRET);
  });

  it('leaves what is not an error alone and survives cycles', () => {
    const config = { WAREHOUSE_TOKEN: SECRET };
    expect(scrubError(`text ${SECRET}`, config)).toBe(`text ${SECRET}`);
    const a = new Error(`a ${SECRET}`) as Error & { cause?: unknown };
    const b = new Error(`b ${SECRET}`, { cause: a });
    a.cause = b;
    scrubError(a, config);
    expect([a.message, b.message]).toEqual(['a ****', 'b ****']);
  });
});

describe('secrets of every DSN form (finding 12)', () => {
  const forms: [string, string, string[]][] = [
    // [form, value, secrets it holds]
    ['URL password', 'postgres://etl:Url-Pw-123@db:5432/wh', ['Url-Pw-123']],
    ['URL password with a raw @', 'postgres://etl:At@Pw-456@db.example.com:5432/wh', ['At@Pw-456']],
    ['URL password with a raw space', 'mysql://etl:Sp Pw-789@db:3306/wh', ['Sp Pw-789']],
    ['URL password with raw / and :', 'postgres://etl:Sl/a:sh-Pw@[::1]:5432/wh', ['Sl/a:sh-Pw']],
    ['?password= option', 'postgres://etl@db:5432/wh?sslmode=disable&password=Qp-Pw-321', ['Qp-Pw-321']],
    ['?sslpassword= and &api_token=', 'postgres://db/wh?sslpassword=Ssl-Pw-1&api_token=Tok-2', ['Ssl-Pw-1', 'Tok-2']],
    ['keyword DSN', 'host=db.example.com user=etl password=Kw-Pw-654 dbname=wh', ['Kw-Pw-654']],
    ['keyword DSN, quoted with a space', "host=db password='Kw Pw\\'987' dbname=wh", ["Kw Pw'987", "Kw Pw\\'987"]],
    ['keyword DSN, spaces around =', 'host=db password = Kw-Sp-111 dbname=wh', ['Kw-Sp-111']],
    ['ODBC style', 'Server=db;Uid=etl;Pwd=Odbc-Pw-222;Database=wh', ['Odbc-Pw-222']],
  ];

  it.each(forms)('%s: dsnSecrets finds it, maskValue and maskDsn hide it', (_form, value, secrets) => {
    const found = dsnSecrets(value);
    for (const secret of secrets) expect(found).toContain(secret);
    for (const secret of secrets) {
      expect(maskValue(value)).not.toContain(secret);
      expect(displayValue('DB_DSN', value)).not.toContain(secret);
      // As the config value: removed from any text, also quoted raw, URL-encoded, or mid-sentence.
      const config = { SOME_DSN: value };
      const text = `could not connect to ${value}; password ${secret} (encoded ${encodeURIComponent(secret)}) rejected`;
      expect(redact(text, config)).not.toContain(secret);
      expect(redact(text, config)).not.toContain(encodeURIComponent(secret));
    }
  });

  it('maskValue keeps what is not secret', () => {
    expect(maskValue('postgres://etl:x@Pw@db:5432/wh?sslmode=require&password=p')).toBe('postgres://etl:****@db:5432/wh?sslmode=require&password=****');
    expect(maskValue('host=db user=etl password=secret dbname=wh')).toBe('host=db user=etl password=**** dbname=wh');
    expect(maskValue("host=db password='a b' port=5432")).toBe('host=db password=**** port=5432');
    expect(maskValue('postgres://etl@db:5432/wh')).toBe('postgres://etl@db:5432/wh');
    expect(maskValue('sqlite:./data.db')).toBe('sqlite:./data.db');
  });

  it('maskDsn masks a DSN with a raw @ in the middle of a text, and nothing else', () => {
    expect(maskDsn('connect postgres://etl:p@ss@db/wh failed, mail admin@example.com')).toBe('connect postgres://etl:****@db/wh failed, mail admin@example.com');
    expect(maskDsn('where password = :pw and token=abc; total=3')).toBe('where password = **** and token=****; total=3');
    expect(maskDsn('select secret_count = 3, a=1')).toBe('select secret_count = 3, a=1');
  });
});

describe('names like secrets (finding 12)', () => {
  it.each(['DB_PWD', 'db_password', 'PASSWD', 'api_token', 'WAREHOUSE_TOKEN', 'client_secret', 'signing_key', 'API_KEY', 'apikey', 'S3_SECRET_ACCESS_KEY', 'private_pem', 'gcp_credentials', 'ftp_pass'])('%s is a secret', (name) => {
    expect(isSecretKey(name)).toBe(true);
  });
  it.each(['DB_DSN', 'DB_USER', 'S3_ACCESS_KEY_ID', 'AWS_ACCESS_KEY_ID', 'AWS_REGION', 'key', 'keyspace', 'since', 'bucket', 'monkey'])('%s is not', (name) => {
    expect(isSecretKey(name)).toBe(false);
  });
});

describe('rememberSecrets: parameters and per-task overrides (finding 12)', () => {
  afterEach(() => forgetLearntSecrets());

  it('masks the values of parameters named like secrets, and the secrets of any DSN value', () => {
    rememberSecrets({ api_token: 'Tok-Param-1', db_password: 'Pw-Param-2', signing_key: 'Key-Param-3', since: '2026-01-01', short: 'ab' });
    rememberSecrets({ DB_DSN: 'postgres://etl:Over@ride-4@db/wh', OTHER: 'host=x password=Kw-Over-5' });
    const text = 'Tok-Param-1 Pw-Param-2 Key-Param-3 2026-01-01 ab Over@ride-4 Over%40ride-4 Kw-Over-5';
    expect(redact(text, {})).toBe('**** **** **** 2026-01-01 ab **** **** ****');
    const error = new Error('outer', { cause: new Error('Tok-Param-1') });
    scrubError(error, {});
    expect((error.cause as Error).message).toBe('****');
  });
});
