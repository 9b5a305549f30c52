/**
 * Each resource declares its own config keys (`static configKeys`: name,
 * description, secret, aliasOf), and `bigrays config` and the log mask read
 * that one declaration (issue 11). Core lists no key of a plugin.
 */
import { describe, expect, it } from '@jest/globals';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, REPO } from '../../../../test/support/cli.js';
import { configKeysOf, keyAndAliases } from '../../src/config/config-keys.js';

const job = (name: string) => join(REPO, 'packages', 'core', 'test', 'fixtures', 'jobs', name);
const SECRET = 'role-8f3a-e2c1';

describe('static configKeys', () => {
  it('bigrays config <job> lists the keys a resource of the job declares, its secret ones masked', () => {
    const r = runCli(['config', job('declared-keys.ts')], { env: { BIGRAYS_VAULT_ADDR: 'https://vault.example', BIGRAYS_VAULT_ROLE_ID: SECRET } });
    expect(r.code).toBe(0);
    expect(r.stdout).not.toContain(SECRET);
    expect(r.stdout).toMatch(/VAULT_ADDR\s+BIGRAYS_VAULT_ADDR\s+environment\s+https:\/\/vault\.example\s+Vault: address/);
    // VAULT_ROLE_ID is no secret by its name: it is masked because the resource says so.
    expect(r.stdout).toMatch(/VAULT_ROLE_ID\s+BIGRAYS_VAULT_ROLE_ID\s+environment\s+\*\*\*\*\s+Vault: AppRole role id/);
    expect(r.stdout).toMatch(/VAULT_ROLE\s+BIGRAYS_VAULT_ROLE\s+unset\s+-\s+Vault: alias of VAULT_ROLE_ID/);
  });

  it('the extension packages list their own keys (SQLSession, S3Client, SNSClient declare them)', () => {
    const r = runCli(['config']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/DB_PWD\s+BIGRAYS_DB_PWD\s+\S+\s+\S+\s+SQL: overrides the password in DB_DSN/);
    expect(r.stdout).toMatch(/AWS_ACCESS_KEY_ID\s+BIGRAYS_AWS_ACCESS_KEY_ID\s+\S+\s+\S+\s+S3 and SNS: alias of S3_ACCESS_KEY_ID/);
  });

  it('a secret key the resource declares is masked in log records', () => {
    const r = runCli([job('declared-keys.ts'), '--log-level', 'info'], { env: { BIGRAYS_VAULT_ROLE_ID: SECRET } });
    expect(r.code).toBe(0);
    expect(`${r.stdout}${r.stderr}`).not.toContain(SECRET);
    expect(`${r.stdout}${r.stderr}`).toContain('https://vault.example');
  });

  it('configKeysOf reads the declaration (inherited); keyAndAliases gives the reading order', () => {
    class Base {
      static configKeys = [
        { name: 'A', description: 'a' },
        { name: 'B', description: 'alias of A', aliasOf: 'A' },
      ];
    }
    class Sub extends Base {}
    expect(configKeysOf(Sub).map((k) => k.name)).toEqual(['A', 'B']);
    expect(configKeysOf(class {})).toEqual([]);
    expect(keyAndAliases(configKeysOf(Sub), 'A')).toEqual(['A', 'B']);
  });

  it("core's sources name no plugin's configuration key", () => {
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        const path = join(dir, name);
        if (statSync(path).isDirectory()) walk(path);
        else if (name.endsWith('.ts')) files.push(path);
      }
    };
    walk(join(REPO, 'packages', 'core', 'src'));
    const code = (file: string) => readFileSync(file, 'utf8').replace(/\/\*[\s\S]*?\*\/|\/\/[^\n]*/g, '');
    const named = files.filter((f) => /['"`](DB_PWD|DB_USER|S3_ACCESS_KEY_ID|S3_SECRET_ACCESS_KEY|AWS_SECRET_ACCESS_KEY|AWS_REGION)['"`]/.test(code(f)));
    expect(named.map((f) => f.slice(REPO.length + 1))).toEqual([]);
  });
});
