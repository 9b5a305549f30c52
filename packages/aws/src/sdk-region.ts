/**
 * The region the AWS SDK would find by itself, read without loading the SDK
 * (planning stays fast): `AWS_REGION` in the environment, else the `region`
 * of the active profile (`AWS_PROFILE`, default `default`) in the shared
 * config file (`AWS_CONFIG_FILE`, default `~/.aws/config`). Used when
 * `BIGRAYS_AWS_REGION` is unset, as the original's boto3 clients did.
 *
 * @module
 */
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** The SDK chain's region, or undefined when the SDK would find none. */
export function sdkChainRegion(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const fromEnv = env.AWS_REGION?.trim();
  if (fromEnv) return fromEnv;
  const profile = env.AWS_PROFILE?.trim() || 'default';
  let text: string;
  try {
    text = readFileSync(env.AWS_CONFIG_FILE?.trim() || join(homedir(), '.aws', 'config'), 'utf8');
  } catch {
    return undefined;
  }
  const wanted = profile === 'default' ? ['default', 'profile default'] : [`profile ${profile}`];
  let inProfile = false;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.replace(/[#;].*$/, '').trim();
    const section = /^\[\s*(.+?)\s*\]$/.exec(line);
    if (section) {
      inProfile = wanted.includes(section[1]!.replace(/\s+/g, ' '));
      continue;
    }
    const setting = /^region\s*=\s*(\S+)$/.exec(line);
    if (inProfile && setting) return setting[1];
  }
  return undefined;
}
