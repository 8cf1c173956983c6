/**
 * Ours: the launcher's system (ranking server, N clients, nginx) on a board preloaded by writing a
 * snapshot file straight into the data folder — the bulk path, which also measures start-up.
 */
import { settingsEnv, type FsyncPolicy } from '@scoreboard/config';
import { RANKING_SERVER_MAIN, Supervised } from '@scoreboard/launcher';
import {
  RecordType,
  SNAPSHOT_FILE,
  rankingServerSettings,
  writeSnapshot,
  type LogRecord,
  type RankingServerConfig,
} from '@scoreboard/ranking-server';
import { startCluster, type Cluster } from '@scoreboard/tests/harness';
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { BENCH_COUNTRIES, PRODUCT_BOARD } from '../workloads/index.js';
import { childPids } from '../wrk.js';
import type { System } from './system.js';
import { randomInt, seededRandom } from '@scoreboard/random';

const MAX_TOTAL = 1_000_000;
const USER_BITS = 2 ** 25;

/**
 * O(users log users). Writes a snapshot of `users` users (ids 0 … users-1) with random totals on the default
 * board; with `product`, also a profile per user (a name and a country) and the same users on the
 * board the product workloads use.
 */
export async function preloadSnapshot(dataDir: string, users: number, product = false): Promise<void> {
  mkdirSync(dataDir, { recursive: true });
  if (users > USER_BITS) throw new RangeError(`at most ${USER_BITS} users`);
  // Random totals; each user's key (total descending, then user) packed in one number to sort.
  const order = new Float64Array(users);
  const random = seededRandom(42);
  for (let u = 0; u < users; u++) order[u] = (MAX_TOTAL - randomInt(random, 0, MAX_TOTAL)) * USER_BITS + u;
  order.sort();
  let seq = 0;
  // Runs of profiles and of entries in rank order, as the ranking server writes its own snapshots.
  const RUN = 4096;
  function* records(): Generator<LogRecord> {
    if (product) {
      for (let from = 0; from < users; from += RUN) {
        const ids = Array.from({ length: Math.min(RUN, users - from) }, (_, i) => from + i);
        const profiles = ids.map((u) => ({
          name: `player ${u}`,
          country: BENCH_COUNTRIES[u % BENCH_COUNTRIES.length]!,
          metadata: null,
        }));
        yield { type: RecordType.Profiles, run: { users: ids, profiles } };
      }
    }
    for (const board of product ? ['default', PRODUCT_BOARD] : ['default']) {
      yield {
        type: RecordType.Board,
        at: 0,
        board,
        config: { order: 'desc', operator: 'set', min: null, max: null },
      };
      for (let from = 0; from < users; from += RUN) {
        const n = Math.min(RUN, users - from);
        const run = {
          users: [] as number[],
          totals: new Float64Array(n),
          seqs: new Float64Array(n),
          resultCounts: new Uint16Array(n),
          results: new Float64Array(0),
        };
        for (let i = 0; i < n; i++) {
          const key = order[from + i]!;
          const u = key % USER_BITS;
          run.users.push(u);
          run.totals[i] = MAX_TOTAL - (key - u) / USER_BITS;
          run.seqs[i] = seq + u + 1;
        }
        yield { type: RecordType.Entries, board, run };
      }
      seq += users;
    }
  }
  // The size hints the ranking server's own snapshots carry in their header.
  const boards = Object.fromEntries(
    (product ? ['default', PRODUCT_BOARD] : ['default']).map((b) => [b, users]),
  );
  const state = () => ({ sizes: { players: users, ids: users, boards } });
  await writeSnapshot(dataDir, 1, { records: records(), nextSeq: () => seq + 1, state }, 100_000);
  if (!readdirSync(dataDir).includes(SNAPSHOT_FILE)) throw new Error('snapshot not written');
}

/**
 * O(1). A ranking server process (not started) on `port` and `port + 1` (its change notices), no
 * metrics listener, logging warnings, with `settings` over that; ready timeout long enough for
 * the largest board to load.
 */
export function rankingServerProcess(
  port: number,
  settings: Partial<RankingServerConfig>,
  logger: Logger,
): Supervised {
  return new Supervised(
    {
      name: 'ranking-server',
      command: process.execPath,
      args: [RANKING_SERVER_MAIN],
      env: {
        ...process.env,
        ...settingsEnv(rankingServerSettings, {
          logLevel: 'warn',
          endpoint: `tcp://127.0.0.1:${port}`,
          eventsEndpoint: `tcp://127.0.0.1:${port + 1}`,
          metricsPort: 0,
          ...settings,
        }),
      },
      ipc: true,
      readyTimeoutMs: 600_000,
    },
    logger,
  );
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

/** Ours with standbys: the launcher's cluster as well, to find and kill its members. */
export interface ReplicatedSystem extends System {
  cluster: Cluster;
}

/**
 * Starts ours with `replicas` standbys per shard (0: none, no etcd) under REPLICATION=`mode`,
 * FSYNC=always, on a board of `users` (the standby receives it from the primary as a snapshot).
 */
export async function startReplicated(
  clients: number,
  users: number,
  replicas: number,
  mode: 'sync' | 'async',
): Promise<ReplicatedSystem> {
  const runDir = mkdtempSync(join(tmpdir(), 'scoreboard-bench-'));
  await preloadSnapshot(join(runDir, 'data'), users);
  const cluster = await startCluster({
    clients,
    nginx: true,
    runDir,
    replicas,
    env: { FSYNC: 'always', ...(replicas > 0 ? { REPLICATION: mode } : {}) },
  });
  const c = cluster.launcher.children;
  return {
    url: cluster.endpoints.url,
    cluster,
    pids: () => ({
      members: [...c.shards, ...c.standbys].map((m) => m.pid!).filter(Boolean),
      clients: c.clients.map((x) => x.pid!),
      nginx: [c.nginx!.pid!, ...childPids(c.nginx!.pid!)],
      ...(c.etcd?.pid ? { etcd: [c.etcd.pid] } : {}),
    }),
    stop: async () => {
      await cluster.stop();
      rmSync(runDir, { recursive: true, force: true });
    },
  };
}
