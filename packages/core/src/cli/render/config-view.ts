import { BigraysConfig, configSource, envName } from '../../config/config.js';
import type { ConfigKey } from '../../config/config-keys.js';
import { MASK, displayValue } from '../../config/secrets.js';
import { palette, table } from './format.js';

/**
 * `bigrays config`: every key the resources declare (`static configKeys`),
 * then any other set key, its source, its value with secrets masked.
 */
export function renderConfig(color: boolean, declared: readonly ConfigKey[]): string {
  const c = palette(color);
  const known = new Set(declared.map((k) => k.name));
  const others = Object.keys(BigraysConfig).filter((k) => !known.has(k)).sort();
  const rows = [
    ['key', 'environment variable', 'source', 'value', 'used by'].map(c.dim),
    ...[...declared, ...others.map((name): ConfigKey => ({ name, description: '(your resources)' }))].map(({ name, description, secret }) => {
      const source = configSource(name);
      const value = BigraysConfig[name];
      const shown = value ? (secret ? MASK : displayValue(name, value)) : '-';
      return [name, envName(name), source === 'unset' ? c.dim('unset') : source, shown, description];
    }),
  ];
  return `${c.bold('Configuration')} (BIGRAYS_* environment variables; assignments to BigraysConfig in a job win)\n${table(rows)}`;
}
