/**
 * The secret helpers of core (`config/secrets.ts`): what counts as a secret,
 * how DSNs of every form are masked, and `scrubError` on errors of any realm.
 * (The CLI's outputs are checked end to end by test/reliability.)
 */
import { describe, expect, it } from '@jest/globals';
import { runInNewContext } from 'node:vm';
import { scrubError } from '../../src/config/secrets.js';

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
