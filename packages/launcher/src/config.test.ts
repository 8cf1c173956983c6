import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { launcherSettings, loadLauncherConfig } from './config.js';

describe('launcher settings', () => {
  it('are all in the README settings table, with their flags and defaults', () => {
    const readme = readFileSync(resolve(import.meta.dirname, '../../../README.md'), 'utf8');
    for (const s of Object.values(launcherSettings)) {
      const row = new RegExp(
        `^\\|\\s*\`${s.env}\`\\s*\\|\\s*\`--${s.flag}\`\\s*\\|\\s*\`([^\`]*)\``,
        'm',
      ).exec(readme);
      expect(row, `${s.env} in the README`).not.toBeNull();
      const shown = row![1]!;
      const expected = typeof s.default === 'boolean' ? (s.default ? '1' : '0') : String(s.default);
      expect(shown, s.env).toBe(expected);
    }
  });

  it('refuses a base port whose last client would pass 65535, naming BASE_PORT', () => {
    expect(() => loadLauncherConfig([], { BASE_PORT: '65535', CLIENTS: '2' })).toThrow(/BASE_PORT/);
    expect(loadLauncherConfig([], { BASE_PORT: '65534', CLIENTS: '2' }).basePort).toBe(65534);
  });
});
