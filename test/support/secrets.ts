/**
 * Distinctive secrets for the tests that check nothing leaks: the values a
 * child gets in its environment, and the assertion that none of them appears
 * in what it printed.
 */
import { pgDsn } from './services.js';

/**
 * Distinctive secret values. Each test that runs a job sets them in the
 * child's environment and then asserts that none of them appears anywhere in
 * what the child printed. `needles` are the substrings searched for: the
 * secret itself and, for the DSN password (which contains characters that
 * must be URL-encoded), its decoded and encoded forms.
 */
export const SECRETS = {
  dbPwd: 'DbPwd-Xq7Zr2-secret',
  /** Raw (decoded) password inside the DSN; `!` and `@` are URL-encoded in the DSN. */
  dsnPwd: 'DsnPw!Kp9@Ww4',
  dsnPwdEncoded: 'DsnPw%21Kp9%40Ww4',
  awsSecret: 'AwsSecret/Mv8Lh3Tt5Nn0',
  awsAliasSecret: 'AwsAlias/Qe6Ff1Gg2',
  token: 'Token-Hj4Uu8Ii9',
} as const;

/** Substrings that must never appear in output. Shorter cores catch partial leaks too. */
export const SECRET_NEEDLES = [
  SECRETS.dbPwd,
  'Xq7Zr2',
  SECRETS.dsnPwd,
  SECRETS.dsnPwdEncoded,
  'Kp9',
  SECRETS.awsSecret,
  'Mv8Lh3Tt5Nn0',
  SECRETS.awsAliasSecret,
  'Qe6Ff1Gg2',
  SECRETS.token,
  'Hj4Uu8Ii9',
];

/** A PostgreSQL DSN carrying the DSN secret (trust auth accepts any password). */
export const PG_DSN_WITH_SECRET = pgDsn({ password: SECRETS.dsnPwdEncoded });

/**
 * The secret-bearing environment every reliability run gets. `DB_DSN` is set
 * only where a test needs one (it changes what a SQL job does), so this has
 * the secrets that never change behaviour against moto/trust-auth services.
 */
export function secretEnv(extra: Record<string, string | undefined> = {}): Record<string, string | undefined> {
  return {
    BIGRAYS_DB_PWD: SECRETS.dbPwd,
    BIGRAYS_S3_SECRET_ACCESS_KEY: SECRETS.awsSecret,
    BIGRAYS_AWS_SECRET_ACCESS_KEY: SECRETS.awsAliasSecret,
    BIGRAYS_WAREHOUSE_TOKEN: SECRETS.token,
    BIGRAYS_S3_ACCESS_KEY_ID: 'testing',
    BIGRAYS_AWS_REGION: 'us-east-1',
    ...extra,
  };
}

/** The secrets found in `text` (none, when all is well). */
export function leakedSecrets(text: string): string[] {
  return SECRET_NEEDLES.filter((needle) => text.includes(needle));
}

export function expectNoSecrets(text: string, where = 'output'): void {
  const leaked = leakedSecrets(text);
  if (leaked.length > 0) {
    const at = text.indexOf(leaked[0]!);
    throw new Error(`secret ${JSON.stringify(leaked[0])} leaked in ${where}: …${text.slice(Math.max(0, at - 200), at + 100)}…`);
  }
}
