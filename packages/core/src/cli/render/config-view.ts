import { BigraysConfig, configSource, envName } from '../../config/config.js';
import { KNOWN_CONFIG_KEYS } from '../../config/known-keys.js';
import { displayValue } from '../../config/secrets.js';
import { palette, table } from './format.js';

/** `bigrays config`: every known key (and any other set key), its source, its value with secrets masked. */
export function renderConfig(color: boolean): string {
  const c = palette(color);
  const known = new Set(KNOWN_CONFIG_KEYS.map((k) => k.key));
  const others = Object.keys(BigraysConfig).filter((k) => !known.has(k)).sort();
  const rows = [
    ['key', 'environment variable', 'source', 'value', 'used by'].map(c.dim),
    ...[...KNOWN_CONFIG_KEYS.map((k) => ({ key: k.key, usedBy: k.usedBy })), ...others.map((key) => ({ key, usedBy: '(your resources)' }))].map(({ key, usedBy }) => {
      const source = configSource(key);
      const value = BigraysConfig[key];
      return [key, envName(key), source === 'unset' ? c.dim('unset') : source, value ? displayValue(key, value) : '-', usedBy];
    }),
  ];
  return `${c.bold('Configuration')} (BIGRAYS_* environment variables; assignments to BigraysConfig in a job win)\n${table(rows)}`;
}
