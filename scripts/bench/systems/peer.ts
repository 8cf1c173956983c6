/**
 * The peer: the same API on Fastify + ioredis over one Redis sorted set (bench-fixtures), N
 * processes behind the same nginx. Without `aof`, Redis as shipped: RDB snapshots on its default
 * schedule, no AOF. With it, Redis's append-only file under the same policy names as ours
 * (`appendfsync always` fsyncs before replying, like our FSYNC=always).
 */
import { REDIS_PEER_MAIN } from '@scoreboard/bench-fixtures';
import type { FsyncPolicy } from '@scoreboard/config';
import { Supervised, portAccepts } from '@scoreboard/launcher';
import { freePorts } from '@scoreboard/tests/harness';
import { Redis } from 'ioredis';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { BENCH_COUNTRIES, PRODUCT_BOARD } from '../workloads/index.js';
import { childPids } from '../wrk.js';
import { startFixture } from './fixture.js';
import type { System } from './system.js';
import { randomInt, seededRandom } from '@scoreboard/random';

const logger = pino({ level: 'warn' });

/**
 * O(users). Fills sorted set `key` with users 0 … users-1 and the same pseudo-random totals as
 * our preloaded snapshot (`preloadSnapshot`), by ZADD in batches of 10 000.
 */
export async function zaddUsers(client: Redis, key: string, users: number): Promise<void> {
  const random = seededRandom(42);
  for (let i = 0; i < users;) {
    const args: Array<string | number> = [];
    for (let k = 0; k < 10_000 && i < users; k++, i++) args.push(randomInt(random, 0, 1_000_000), String(i));
    await client.zadd(key, ...args);
  }
}
const say = (line: string): void => void process.stderr.write(`[bench] ${line}\n`);

/**
 * Starts Redis (preloaded with `users` users by ZADD in batches; with `product`, also a hash per
 * player and the product board's sets, per board and per country) and the peer's processes.
 */
export async function startPeer(
  clients: number,
  users: number,
  aof?: FsyncPolicy,
  product = false,
): Promise<System> {
  const redisPort = await freePorts(1);
  const redisDir = mkdtempSync(join(tmpdir(), 'scoreboard-bench-redis-'));
  const durability = aof ? ['--appendonly', 'yes', '--appendfsync', aof] : [];
  const redis = new Supervised(
    {
      name: 'redis',
      command: 'redis-server',
      args: [
        '--port',
        String(redisPort),
        '--bind',
        '127.0.0.1',
        '--dir',
        redisDir,
        '--loglevel',
        'warning',
        ...durability,
      ],
      ipc: false,
      probe: () => portAccepts('127.0.0.1', redisPort),
    },
    logger,
  );
  await redis.start();
  const client = new Redis({ port: redisPort });
  const started = performance.now();
  await zaddUsers(client, 'scoreboard', users);
  if (product) {
    const random = seededRandom(42);
    for (let i = 0; i < users;) {
      const pipe = client.pipeline();
      const board: Array<string | number> = [];
      for (let k = 0; k < 10_000 && i < users; k++, i++) {
        const total = randomInt(random, 0, 1_000_000);
        const country = BENCH_COUNTRIES[i % BENCH_COUNTRIES.length]!;
        board.push(total, String(i));
        pipe.zadd(`board:${PRODUCT_BOARD}:cc:${country}`, total, String(i));
        pipe.hset(`player:${i}`, 'name', `player ${i}`, 'country', country);
      }
      pipe.zadd(`board:${PRODUCT_BOARD}`, ...board);
      await pipe.exec();
    }
  }
  say(`peer: preloaded ${users} users into Redis in ${Math.round(performance.now() - started)} ms`);
  client.disconnect();
  const fx = await startFixture(REDIS_PEER_MAIN, clients, { REDIS_PORT: String(redisPort) });
  return {
    url: fx.url,
    pids: () => ({
      redis: [redis.pid!],
      clients: fx.procs.map((p) => p.pid!),
      nginx: [fx.nginx.pid!, ...childPids(fx.nginx.pid!)],
    }),
    stop: async () => {
      await fx.stopAll();
      await redis.stop();
      rmSync(redisDir, { recursive: true, force: true });
    },
  };
}
