/**
 * `pnpm bench:core [--users 1000000,10000000] [--seconds 1]`: the skip list and the leaderboard
 * alone, in one process and on one core: inserts, absolute and relative updates, rank of a user,
 * top 100 and a window, in operations per second, plus memory per user. Prints a table and writes
 * bench-results/core.json. Each figure is a timed loop of `--seconds`; nothing here asserts speed.
 */
import { settingsEnv } from '@scoreboard/config';
import { RankingClient } from '@scoreboard/http-client';
import { RANKING_SERVER_MAIN, Supervised } from '@scoreboard/launcher';
import { Command } from '@scoreboard/protocol';
import { Leaderboard, rankingServerSettings } from '@scoreboard/ranking-server';
import { freePorts } from '@scoreboard/tests/harness';
import { pino } from 'pino';
import { mkdirSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    users: { type: 'string', default: '1000000,10000000' },
    seconds: { type: 'string', default: '1' },
  },
});
const sizes = values.users.split(',').map(Number);
const seconds = Number(values.seconds);
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) process.stderr.write('bench:core: run with --expose-gc for memory figures\n');

let seed = 12345;
/** A fast 32-bit LCG for the workload (exact in integer arithmetic via Math.imul). */
const rnd = (): number => (seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32;

function memory(): number {
  gc?.();
  gc?.();
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}

/** Runs `op` in batches until `seconds` pass; answers operations per second. */
function rate(op: (i: number) => void): number {
  const batch = 10_000;
  const start = performance.now();
  let n = 0;
  while (performance.now() - start < seconds * 1000) {
    for (let i = 0; i < batch; i++) op(n + i);
    n += batch;
  }
  return n / ((performance.now() - start) / 1000);
}

interface Row {
  users: number;
  insertPerS: number;
  setPerS: number;
  addPerS: number;
  rankPerS: number;
  top100PerS: number;
  windowPerS: number;
  bytesPerUser: number;
  buildMs: number;
}

const rows: Row[] = [];
for (const users of sizes) {
  const before = memory();
  const board = new Leaderboard({ capacity: users + 16 });
  const t0 = performance.now();
  for (let u = 0; u < users; u++) board.setTotal(u, Math.floor(rnd() * 1_000_000));
  const buildMs = performance.now() - t0;
  const bytesPerUser = (memory() - before) / users;
  const insertPerS = users / (buildMs / 1000);
  const pick = (): number => Math.floor(rnd() * users);
  const row: Row = {
    users,
    insertPerS,
    setPerS: rate(() => board.setTotal(pick(), Math.floor(rnd() * 1_000_000))),
    addPerS: rate(() => board.addScore(pick(), Math.floor(rnd() * 201) - 100)),
    rankPerS: rate(() => board.get(pick())),
    top100PerS: rate(() => board.top(100)),
    windowPerS: rate(() => board.around(1 + pick(), 5)),
    bytesPerUser,
    buildMs,
  };
  rows.push(row);
  board.reset();
}

// ---------------------------------------------------------------- the ZeroMQ hop
// Commands per second from one client process to a ranking server process (PERSIST=0, so the
// figure is the hop and the board, not the disk), with many commands in flight so they batch,
// beside one command per message (maxBatch 1).
const logger = pino({ level: 'warn' });
const port = await freePorts(1);
const endpoint = `tcp://127.0.0.1:${port}`;
const server = new Supervised(
  {
    name: 'ranking-server',
    command: process.execPath,
    args: [RANKING_SERVER_MAIN],
    env: {
      ...process.env,
      ...settingsEnv(rankingServerSettings, { persist: false, logLevel: 'warn', endpoint }),
    },
    ipc: true,
  },
  logger,
);
await server.start();
const hop: Record<string, number> = {};
for (const [label, maxBatch, inFlight] of [
  ['batched (4096 in flight)', 1024, 4096],
  ['one command per message (64 in flight)', 1, 64],
] as const) {
  const client = new RankingClient({
    endpoint,
    logger,
    timeoutMs: 10_000,
    maxBatch,
    maxPending: 100_000,
    maxMessagesInFlight: maxBatch === 1 ? inFlight : 2,
  });
  client.start();
  await new Promise((r) => setTimeout(r, 300));
  let done = 0;
  const until = performance.now() + seconds * 1000;
  const lane = async (): Promise<void> => {
    for (let i = 0; performance.now() < until; i++) {
      await client.callRaw(Command.AddScore, { user: Math.floor(rnd() * 100_000), delta: 1 });
      done++;
    }
  };
  const t0 = performance.now();
  await Promise.all(Array.from({ length: inFlight }, lane));
  hop[label] = done / ((performance.now() - t0) / 1000);
  await client.stop();
}
await server.stop();

const fmt = (n: number): string =>
  n >= 1e6 ? `${(n / 1e6).toFixed(2)} M` : n >= 1e3 ? `${(n / 1e3).toFixed(1)} k` : n.toFixed(0);
const header = ['users', 'insert/s', 'set/s', 'add/s', 'rank/s', 'top100/s', 'window(P,5)/s', 'bytes/user'];
const lines = [header.join('\t')];
for (const r of rows) {
  lines.push(
    [
      fmt(r.users),
      fmt(r.insertPerS),
      fmt(r.setPerS),
      fmt(r.addPerS),
      fmt(r.rankPerS),
      fmt(r.top100PerS),
      fmt(r.windowPerS),
      gc ? r.bytesPerUser.toFixed(1) : 'n/a',
    ].join('\t'),
  );
}
lines.push('', 'ZeroMQ hop, one client process to one ranking server process (memory only):');
for (const [label, perS] of Object.entries(hop)) lines.push(`  ${label}: ${fmt(perS)} commands/s`);
process.stdout.write(`${lines.join('\n')}\n`);
mkdirSync('bench-results', { recursive: true });
writeFileSync(
  'bench-results/core.json',
  JSON.stringify({ node: process.version, seconds, rows, hop }, null, 2),
);
