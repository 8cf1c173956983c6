/**
 * `pnpm bench`: the scoreboard against a Redis-backed peer and a constant-answer ceiling, through
 * the same nginx, in one run.
 *
 * First the CPU budget (budget.ts): CPU µs per request of each process kind, both systems, and
 * the targets with met / not met. *
 * For each system it starts N processes behind nginx (systems/), preloads the board, and drives
 * each workload (workloads/) with wrk for a bounded time (wrk.ts). The systems compared are up
 * together and take turns, round after round (turns.ts), so the noise of this shared machine lands
 * on all of them. It prints the main table with ours/peer and ours/ceiling, a durability table
 * (ours beside Redis's AOF under the same fsync policy, full speed and paced at half speed:
 * pacing.ts), and writes JSON, Markdown and an SVG chart (throughput against clients and against
 * board size). Options: options.ts.
 */
import { FSYNC_POLICIES } from '@scoreboard/config';
import { findNginx } from '@scoreboard/launcher';
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BUDGET_USERS, budgetBars, budgetTargets, cpuBudget, renderBudget, renderTargets } from './budget.js';
import { renderChart } from './chart.js';
import { fsyncProbe } from './fsync-probe.js';
import { readOptions } from './options.js';
import { renderReplication, replicationBench } from './replication.js';
import { asPaced, pacedRun, type Paced } from './pacing.js';
import {
  fmt,
  renderDurability,
  renderFlood,
  renderProductTable,
  renderTable,
  type DurabilityRow,
} from './report.js';
import { shardSweep } from './shard-sweep.js';
import { startCeiling } from './systems/ceiling.js';
import { startOurs } from './systems/ours.js';
import { startPeer } from './systems/peer.js';
import type { System } from './systems/system.js';
import { inTurns } from './turns.js';
import { batchOf, putRelative } from './workloads/index.js';
import { runWrk, type Result } from './wrk.js';

const o = readOptions();
const say = (line: string): void => void process.stderr.write(`[bench] ${line}\n`);
const run = { seconds: o.seconds, connections: o.connections };
const turns = (systems: Record<string, System>, measure: (sys: System) => Result) =>
  inTurns(systems, o.rounds, measure);
const stopAll = async (systems: Record<string, System>): Promise<void> => {
  for (const sys of Object.values(systems)) await sys.stop();
};

for (const tool of ['wrk', 'redis-server']) {
  try {
    execFileSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' });
  } catch {
    process.stderr.write(
      `bench: ${tool} is not installed (Debian: apt-get install wrk redis-server nginx)\n`,
    );
    process.exit(2);
  }
}
if (!findNginx()) {
  process.stderr.write('bench: nginx is not installed (Debian: apt-get install nginx)\n');
  process.exit(2);
}

const report: Record<string, unknown> = {
  date: new Date().toISOString(),
  machine: {
    cpus: execFileSync('nproc').toString().trim(),
    node: process.version,
    kernel: execFileSync('uname', ['-r']).toString().trim(),
  },
  settings: {
    seconds: o.seconds,
    users: o.users,
    clients: o.clients,
    connections: o.connections,
    smoke: o.smoke,
  },
};

// ---------------------------------------------------------------- replication
// Standbys: durable writes with REPLICAS=0 / async / sync taking turns, failover over K kills,
// catch-up rate. `--replication` runs it alone; the full run has it at the end.
const replicationSection = async (): Promise<string[]> => {
  const r = await replicationBench({
    rounds: o.rounds,
    run: o.smoke ? run : { seconds: o.seconds, connections: o.connections },
    users: o.smoke ? o.users : 100_000,
    clients: o.clients,
    kills: o.kills,
    say,
  });
  if (!r) return [];
  report['replication'] = r;
  return renderReplication(r);
};
if (o.replication) {
  const lines = await replicationSection();
  process.stdout.write(`\n${lines.join('\n')}\n\n`);
  process.exit(0);
}

// ---------------------------------------------------------------- the CPU budget
// CPU µs per request of every process kind, ours beside the peer, and the issue-23 targets.
// `--quick` leaves it out.
const budget = o.quick
  ? undefined
  : (say(`CPU budget: ${BUDGET_USERS} users, ${o.clients} clients, ${o.rounds} rounds per workload`),
    await cpuBudget(o.rounds, run, o.clients, say, o.smoke ? o.users : BUDGET_USERS));
const budgetLines = budget ? [...renderBudget(budget), '', ...renderTargets(budgetTargets(budget))] : [];
if (budget) report['budget'] = { ...budget, targets: budgetTargets(budget) };
if (o.budget) {
  process.stdout.write(`\n${budgetLines.join('\n')}\n\n`);
  process.exit(0);
}

// ---------------------------------------------------------------- the main table
say(
  `main table: ${o.users} users, ${o.clients} clients; per workload, ${o.rounds} rounds of wrk -t2 -c${o.connections} -d${o.seconds}s with the systems taking turns`,
);
const table: Record<string, Record<string, Result>> = {};
if (o.workloads.length > 0) {
  const systems: Record<string, System> = {
    ours: await startOurs(o.clients, o.users),
    peer: await startPeer(o.clients, o.users),
    ceiling: await startCeiling(o.clients),
  };
  const startupMs = systems['ours']!.startupMs!;
  report['startupMs'] = { users: o.users, ms: startupMs };
  say(`ours: ranking server loaded ${o.users} users and was ready in ${startupMs} ms`);
  for (const w of o.workloads) {
    const row = (table[w.name] = turns(systems, (sys) => runWrk(sys.url, w, o.users, sys.pids(), run)));
    for (const [name, r] of Object.entries(row)) {
      say(
        `${name.padEnd(8)} ${w.name.padEnd(16)} ${fmt(r.rps)} req/s (rounds ${r.rounds.map((x) => fmt(x)).join(', ')})  p50 ${fmt(r.p50ms, 2)} ms  p99 ${fmt(r.p99ms, 2)} ms  non-2xx ${r.non2xx}`,
      );
    }
  }
  await stopAll(systems);
}
report['table'] = table;

// ---------------------------------------------------------------- a flood
// Ten times more connections than the machine serves well: how much of the throughput at the
// table's load survives as successful answers (goodput), and the latency of what is answered,
// ours beside the peer behind the same nginx (which sheds what it cannot pass with 503s).
const flood: Record<string, { calm: Result; flood: Result }> = {};
if (o.workloads.length > 0 && !o.smoke) {
  const floodConnections = 3000;
  const systems: Record<string, System> = {
    ours: await startOurs(o.clients, o.users),
    peer: await startPeer(o.clients, o.users),
  };
  const calm = turns(systems, (sys) => runWrk(sys.url, putRelative, o.users, sys.pids(), run));
  const storm = turns(systems, (sys) =>
    runWrk(sys.url, putRelative, o.users, sys.pids(), { seconds: o.seconds, connections: floodConnections }),
  );
  await stopAll(systems);
  for (const name of Object.keys(systems)) {
    flood[name] = { calm: calm[name]!, flood: storm[name]! };
    say(
      `flood ${name.padEnd(5)} ${floodConnections} connections: goodput ${fmt(storm[name]!.goodput)}/s of ${fmt(calm[name]!.goodput)}/s at ${o.connections} (${fmt((100 * storm[name]!.goodput) / calm[name]!.goodput)} %), p99 ${fmt(storm[name]!.p99ms, 2)} ms, non-2xx ${storm[name]!.non2xx}, socket errors ${storm[name]!.errors}`,
    );
  }
}
report['flood'] = flood;

// ---------------------------------------------------------------- the product table
// A named board whose players have names and countries: around-me, a country's top page, a
// friends lookup and batch writes, the peer doing the same its natural way (sets per board and per
// country, a hash per player).
const productTable: Record<string, Record<string, Result>> = {};
if (o.productWorkloads.length > 0) {
  say(`product table: ${o.users} players with a name and a country on a named board`);
  const systems: Record<string, System> = {
    ours: await startOurs(o.clients, o.users, 'always', true),
    peer: await startPeer(o.clients, o.users, undefined, true),
    ceiling: await startCeiling(o.clients),
  };
  report['productStartupMs'] = { users: o.users, ms: systems['ours']!.startupMs };
  say(`ours: loaded ${o.users} players on two boards and was ready in ${systems['ours']!.startupMs} ms`);
  for (const w of o.productWorkloads) {
    const row = (productTable[w.name] = turns(systems, (sys) =>
      runWrk(sys.url, w, o.users, sys.pids(), run),
    ));
    for (const [name, r] of Object.entries(row)) {
      say(
        `${name.padEnd(8)} ${w.name.padEnd(20)} ${fmt(r.rps)} req/s  p50 ${fmt(r.p50ms, 2)} ms  p99 ${fmt(r.p99ms, 2)} ms  non-2xx ${r.non2xx}`,
      );
    }
  }
  await stopAll(systems);
}
report['productTable'] = productTable;

if (o.quick) {
  const quick = [
    ...renderTable(o.workloads, table),
    '',
    ...renderFlood(flood, o.connections),
    '',
    ...renderProductTable(o.productWorkloads, productTable),
  ];
  process.stdout.write(`\n${quick.join('\n')}\n\n`);
  process.exit(0);
}

// ---------------------------------------------------------------- batch writes through one client
// Issue 13's batch figure: one client (behind nginx), FSYNC=always, 1 000 random writes per
// request to the preloaded named board, in rounds; entries per second.
say('batch writes through one client: 1 000 per request');
const oneClient = await startOurs(1, o.users, 'always', true);
const batchOne: Result[] = [];
for (let round = 0; round < o.rounds; round++) {
  const r = runWrk(oneClient.url, batchOf(1000), o.users, oneClient.pids(), { ...run, connections: 8 });
  batchOne.push(r);
  say(
    `round ${round + 1}: ${fmt(r.rps * 1000)} entries/s (${fmt(r.rps)} req/s, p99 ${fmt(r.p99ms, 2)} ms, non-2xx ${r.non2xx})`,
  );
}
await oneClient.stop();
report['batchOneClient'] = batchOne;
const batchLine = `Batch writes through one client (POST /boards/:board/scores, 1 000 per request, FSYNC=always): ${batchOne
  .map((r) => fmt(r.rps * 1000))
  .join(' / ')} entries/s by round`;

// ---------------------------------------------------------------- durability
const probe = fsyncProbe();
report['fsyncProbe'] = probe;
say(
  `one fsync of a small append: p50 ${fmt(probe.p50ms, 2)} ms, p99 ${fmt(probe.p99ms, 2)} ms, max ${fmt(probe.maxMs, 2)} ms`,
);

// Durable writes beside in-memory speed, ours beside the peer under the same policy (Redis AOF),
// and latency at half of the default's maximum rate.
const halfRate = (table[putRelative.name]?.['ours']?.rps ?? 2000) / 2;
const fsyncRows: Record<string, DurabilityRow> = {};
for (const fsync of FSYNC_POLICIES) {
  const systems = {
    ours: await startOurs(o.clients, o.users, fsync),
    peer: await startPeer(o.clients, o.users, fsync),
  };
  const paced = turns(systems, (sys) => pacedRun(sys.url, halfRate, o.users, sys.pids(), o.seconds));
  const full = turns(systems, (sys) => runWrk(sys.url, putRelative, o.users, sys.pids(), run));
  await stopAll(systems);
  const ours = full['ours']!;
  const peer = full['peer']!;
  const atHalfLoad = asPaced(halfRate, paced['ours']!);
  const peerAtHalfLoad = asPaced(halfRate, paced['peer']!);
  fsyncRows[fsync] = { ...ours, atHalfLoad, peer: { ...peer, atHalfLoad: peerAtHalfLoad } };
  say(
    `FSYNC=${fsync}: PUT relative ${fmt(ours.rps)} req/s (p99 ${fmt(ours.p99ms, 2)} ms), peer with appendfsync ${fsync} ${fmt(peer.rps)} req/s (p99 ${fmt(peer.p99ms, 2)} ms), ours/peer ${fmt(ours.rps / peer.rps, 2)}`,
  );
  say(
    `  paced at ${fmt(halfRate)} req/s: ours ${fmt(atHalfLoad.achieved)} req/s p50 ${fmt(atHalfLoad.p50ms, 2)} ms p99 ${fmt(atHalfLoad.p99ms, 2)} ms; peer ${fmt(peerAtHalfLoad.achieved)} req/s p50 ${fmt(peerAtHalfLoad.p50ms, 2)} ms p99 ${fmt(peerAtHalfLoad.p99ms, 2)} ms`,
  );
}
report['latencyAtHalfLoad'] = fsyncRows['always']!.atHalfLoad;
report['fsync'] = fsyncRows;

// ---------------------------------------------------------------- sweeps for the chart
// PUT relative against the number of clients and against board size, the systems of each point up
// together and taking turns.
const sweepClients: Array<{ clients: number; ours: number; peer: number; ceiling: number }> = [];
for (const n of o.sweepClients) {
  const users = Math.min(o.users, 100_000);
  const systems = {
    ours: await startOurs(n, users),
    peer: await startPeer(n, users),
    ceiling: await startCeiling(n),
  };
  const r = turns(systems, (sys) => runWrk(sys.url, putRelative, users, sys.pids(), run));
  await stopAll(systems);
  const row = { clients: n, ours: r['ours']!.rps, peer: r['peer']!.rps, ceiling: r['ceiling']!.rps };
  sweepClients.push(row);
  say(`clients ${n}: ours ${fmt(row.ours)} peer ${fmt(row.peer)} ceiling ${fmt(row.ceiling)} req/s`);
}
const sweepUsers: Array<{
  users: number;
  ours: number;
  peer: number;
  oursP99ms: number;
  paced: Paced;
  startupMs: number;
}> = [];
for (const n of o.sweepUsers) {
  const systems = { ours: await startOurs(o.clients, n), peer: await startPeer(o.clients, n) };
  const startupMs = systems.ours.startupMs ?? NaN;
  const r = turns(systems, (sys) => runWrk(sys.url, putRelative, n, sys.pids(), run));
  const ours = r['ours']!;
  // The same board at half of the rate it just reached: latency when not saturated.
  const paced = asPaced(
    ours.rps / 2,
    turns({ ours: systems.ours }, (sys) => pacedRun(sys.url, ours.rps / 2, n, sys.pids(), o.seconds))[
      'ours'
    ]!,
  );
  await stopAll(systems);
  sweepUsers.push({
    users: n,
    ours: ours.rps,
    peer: r['peer']!.rps,
    oursP99ms: ours.p99ms,
    paced,
    startupMs,
  });
  say(
    `users ${n}: ours ${fmt(ours.rps)} (p99 ${fmt(ours.p99ms, 2)} ms; paced at ${fmt(paced.achieved)} req/s p50 ${fmt(paced.p50ms, 2)} ms p99 ${fmt(paced.p99ms, 2)} ms; start-up ${startupMs} ms), peer ${fmt(r['peer']!.rps)} req/s`,
  );
}
report['sweepClients'] = sweepClients;
report['sweepUsers'] = sweepUsers;

// ---------------------------------------------------------------- shard sweep
// Writes spread over many boards, through one nginx and the same clients, with 1, 2, 3 … ranking
// servers; the systems up together and taking turns.
const sweepShards = await shardSweep(o, run, say);
report['sweepShards'] = sweepShards;

const replicationLines = await replicationSection();

// ---------------------------------------------------------------- output
const lines = [
  ...budgetLines,
  '',
  ...renderTable(o.workloads, table),
  '',
  ...renderFlood(flood, o.connections),
  '',
  ...renderProductTable(o.productWorkloads, productTable),
  '',
  batchLine,
  '',
  ...renderDurability(fsyncRows, halfRate),
  ...(replicationLines.length > 0 ? ['', ...replicationLines] : []),
];
process.stdout.write(`\n${lines.join('\n')}\n\n`);
mkdirSync(o.out, { recursive: true });
writeFileSync(join(o.out, 'bench.json'), JSON.stringify(report, null, 2));
writeFileSync(join(o.out, 'bench.md'), `${lines.join('\n')}\n`);
writeFileSync(
  join(o.out, 'throughput.svg'),
  renderChart(sweepClients, sweepUsers, budget ? budgetBars(budget) : []),
);
say(`wrote ${join(o.out, 'bench.json')}, bench.md and throughput.svg`);
