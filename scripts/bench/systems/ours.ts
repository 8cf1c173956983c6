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
import { BENCH_COUNTRIES, PRODUCT_BOARD } from '../workloads/index.js';
import { childPids } from '../wrk.js';
import type { System } from './system.js';

/**
 * O(users). Writes a snapshot of `users` users (ids 0 … users-1) with random totals on the default
 * board; with `product`, also a profile per user (a name and a country) and the same users on the
 * board the product workloads use.
 */
export async function preloadSnapshot(dataDir: string, users: number, product = false): Promise<void> {
  mkdirSync(dataDir, { recursive: true });
  let seq = 0;
  function* records(): Generator<LogRecord> {
    if (product) {
      for (let u = 0; u < users; u++) {
        const country = BENCH_COUNTRIES[u % BENCH_COUNTRIES.length]!;
        yield {
          type: RecordType.Profile,
          at: 0,
          user: u,
          profile: { name: `player ${u}`, country, metadata: null },
        };
      }
    }
    for (const board of product ? ['default', PRODUCT_BOARD] : ['default']) {
      yield {
        type: RecordType.Board,
        at: 0,
        board,
        config: { order: 'desc', operator: 'set', min: null, max: null },
      };
      let seed = 42;
      for (let u = 0; u < users; u++) {
        seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
        yield { type: RecordType.Score, at: 0, board, user: u, total: seed % 1_000_001, seq: ++seq };
      }
    }
  }
  await writeSnapshot(dataDir, 1, { records: records(), nextSeq: () => seq + 1 }, 100_000);
  if (!readdirSync(dataDir).includes(SNAPSHOT_FILE)) throw new Error('snapshot not written');
}

/** Starts ours with `clients` clients on a board of `users`, under an fsync policy (`product`: see preloadSnapshot). */
export async function startOurs(
  clients: number,
  users: number,
  fsync: FsyncPolicy = 'always',
  product = false,
): Promise<System> {
  const runDir = mkdtempSync(join(tmpdir(), 'scoreboard-bench-'));
  await preloadSnapshot(join(runDir, 'data'), users, product);
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
