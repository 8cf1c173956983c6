/**
 * One HTTP client process: reads its config, connects a DEALER to each ranking server, listens,
 * tells a parent launcher it is ready (IPC), and on SIGTERM/SIGINT stops taking connections,
 * finishes in-flight requests, closes the socket and exits 0.
 */
import { SUPERVISED_ENV, loadConfigOrExit, stopOnSignals, processLogger } from '@scoreboard/lifecycle';
import { buildApp } from './app.js';
import { KeyTable } from './auth/key-table.js';
import { LiveBoards } from './live/live-boards.js';
import { ClientMetrics } from './metrics.js';
import { KEYS_OFF_WARNING, loadHttpClientConfig } from './config.js';
import { RankingClient } from './ranking-client.js';
import { ShardedRanking } from './shards/sharded-ranking.js';

async function main(): Promise<void> {
  const config = loadConfigOrExit('gateway', () => loadHttpClientConfig());
  const logger = processLogger('gateway', config.logLevel, config.logFormat, {
    base: { port: config.port },
  });
  // One DEALER per shard (one in a single-machine setup), commands routed by board.
  const shards = config.rankingEndpoints.map(
    (endpoint, i) =>
      new RankingClient({
        endpoint,
        timeoutMs: config.requestTimeoutMs,
        logger: config.rankingEndpoints.length > 1 ? logger.child({ shard: i }) : logger,
      }),
  );
  const ranking = new ShardedRanking(shards);
  const keys = new KeyTable(ranking, config.adminKey, logger);
  const live = new LiveBoards(ranking, config.eventsEndpoints, logger.child({ module: 'live' }));
  // A launcher says so once for all its clients.
  if (!keys.enabled && process.env[SUPERVISED_ENV] !== '1') logger.warn(KEYS_OFF_WARNING);
  const app = buildApp({
    ranking,
    logger,
    debug: config.debug,
    healthTimeoutMs: Math.min(1000, config.requestTimeoutMs),
    keys,
    publicReads: config.publicReads,
    rateLimits: { perAddress: config.rateLimit, burst: config.rateBurst, clients: config.clients },
    trustProxy: config.trustProxy,
    metrics: new ClientMetrics(ranking),
    live,
    webhookAllow: config.webhookAllow,
  });
  app.addHook('onClose', async () => {
    keys.stop();
    await live.stop();
    await Promise.all(shards.map((shard) => shard.stop()));
  });
  for (const shard of shards) shard.start();
  // The shard map, read ahead of the first board command (which reads it if this has not yet:
  // at start the shards may still be loading).
  if (shards.length > 1) {
    ranking.refreshMap().catch((err: unknown) => logger.debug({ err }, 'shard map not read yet'));
  }
  keys.start();
  live.start();
  // With elections, each shard's primary is whoever holds its leader key in etcd: follow it.
  if (config.etcdEndpoints.length > 0) {
    const { connectEtcd, watchLeader } = await import('@scoreboard/coordination');
    const etcd = await connectEtcd(config.etcdEndpoints);
    const unwatch = await Promise.all(
      shards.map((shard, i) =>
        watchLeader(etcd, i, (leader) => {
          // No leader key: the shard is between primaries; the health check names the election.
          shard.electing = !leader;
          if (!leader) return;
          shard.retarget(leader.endpoint);
          live.addEndpoint(leader.events);
        }),
      ),
    );
    app.addHook('onClose', async () => {
      await Promise.all(unwatch.map((stop) => stop().catch(() => undefined)));
      etcd.close();
    });
  }
  await app.listen({ port: config.port, host: config.host });
  stopOnSignals(logger, () => app.close());
  process.send?.({ type: 'ready', port: config.port });
}

main().catch((err: unknown) => {
  process.stderr.write(`gateway: failed to start: ${String(err)}\n`);
  process.exit(1);
});
