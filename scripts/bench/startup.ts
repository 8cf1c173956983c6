/**
 * Start-up, side by side: how long a ranking server process takes from spawn to ready on a data
 * folder holding a snapshot (as it writes them: profiles and entries in runs, entries in rank
 * order), beside Redis from spawn to its first PONG on an RDB file of the same board (a sorted set
 * of the same users and totals). Both are timed with the same clock from the same process.
 */
import { Supervised } from '@scoreboard/launcher';
import { settingsEnv } from '@scoreboard/config';
import { launcherSettings } from '@scoreboard/launcher';
import { freePorts } from '@scoreboard/tests/harness';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { Redis } from 'ioredis';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { preloadSnapshot, rankingServerProcess } from './systems/ours.js';
import { zaddUsers } from './systems/peer.js';

const logger = pino({ level: 'warn' });
const ROOT = join(import.meta.dirname, '../..');

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
 * O(users). The whole system as a user starts it: `pnpm start` (pnpm, the bootstrap's check that
 * nothing needs building, the launcher, the ranking server, two clients, nginx), from spawn until
 * `GET /health-check` through nginx answers 200 (polled every 10 ms), on an empty data folder
 * (`users` 0) or a snapshot of `users` users. Stopped with SIGINT, as Ctrl-C does.
 */
async function wholeSystemStartup(users: number): Promise<number> {
  const runDir = mkdtempSync(join(tmpdir(), 'scoreboard-startup-whole-'));
  const base = await freePorts(6);
  const dataDir = join(runDir, 'data');
  try {
    if (users > 0) await preloadSnapshot(dataDir, users, false);
    const t0 = performance.now();
    const child = spawn('pnpm', ['--silent', 'start'], {
      cwd: ROOT,
      detached: true, // its own process group: the stop reaches pnpm and everything under it
      stdio: 'ignore',
      env: {
        ...process.env,
        ...settingsEnv(launcherSettings, {
          clients: 2,
          basePort: base,
          nginxPort: base + 2,
          rankingEndpoint: `tcp://127.0.0.1:${base + 3}`,
          eventsEndpoint: `tcp://127.0.0.1:${base + 4}`,
          metricsPort: base + 5,
          logLevel: 'warn',
          nginx: 'on',
          runDir,
          dataDir,
        }),
      },
    });
    const exited = once(child, 'exit');
    try {
      for (;;) {
        const ok = await fetch(`http://127.0.0.1:${base + 2}/health-check`).then(
          (r) => r.ok,
          () => false,
        );
        if (ok) return Math.round(performance.now() - t0);
        if (child.exitCode !== null) throw new Error(`pnpm start exited with ${child.exitCode}`);
        if (performance.now() - t0 > 600_000) throw new Error('the whole system never answered');
        await new Promise((r) => setTimeout(r, 10));
      }
    } finally {
      process.kill(-child.pid!, 'SIGINT');
      await exited;
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
 * O(users). Start-up of ours beside Redis for each single-board size; the whole system (`pnpm
 * start`) on an empty data folder and on each of `whole` sizes, beside Redis on the same RDB; then
 * ours alone for `players` players on two boards with names and countries (Redis has no such
 * board to load).
 */
export async function measureStartup(
  sizes: number[],
  players: number,
  whole: number[] = [0],
): Promise<StartupFigure[]> {
  const out: StartupFigure[] = [];
  const redisMs = new Map<number, number>();
  const redisOn = async (users: number): Promise<number> => {
    if (!redisMs.has(users)) redisMs.set(users, await redisStartup(users));
    return redisMs.get(users)!;
  };
  for (const users of sizes) {
    const oursMs = await oursStartup(users, false);
    out.push({ users, product: false, oursMs, redisMs: await redisOn(users) });
  }
  for (const users of whole) {
    const oursMs = await wholeSystemStartup(users);
    out.push({ users, product: false, whole: true, oursMs, redisMs: await redisOn(users) });
  }
  if (players > 0) out.push({ users: players, product: true, oursMs: await oursStartup(players, true) });
  return out;
}
