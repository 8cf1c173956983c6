/**
 * The replication section of `pnpm bench` (`--replication` runs it alone): what standbys cost and
 * how fast they take over and catch up, on this machine (every member on its one disk).
 *
 * - Durable writes (`PUT /score` `"+n"`, FSYNC=always): REPLICAS=0, REPLICAS=1 async and
 *   REPLICAS=1 sync up together and taking turns, with the CPU µs per request of each role.
 * - Failover: on the sync system, whoever is primary is killed with SIGKILL, K times; each time
 *   the time from the kill to the first write acknowledged after it (a probe writing in a loop),
 *   then the killed member is let back and caught up before the next kill. Median and max.
 * - Catch-up: on the async system the standby is paused (SIGSTOP) while wrk writes for a few
 *   seconds; then resumed: the records it was behind over the time until its lag is 0.
 */
import { findEtcd } from '@scoreboard/launcher';
import { http } from '@scoreboard/tests/harness';
import { inStep, processAt, shardZero } from '@scoreboard/tests/members';
import { startReplicated, type ReplicatedSystem } from './systems/ours.js';
import { inTurns, median } from './turns.js';
import { putRelative } from './workloads/index.js';
import { runWrk, type Result, type WrkRun } from './wrk.js';

/** What the section found. */
export interface ReplicationReport {
  users: number;
  connections: number;
  /** Durable PUT by setup: `none` (REPLICAS=0), `async`, `sync`. */
  writes: Record<string, Result>;
  /** Milliseconds from each kill of the primary to the next acknowledged write. */
  failoverMs: number[];
  failoverMedianMs: number;
  failoverMaxMs: number;
  /** Records the paused standby was behind, and how long it took to reach lag 0. */
  catchUp: { records: number; ms: number; recordsPerSecond: number };
}

/** How long and how much. */
export interface ReplicationOptions {
  rounds: number;
  run: WrkRun;
  users: number;
  clients: number;
  kills: number;
  say: (line: string) => void;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Writes in 8 concurrent loops (each request given up after 1 s) until one write is acknowledged;
 * answers when (ms since epoch). Several loops, so a request stuck on the dead primary does not
 * hide the moment writes work again.
 */
async function nextAck(url: string, user: string): Promise<number> {
  let done = 0;
  const loop = async (): Promise<void> => {
    while (done === 0) {
      try {
        const r = await fetch(`${url}/score`, {
          method: 'PUT',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ user, score: '+1' }),
          signal: AbortSignal.timeout(1000),
        });
        if (r.status === 200 && done === 0) done = Date.now();
      } catch {
        // timed out: the primary is gone or fenced
      }
      if (done === 0) await sleep(5);
    }
  };
  await Promise.all(Array.from({ length: 8 }, (_, i) => sleep(i * 10).then(loop)));
  return done;
}

/** Kills the primary `kills` times; answers each kill's time to the next acknowledged write. */
async function failovers(sys: ReplicatedSystem, kills: number, say: (l: string) => void): Promise<number[]> {
  const times: number[] = [];
  for (let k = 0; k < kills; k++) {
    const step = await inStep(sys.url, 60_000);
    await nextAck(sys.url, 'failover-probe');
    const victim = processAt(sys.cluster, step.primary.endpoint);
    const at = Date.now();
    process.kill(victim.pid!, 'SIGKILL');
    const ms = (await nextAck(sys.url, 'failover-probe')) - at;
    times.push(ms);
    say(`failover ${k + 1}/${kills}: the first write acknowledged ${ms} ms after kill -9 of the primary`);
  }
  return times;
}

/** Pauses the standby while wrk writes, resumes it, and times its catching up. */
async function catchUp(sys: ReplicatedSystem, o: ReplicationOptions): Promise<ReplicationReport['catchUp']> {
  const step = await inStep(sys.url, 60_000);
  const standby = processAt(sys.cluster, step.standby.endpoint);
  // Under 5 s: a standby silent longer is dropped by its primary and starts over from a snapshot.
  const seconds = Math.min(3, o.run.seconds);
  process.kill(standby.pid!, 'SIGSTOP');
  let records = 0;
  try {
    runWrk(sys.url, putRelative, o.users, {}, { ...o.run, seconds });
    const shard = await shardZero(sys.url);
    records = shard?.members.find((m) => m.endpoint === step.standby.endpoint)?.lag ?? 0;
  } finally {
    process.kill(standby.pid!, 'SIGCONT');
  }
  const from = Date.now();
  for (;;) {
    const shard = await shardZero(sys.url);
    const lag = shard?.members.find((m) => m.endpoint === step.standby.endpoint)?.lag;
    if (lag === 0) break;
    if (Date.now() - from > 60_000) throw new Error('the standby did not catch up within 60 s');
    await sleep(10);
  }
  const ms = Date.now() - from;
  o.say(`catch-up: ${records} records behind, in step ${ms} ms after it resumed`);
  return { records, ms, recordsPerSecond: ms > 0 ? Math.round((records * 1000) / ms) : records };
}

/** Runs the section; undefined (said why) when etcd is not installed. */
export async function replicationBench(o: ReplicationOptions): Promise<ReplicationReport | undefined> {
  if (!findEtcd()) {
    o.say('replication: etcd is not installed (Debian: apt-get install etcd-server); left out');
    return undefined;
  }
  o.say(
    `replication: ${o.users} users, FSYNC=always; ${o.rounds} rounds of wrk -t2 -c${o.run.connections} -d${o.run.seconds}s PUT per setup, taking turns`,
  );
  const systems = {
    none: await startReplicated(o.clients, o.users, 0, 'sync'),
    async: await startReplicated(o.clients, o.users, 1, 'async'),
    sync: await startReplicated(o.clients, o.users, 1, 'sync'),
  };
  try {
    for (const sys of Object.values(systems)) await http(`${sys.url}/top/1`);
    const writes = inTurns(systems, o.rounds, (sys) =>
      runWrk(sys.url, putRelative, o.users, sys.pids(), o.run),
    );
    for (const [name, r] of Object.entries(writes)) {
      o.say(
        `${name.padEnd(5)} ${r.rps.toFixed(0)} PUT/s (${(r.rps / writes['none']!.rps).toFixed(2)}×)  p99 ${r.p99ms.toFixed(1)} ms  CPU µs/request ${JSON.stringify(r.cpuUs)}`,
      );
    }
    const failoverMs = await failovers(systems.sync, o.kills, o.say);
    const caught = await catchUp(systems.async, o);
    return {
      users: o.users,
      connections: o.run.connections,
      writes,
      failoverMs,
      failoverMedianMs: median(failoverMs),
      failoverMaxMs: Math.max(...failoverMs),
      catchUp: caught,
    };
  } finally {
    for (const sys of Object.values(systems)) await sys.stop();
  }
}

/** O(1). The section as Markdown lines. */
export function renderReplication(r: ReplicationReport): string[] {
  const row = (name: string, label: string) => {
    const w = r.writes[name]!;
    const members = (w.cpuUs['members'] ?? w.cpuUs['ranking server'] ?? 0).toFixed(0);
    return `| ${label} | ${w.rps.toFixed(0)} | ${(w.rps / r.writes['none']!.rps).toFixed(2)}× | ${w.p99ms.toFixed(1)} | ${members} | ${(w.cpuUs['clients'] ?? 0).toFixed(0)} |`;
  };
  return [
    `Replication (${r.users} users, FSYNC=always, wrk -c${r.connections}, PUT "+n"; every member on this machine's one disk)`,
    '',
    '| setup | PUT/s | vs REPLICAS=0 | p99 ms | members CPU µs/req | clients CPU µs/req |',
    '| --- | --- | --- | --- | --- | --- |',
    row('none', 'REPLICAS=0'),
    row('async', 'REPLICAS=1 async'),
    row('sync', 'REPLICAS=1 sync'),
    '',
    `Failover over ${r.failoverMs.length} kills of the primary (sync; kill -9 to the next acknowledged write): median ${r.failoverMedianMs} ms, max ${r.failoverMaxMs} ms (${r.failoverMs.join(', ')})`,
    `Catch-up: a standby ${r.catchUp.records} records behind was in step ${r.catchUp.ms} ms after it resumed (${r.catchUp.recordsPerSecond} records/s)`,
  ];
}
