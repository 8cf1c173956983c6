import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildNeeded, newestInput, writeBuildStamp } from './bootstrap.mjs';

describe('buildNeeded (start builds nothing when nothing changed)', () => {
  let base: string;
  let stamp: string;
  const past = new Date(Date.now() - 60_000);
  const now = new Date(Date.now() + 60_000); // later than any build a case records

  /** Writes a file dated `past` (as its folders are), so only what a case touches is newer. */
  function file(path: string): string {
    const full = join(base, path);
    mkdirSync(join(full, '..'), { recursive: true });
    writeFileSync(full, 'x');
    utimesSync(full, past, past);
    return full;
  }
  function ageFolders(...paths: string[]): void {
    for (const p of paths) utimesSync(join(base, p), past, past);
  }

  beforeEach(() => {
    base = mkdtempSync(join(tmpdir(), 'bootstrap-'));
    file('packages/a/src/x.ts');
    file('packages/a/package.json');
    file('packages/a/dist/x.js');
    file('tsconfig.base.json');
    stamp = join(base, 'stamp');
    ageFolders('packages/a/src', 'packages/a/dist', 'packages/a', 'packages');
    writeBuildStamp(newestInput(base), stamp); // what a build starting now would record
  });
  afterEach(() => rmSync(base, { recursive: true, force: true }));

  it('is true with no stamp or a garbled one, false when no input changed since the build began', () => {
    expect(buildNeeded(base, join(base, 'missing'))).toBe(true);
    writeFileSync(join(base, 'garbled'), 'x');
    expect(buildNeeded(base, join(base, 'garbled'))).toBe(true);
    expect(buildNeeded(base, stamp)).toBe(false);
  });

  it('is true after a source, a package file or a root config changes', () => {
    for (const path of ['packages/a/src/x.ts', 'packages/a/package.json', 'tsconfig.base.json']) {
      utimesSync(join(base, path), now, now);
      expect(buildNeeded(base, stamp), path).toBe(true);
      utimesSync(join(base, path), past, past);
      expect(buildNeeded(base, stamp)).toBe(false);
    }
  });

  it('is true after a source is deleted (its folder changed)', () => {
    rmSync(join(base, 'packages/a/src/x.ts'));
    expect(buildNeeded(base, stamp)).toBe(true);
  });

  it('ignores the outputs and node_modules', () => {
    utimesSync(join(base, 'packages/a/dist/x.js'), now, now);
    writeFileSync(join(base, 'packages/a/dist/y.js'), 'y');
    mkdirSync(join(base, 'packages/a/node_modules'));
    ageFolders('packages/a/dist', 'packages/a');
    expect(buildNeeded(base, stamp)).toBe(false);
  });
});
