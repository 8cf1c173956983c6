/**
 * Start-up, side by side: how long a ranking server process takes from spawn to ready on a data
 * folder holding a snapshot (as it writes them: profiles and entries in runs, entries in rank
 * order), beside Redis from spawn to its first PONG on an RDB file of the same board (a sorted set
 * of the same users and totals). Both are timed with the same clock from the same process.
 */
import { Supervised } from '@scoreboard/launcher';
import { freePorts, startCluster } from '@scoreboard/tests/harness';
import { Redis } from 'ioredis';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { preloadSnapshot, rankingServerProcess } from './systems/ours.js';
import { zaddUsers } from './systems/peer.js';

const logger = pino({ level: 'warn' });

/** One start-up measured. */
export interface StartupFigure {
  users: number;
  /** Two boards with a name and a country per player, or one anonymous board. */
  product: boolean;
  /** The whole system (ranking server, two clients, nginx) until nginx answers a health check. */
  whole?: boolean;
  oursMs: number;
  /** Redis on the same board (single-board runs only). */
  redisMs?: number;
}

/** O(1) round trip. True once Redis answers PING with PONG (not LOADING, not a refused connection). */
function pingAnswers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    let reply = '';
    const done = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1000, () => done(false));
    socket.on('error', () => done(false));
    socket.on('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk) => {
      reply += chunk.toString();
      if (reply.includes('\r\n')) done(reply.startsWith('+PONG'));
    });
  });
}

/** O(users). Our ranking server from spawn to ready on a snapshot of `users` players. */
async function oursStartup(users: number, product: boolean): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'scoreboard-startup-'));
  try {
    await preloadSnapshot(dir, users, product);
    const server = rankingServerProcess(await freePorts(2), { dataDir: dir }, logger);
    await server.start();
    const ms = server.readyMs!;
    await server.stop();
    return ms;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * O(users). The whole system as `pnpm start` runs it — the launcher (here in this process), the
 * ranking server, two clients and nginx — from the launcher's start until `GET /health-check`
 * through nginx answers 200 (polled every 10 ms), on a snapshot of `users` users.
 */
async function wholeSystemStartup(users: number): Promise<number> {
  const runDir = mkdtempSync(join(tmpdir(), 'scoreboard-startup-whole-'));
  try {
    await preloadSnapshot(join(runDir, 'data'), users, false);
    const t0 = performance.now();
    const cluster = await startCluster({ clients: 2, nginx: true, runDir });
    try {
      for (;;) {
        const ok = await fetch(`${cluster.endpoints.url}/health-check`).then(
          (r) => r.ok,
          () => false,
        );
        if (ok) return Math.round(performance.now() - t0);
        if (performance.now() - t0 > 600_000) throw new Error('the whole system never answered');
        await new Promise((r) => setTimeout(r, 10));
      }
    } finally {
      await cluster.stop();
    }
  } finally {
    rmSync(runDir, { recursive: true, force: true });
  }
}

/** O(users). Redis from spawn to its first PONG on an RDB file holding the same board. */
async function redisStartup(users: number): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'scoreboard-startup-redis-'));
  const port = await freePorts(1);
  const redis = (): Supervised =>
    new Supervised(
      {
        name: 'redis',
        command: 'redis-server',
        args: [
          ...['--port', String(port), '--bind', '127.0.0.1', '--dir', dir],
          ...['--loglevel', 'warning', '--logfile', join(dir, 'redis.log')],
        ],
        ipc: false,
        probe: () => pingAnswers(port),
        readyTimeoutMs: 600_000,
      },
      logger,
    );
  try {
    const filling = redis();
    await filling.start();
    const client = new Redis({ port });
    await zaddUsers(client, 'scoreboard', users);
    await client.save();
    client.disconnect();
    await filling.stop();
    const loading = redis();
    await loading.start();
    const ms = loading.readyMs!;
    await loading.stop();
    return ms;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * O(users). Start-up of ours beside Redis for each single-board size, the whole system on the
 * smallest of them (beside the same Redis figure), then ours alone for `players` players on two
 * boards with names and countries (Redis has no such board to load).
 */
export async function measureStartup(sizes: number[], players: number): Promise<StartupFigure[]> {
  const out: StartupFigure[] = [];
  for (const users of sizes) {
    const oursMs = await oursStartup(users, false);
    const redisMs = await redisStartup(users);
    out.push({ users, product: false, oursMs, redisMs });
  }
  // The whole system on the smallest board, beside the same Redis figure.
  const smallest = out.find((f) => f.users === Math.min(...sizes));
  if (smallest) {
    const oursMs = await wholeSystemStartup(smallest.users);
    out.push({ users: smallest.users, product: false, whole: true, oursMs, redisMs: smallest.redisMs! });
  }
  if (players > 0) out.push({ users: players, product: true, oursMs: await oursStartup(players, true) });
  return out;
}
