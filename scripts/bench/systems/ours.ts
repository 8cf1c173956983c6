/**
 * Ours: the launcher's system (ranking server, N clients, nginx) on a board preloaded by writing a
 * snapshot file straight into the data folder — the bulk path, which also measures start-up.
 */
import type { FsyncPolicy } from '@scoreboard/config';
import { RecordType, SNAPSHOT_FILE, writeSnapshot, type LogRecord } from '@scoreboard/ranking-server';
import { startCluster } from '@scoreboard/tests/harness';
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { childPids } from '../wrk.js';
import type { System } from './system.js';

/** O(users). Writes a snapshot of `users` users (ids 0 … users-1) with random totals. */
export async function preloadSnapshot(dataDir: string, users: number): Promise<void> {
  mkdirSync(dataDir, { recursive: true });
  let i = 0;
  let seed = 42;
  const records: Iterator<LogRecord> = {
    next: () => {
      if (i >= users) return { done: true, value: undefined };
      seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
      i++;
      return {
        done: false,
        value: { type: RecordType.Set, user: i - 1, total: seed % 1_000_001, seq: i, at: 0 },
      };
    },
  };
  await writeSnapshot(dataDir, 1, { records, nextSeq: () => users + 1 }, 100_000);
  if (!readdirSync(dataDir).includes(SNAPSHOT_FILE)) throw new Error('snapshot not written');
}

/** Starts ours with `clients` clients on a board of `users`, under an fsync policy. */
export async function startOurs(
  clients: number,
  users: number,
  fsync: FsyncPolicy = 'always',
): Promise<System> {
  const runDir = mkdtempSync(join(tmpdir(), 'scoreboard-bench-'));
  await preloadSnapshot(join(runDir, 'data'), users);
  const cluster = await startCluster({ clients, nginx: true, runDir, env: { FSYNC: fsync } });
  const c = cluster.launcher.children;
  return {
    url: cluster.endpoints.url,
    startupMs: c.server!.readyMs!,
    pids: () => ({
      'ranking server': [c.server!.pid!],
      clients: c.clients.map((x) => x.pid!),
      nginx: [c.nginx!.pid!, ...childPids(c.nginx!.pid!)],
    }),
    stop: async () => {
      await cluster.stop();
      rmSync(runDir, { recursive: true, force: true });
    },
  };
}
