import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { Supervised, type Backoff } from './supervisor.js';

/** A child that says it is ready, then exits 1 after `lifeMs` (read from its environment). */
const dir = mkdtempSync(join(tmpdir(), 'scoreboard-supervisor-'));
const CRASHER = join(dir, 'crasher.mjs');
writeFileSync(
  CRASHER,
  "process.send({ type: 'ready' });\nsetTimeout(() => process.exit(1), Number(process.env.LIFE_MS));\n",
);

/** A supervisor whose restart warnings are collected as they are logged. */
function crasher(lifeMs: number, backoff: Backoff) {
  const delays: number[] = [];
  const logger = pino(
    { level: 'warn' },
    {
      write: (line: string) => {
        const entry = JSON.parse(line) as { restartInMs?: number };
        if (entry.restartInMs !== undefined) delays.push(entry.restartInMs);
      },
    },
  );
  const child = new Supervised(
    {
      name: 'crasher',
      command: process.execPath,
      args: [CRASHER],
      env: { ...process.env, LIFE_MS: String(lifeMs) },
      ipc: true,
      backoff,
    },
    logger,
  );
  return { child, delays };
}

const waitUntil = async (check: () => boolean, ms: number): Promise<void> => {
  const until = Date.now() + ms;
  while (!check()) {
    if (Date.now() > until) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
};

describe('Supervised restarts', () => {
  let running: Supervised | undefined;
  afterEach(async () => {
    await running?.stop();
    running = undefined;
  });

  it('doubles the delay after each crash in a row, up to the maximum', async () => {
    const { child, delays } = crasher(10, { minMs: 20, maxMs: 80, stableAfterMs: 60_000 });
    running = child;
    await child.start();
    await waitUntil(() => delays.length >= 5, 15_000);
    expect(delays.slice(0, 5)).toEqual([20, 40, 80, 80, 80]);
    expect(child.restartCount).toBeGreaterThanOrEqual(5);
  });

  it('forgives a child that ran long enough before it crashed', async () => {
    const { child, delays } = crasher(300, { minMs: 20, maxMs: 1000, stableAfterMs: 150 });
    running = child;
    await child.start();
    await waitUntil(() => delays.length >= 3, 15_000);
    expect(delays.slice(0, 3)).toEqual([20, 20, 20]);
  });

  it('does not restart a child that was stopped', async () => {
    const { child, delays } = crasher(60_000, { minMs: 20, maxMs: 80, stableAfterMs: 60_000 });
    await child.start();
    await child.stop();
    await new Promise((r) => setTimeout(r, 200));
    expect(delays).toEqual([]);
    expect(child.lastExit?.signal).toBe('SIGTERM');
  });
});
