/**
 * The shard sweep: `PUT /boards/:board/scores` with random totals for random users on random
 * boards of BOARDS, through nginx and `clients` clients, with each shard count of `--sweep-shards`
 * (ranking servers on this one machine). The systems are up together and take turns. What it
 * shows is where the next bottleneck is: if throughput does not grow with shards, the shards were
 * not it.
 */
import { http, startCluster } from '@scoreboard/tests/harness';
import type { BenchOptions } from './options.js';
import type { System } from './systems/system.js';
import { inTurns } from './turns.js';
import { putHeaders, seedLua, type Workload } from './workloads/workload.js';
import { childPids, runWrk, type Result, type WrkRun } from './wrk.js';

/** Boards the writes are spread over. */
export const SWEEP_BOARDS = 64;

const boardWrites: Workload = {
  name: 'PUT /boards/:board/scores (64 boards)',
  lua: (n) => `${seedLua}${putHeaders}request = function()
  return wrk.format(nil, "/boards/s" .. math.random(0, ${SWEEP_BOARDS - 1}) .. "/scores", nil, '{"user":' .. math.random(0, ${n - 1}) .. ',"total":' .. math.random(0, 1000000) .. '}')
end\n`,
};

/** One shard count's figures. */
export interface ShardRow {
  shards: number;
  rps: number;
  p99ms: number;
  /** CPU % of one core per role, summed over the processes of the role. */
  cpu: Record<string, number>;
}

async function startSharded(clients: number, shards: number): Promise<System> {
  const cluster = await startCluster({ clients, nginx: true, shards, requestTimeoutMs: 5000 });
  for (let b = 0; b < SWEEP_BOARDS; b++) {
    const r = await http(`${cluster.endpoints.url}/boards/s${b}`, { method: 'PUT', body: {} });
    if (r.status !== 201) throw new Error(`board s${b}: ${r.status}`);
  }
  const c = cluster.launcher.children;
  return {
    url: cluster.endpoints.url,
    pids: () => ({
      'ranking servers': c.shards.map((s) => s.pid!),
      clients: c.clients.map((x) => x.pid!),
      nginx: [c.nginx!.pid!, ...childPids(c.nginx!.pid!)],
    }),
    stop: () => cluster.stop(),
  };
}

/** Runs the sweep; answers a row per shard count and prints each as it comes. */
export async function shardSweep(
  o: BenchOptions,
  run: WrkRun,
  say: (line: string) => void,
): Promise<ShardRow[]> {
  const users = Math.min(o.users, 100_000);
  say(
    `shard sweep: ${o.sweepShards.join(', ')} shards, ${o.clients} clients, ${SWEEP_BOARDS} boards, ${users} users`,
  );
  const systems: Record<string, System> = {};
  for (const n of o.sweepShards) systems[String(n)] = await startSharded(o.clients, n);
  let results: Record<string, Result>;
  try {
    results = inTurns(systems, o.rounds, (sys) => runWrk(sys.url, boardWrites, users, sys.pids(), run));
  } finally {
    for (const sys of Object.values(systems)) await sys.stop();
  }
  return o.sweepShards.map((n) => {
    const r = results[String(n)]!;
    const row = { shards: n, rps: r.rps, p99ms: r.p99ms, cpu: r.cpu };
    const cpu = Object.entries(r.cpu)
      .map(([role, pct]) => `${role} ${pct}%`)
      .join(', ');
    say(
      `shards ${n}: ${Math.round(r.rps)} req/s (rounds ${r.rounds.map(Math.round).join(', ')}), p99 ${r.p99ms.toFixed(2)} ms; CPU ${cpu}`,
    );
    return row;
  });
}
