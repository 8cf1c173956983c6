/**
 * `pnpm bench:core [--users 1000000,10000000] [--players 1000000] [--seconds 1]`: the boards alone,
 * in one process and on one core, then the ZeroMQ hop. Prints tables and writes
 * bench-results/core.json. Each figure is a timed loop of `--seconds`; nothing here asserts speed.
 *
 * 1. One board of `--users` anonymous users (the original scoreboard): inserts, absolute and
 *    relative updates, rank of a user, top 100 and a window, per second, and bytes per user.
 * 2. `--players` players with a name and a country on two boards: bytes per player (the profile)
 *    and per board entry, and the reads of named boards — around-me, a country's top page, a
 *    friends lookup, a range of totals, ranks in each style — per second; then one board's period
 *    ends: how long that takes, the bytes per entry of the finished period, and its reads.
 * 3. The ZeroMQ hop: commands per second from one client process to a ranking server.
 * 4. Start-up: a ranking server process on a snapshot of each size, beside Redis on an RDB file of
 *    the same board; the whole system from `pnpm start` until nginx's first 200, on an empty data
 *    folder and on each `--whole` size (default 0,5000000), beside Redis; the players of section 2.
 */
import { RankingClient } from '@scoreboard/gateway';
import { Command } from '@scoreboard/protocol';
import { COUNTRY_CODES, countryNumber, type RankStyle } from '@scoreboard/protocol';
import { Leaderboards, putBoard, submit, type Board } from '@scoreboard/ranking-server';
import { freePorts } from '@scoreboard/tests/harness';
import { pino } from 'pino';
import { mkdirSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { measureStartup } from './bench/startup.js';

import { rankingServerProcess } from './bench/systems/ours.js';
import { seededRandom } from '@scoreboard/random';

const { values } = parseArgs({
  options: {
    users: { type: 'string', default: '1000000,10000000' },
    players: { type: 'string', default: '1000000' },
    seconds: { type: 'string', default: '1' },
    whole: { type: 'string', default: '0,5000000' },
  },
});
const sizes = values.users.split(',').map(Number);
const PLAYERS = Number(values.players);
const seconds = Number(values.seconds);
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) process.stderr.write('bench:core: run with --expose-gc for memory figures\n');

/** The workload's random numbers (the same every run). */
const rnd = seededRandom(12345);

/**
 * Heap plus array buffers after full collections. Typed arrays' memory is handed back by a
 * background task after a collection, so it waits a moment and collects again before reading.
 */
async function memory(): Promise<number> {
  for (let i = 0; i < 3; i++) {
    gc?.();
    await new Promise((r) => setTimeout(r, 300));
  }
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

/** A world with room for everything this benchmark writes. */
const world = (capacity: number): Leaderboards =>
  new Leaderboards({ maxBoards: 16, maxPlayers: 100_000_000, capacity });

const rows: Row[] = [];
for (const users of sizes) {
  const before = await memory();
  const data = world(users + 16);
  const board = data.defaultBoard;
  const players = data.players;
  // As the engine writes: the player's slot, then the board's write under its rules.
  const write = (u: number, w: { total: number } | { delta: number }) =>
    submit(data, board, players.acquire(u), w);
  const t0 = performance.now();
  for (let u = 0; u < users; u++) write(u, { total: Math.floor(rnd() * 1_000_000) });
  const buildMs = performance.now() - t0;
  const bytesPerUser = ((await memory()) - before) / users;
  const insertPerS = users / (buildMs / 1000);
  const pick = (): number => Math.floor(rnd() * users);
  const row: Row = {
    users,
    insertPerS,
    setPerS: rate(() => write(pick(), { total: Math.floor(rnd() * 1_000_000) })),
    addPerS: rate(() => write(pick(), { delta: Math.floor(rnd() * 201) - 100 })),
    rankPerS: rate(() => board.placement(players.slotOf(pick())!, 'ordinal')),
    top100PerS: rate(() => board.plain(1, 100)),
    windowPerS: rate(() => board.plain(Math.max(1, 1 + pick() - 5), 11)),
    bytesPerUser,
    buildMs,
  };
  rows.push(row);
  board.reset();
}

// ---------------------------------------------------------------- players on two boards
// Players with a name and a country (spread over the 30 most common codes of a sample), each on
// two boards. Memory is read after the profiles, then after each board's entries.
interface ProductRow {
  players: number;
  bytesPerPlayer: number;
  bytesPerEntry: number;
  /** Building one board's dense-rank index, on its first dense read. */
  denseBuildMs: number;
  /** What that index adds per entry of the board. */
  bytesPerDenseEntry: number;
  reads: Record<string, number>;
  /** Ending the period of a board with an entry per player: the server thread's pause. */
  closeMs: number;
  /** A finished period's first read of a user: building its user index. */
  archiveIndexMs: number;
  /** What a finished period holds per row, with its user index built. */
  bytesPerArchivedEntry: number;
  /** A board entry whose score carried 64 bytes of metadata (entries without any pay nothing more). */
  bytesPerMetaEntry: number;
  archived: Record<string, number>;
}
let product: ProductRow | undefined;

/** Reads of a board's first finished period (in a function, so nothing holds the period after). */
function archivedReads(data: Leaderboards, board: Board, pick: () => number) {
  const period = board.archivedPeriod(1)!;
  const t0 = performance.now();
  period.standing(0, 'ordinal', data.players);
  const archiveIndexMs = performance.now() - t0;
  const archived: Record<string, number> = {
    'top 100': rate(() => period.top(100, 'ordinal', data.players)),
    standing: rate(() => period.standing(pick(), 'standard', data.players)),
    'around-me (5 each side)': rate(() => period.around(pick(), 5, 'ordinal', data.players)),
  };
  return { archiveIndexMs, archived };
}
if (PLAYERS > 0) {
  const data = world(PLAYERS + 16);
  // After the tables are made: the default board's skip list, sized for every player, is not a
  // profile's cost (and the first section's garbage is gone).
  const base = await memory();
  const countries = COUNTRY_CODES.slice(0, 30);
  for (let u = 0; u < PLAYERS; u++) {
    data.writeProfile(u, { name: `player ${u}`, country: countries[u % countries.length]! });
  }
  const afterProfiles = await memory();
  const a = putBoard(data, 'weekly', {}, Date.now()).board;
  const b = putBoard(data, 'alltime', { operator: 'best' }, Date.now()).board;
  for (let u = 0; u < PLAYERS; u++) {
    const slot = data.players.slotOf(u)!;
    submit(data, a, slot, { total: Math.floor(rnd() * 1_000_000) });
    submit(data, b, slot, { total: Math.floor(rnd() * 1_000_000) });
  }
  const afterEntries = await memory();
  const slotOf = (u: number) => data.players.slotOf(u)!;
  const pick = (): number => Math.floor(rnd() * PLAYERS);
  const de = countryNumber(countries[0]!);
  const reads: Record<string, number> = {};
  // The first dense read of a board builds its dense index in one pass: timed on its own.
  const t0 = performance.now();
  a.top(1, 'dense');
  const denseBuildMs = performance.now() - t0;
  for (const style of ['ordinal', 'standard', 'dense'] as RankStyle[]) {
    reads[`standing (${style})`] = rate(() => a.standing(slotOf(pick()), style));
  }
  reads['top 100 (dense)'] = rate(() => a.top(100, 'dense'));
  reads['around-me (5 each side)'] = rate(() => a.around(slotOf(pick()), 5, 'ordinal'));
  reads['country top 25'] = rate(() => a.countryTop(de, 25, 'ordinal'));
  reads['country around-me (5)'] = rate(() => {
    const slot = slotOf(pick());
    return a.countryAround(data.players.countryOf(slot), slot, 5, 'ordinal');
  });
  const friends = Array.from({ length: 20 }, pick).map(slotOf);
  reads['friends lookup (20 players)'] = rate(() => a.rowsOf(friends, 'ordinal'));
  reads['range (100 of a 1 000-wide band)'] = rate(() => {
    const lo = Math.floor(rnd() * 999_000);
    return a.range(lo, lo + 1000, 100, 'ordinal');
  });
  reads['write (best board)'] = rate(() =>
    submit(data, b, slotOf(pick()), { total: Math.floor(rnd() * 1_000_000) }),
  );
  const afterReads = await memory();

  // The weekly board's period ends: its entries become a finished period (sorted arrays). Timed,
  // since it runs on the server thread; its memory is what dropping it again (keep 0) frees.
  const t1 = performance.now();
  const close = data.closeNow('weekly', Date.now());
  data.restoreClose(close.board, close.at, close.next);
  const closeMs = performance.now() - t1;
  const { archiveIndexMs, archived } = archivedReads(data, a, pick);
  const withArchive = await memory();
  putBoard(data, 'weekly', { keep: 0 }, Date.now());
  const bytesPerArchivedEntry = (withArchive - (await memory())) / PLAYERS;
  // A third board whose every entry's score carried a 64-byte metadata object (distinct per player).
  const beforeMeta = await memory();
  const c = putBoard(data, 'replays', {}, Date.now()).board;
  for (let u = 0; u < PLAYERS; u++) {
    const metadata = {
      replay: `r-${u.toString(36).padStart(10, '0')}`,
      car: 'mk2',
      build: '1.24.3',
      lap: u % 100,
    };
    c.restore(slotOf(u), Math.floor(rnd() * 1_000_000), data.seq.take(), metadata);
  }
  const bytesPerMetaEntry = (await memory()) - beforeMeta;
  product = {
    players: PLAYERS,
    bytesPerPlayer: (afterProfiles - base) / PLAYERS,
    bytesPerEntry: (afterEntries - afterProfiles) / (2 * PLAYERS),
    denseBuildMs,
    bytesPerDenseEntry: (afterReads - afterEntries) / PLAYERS,
    bytesPerMetaEntry: bytesPerMetaEntry / PLAYERS,
    reads,
    closeMs,
    archiveIndexMs,
    bytesPerArchivedEntry,
    archived,
  };
}

// ---------------------------------------------------------------- the ZeroMQ hop
// Commands per second from one client process to a ranking server process (PERSIST=0, so the
// figure is the hop and the board, not the disk), with many commands in flight so they batch,
// beside one command per message (maxBatch 1).
const logger = pino({ level: 'warn' });
const port = await freePorts(2);
const endpoint = `tcp://127.0.0.1:${port}`;
const server = rankingServerProcess(port, { persist: false }, logger);
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

// ---------------------------------------------------------------- start-up
// Each size's snapshot loaded by a ranking server process, beside Redis loading the same board
// from its RDB file; then the named boards' players.
const startup = await measureStartup(sizes, PLAYERS, values.whole.split(',').map(Number));

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
if (product) {
  lines.push(
    '',
    `${fmt(product.players)} players with a name and a country, on two boards:`,
    `  bytes per player (profile): ${gc ? product.bytesPerPlayer.toFixed(1) : 'n/a'}`,
    `  bytes per board entry:      ${gc ? product.bytesPerEntry.toFixed(1) : 'n/a'}`,
    `  bytes per board entry whose score carried 64 bytes of metadata: ${gc ? product.bytesPerMetaEntry.toFixed(1) : 'n/a'}`,
    `  dense-rank index, built on a board's first dense read: ${product.denseBuildMs.toFixed(0)} ms, ${gc ? product.bytesPerDenseEntry.toFixed(1) : 'n/a'} bytes per entry`,
  );
  for (const [label, perS] of Object.entries(product.reads)) lines.push(`  ${label}: ${fmt(perS)}/s`);
  lines.push(
    `  a period's end (${fmt(product.players)} entries archived): ${product.closeMs.toFixed(0)} ms`,
    `  finished period: ${gc ? product.bytesPerArchivedEntry.toFixed(1) : 'n/a'} bytes per entry with its user index, built on the first user read in ${product.archiveIndexMs.toFixed(0)} ms`,
  );
  for (const [label, perS] of Object.entries(product.archived))
    lines.push(`  finished period, ${label}: ${fmt(perS)}/s`);
}
lines.push('', 'ZeroMQ hop, one client process to one ranking server process (memory only):');
for (const [label, perS] of Object.entries(hop)) lines.push(`  ${label}: ${fmt(perS)} commands/s`);
lines.push('', 'Start-up from the data folder (spawn to ready; Redis: spawn to first PONG on its RDB file):');
for (const f of startup) {
  const what = f.product
    ? `${fmt(f.users)} players on two boards with names and countries`
    : f.whole
      ? `the whole system on ${f.users ? `${fmt(f.users)} users` : 'an empty data folder'} (pnpm start to nginx's first 200)`
      : `${fmt(f.users)} users, one board`;
  const redis =
    f.redisMs === undefined
      ? ''
      : `, Redis ${f.redisMs} ms (ours/Redis ${(f.oursMs / f.redisMs).toFixed(2)}×)`;
  lines.push(`  ${what}: ours ${f.oursMs} ms${redis}`);
}
// The issue's start-up targets (#23), met or not, from the figures above.
const wholeEmpty = startup.find((f) => f.whole && f.users === 0);
const wholeLargest = startup.filter((f) => f.whole && f.users > 0).at(-1);
if (wholeEmpty || wholeLargest) lines.push('', 'Start-up targets:');
if (wholeEmpty)
  lines.push(
    `  empty start under 1 000 ms: ${wholeEmpty.oursMs} ms, ${wholeEmpty.oursMs < 1000 ? 'met' : 'not met'}`,
  );
if (wholeLargest?.redisMs !== undefined)
  lines.push(
    `  whole system at ${fmt(wholeLargest.users)} users at most Redis's RDB load: ${wholeLargest.oursMs} ms vs ${wholeLargest.redisMs} ms, ${wholeLargest.oursMs <= wholeLargest.redisMs ? 'met' : 'not met'}`,
  );
process.stdout.write(`${lines.join('\n')}\n`);
mkdirSync('bench-results', { recursive: true });
writeFileSync(
  'bench-results/core.json',
  JSON.stringify({ node: process.version, seconds, rows, product, hop, startup }, null, 2),
);
