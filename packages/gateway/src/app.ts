/**
 * `buildApp(opts)`: the Fastify gateway, not listening. `main.ts` owns config, sockets and signals;
 * tests call `app.inject()` with a fake ranking client.
 */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { LogController, type FastifyInstance } from 'fastify';
import type { IncomingMessage } from 'node:http';
import { createRequire } from 'node:module';
import type { Logger } from 'pino';
import { guardRoutes } from './auth/guard.js';
import { KeyTable } from './auth/key-table.js';
import { clientErrorHandler, errorHandler, notFoundHandler } from './errors.js';
import { limitRates, type RateLimitOptions } from './limits/rate-limits.js';
import { ClientMetrics } from './metrics.js';
import { installDocs } from './docs.js';
import { LiveBoards } from './live/live-boards.js';
import { eventRoutes } from './routes/events.js';
import { pageRoutes } from './routes/pages.js';
import { RouteMethods } from './route-methods.js';
import { lazyCompilers } from './lazy-compilers.js';
import { lazyRequestLogger } from './request-logger.js';
import type { RankingApi } from './ranking-client.js';
import { boardRoutes } from './routes/boards.js';
import { webhookRoutes } from './routes/webhooks.js';
import type { Resolver } from '@scoreboard/config';
import { defaultScoreRoutes } from './routes/default-score.js';
import { opsRoutes } from './routes/ops.js';
import { requireRouteFacts } from './routes/facts.js';
import { mountForwarded } from './routes/forward.js';
import { shardRoutes } from './routes/shards.js';
import { BoardMover } from './shards/board-mover.js';
import { ShardedRanking } from './shards/sharded-ranking.js';
import { keyRoutes } from './routes/keys.js';
import { playerRoutes } from './routes/players.js';

/** What the app needs. */
export interface AppOptions {
  ranking: RankingApi;
  logger: Logger;
  /** Test mode: enables `DELETE /reset`. */
  debug?: boolean;
  /** Largest request body in bytes (default 1 KiB: a score update is tens of bytes). */
  bodyLimit?: number;
  /** How long `/health-check` waits for the ranking server (default 1000 ms). */
  healthTimeoutMs?: number;
  /** The API keys (default: keys off, everything open). */
  keys?: KeyTable;
  /** Reads need no key (default true); only matters with keys on. */
  publicReads?: boolean;
  /** Rate limits (default: per-address off; keys' own rates apply). */
  rateLimits?: RateLimitOptions;
  /** Whose X-Forwarded-For to believe (Fastify's trustProxy; default loopback). */
  trustProxy?: string;
  /** The live boards behind `GET /boards/:board/events` (default: unstarted, no updates). */
  live?: LiveBoards;
  /** The metrics registry to count into (default: a new one, without the hop's gauges). */
  metrics?: ClientMetrics;
  /** Where webhooks may go (WEBHOOK_ALLOW; default: nowhere), and how names resolve (tests). */
  webhookAllow?: readonly string[];
  resolve?: Resolver;
}

/** This package's version: the API version the docs state. */
const VERSION = (createRequire(import.meta.url)('../package.json') as { version: string }).version;

const requestIdRe = /^[A-Za-z0-9._:-]{1,64}$/;

/** O(1). Builds the app with routes, schemas and error handling; does not listen. */
export function buildApp(opts: AppOptions): FastifyInstance {
  let counter = 0;
  const prefix = `${process.pid.toString(36)}-`;
  const app = Fastify({
    loggerInstance: opts.logger.child({ module: 'http' }),
    // A request's logger (bound to its id) is made when the request first logs, not for each one.
    childLoggerFactory: lazyRequestLogger,
    bodyLimit: opts.bodyLimit ?? 1024,
    // Per-request logs only when debugging; nginx keeps the access log.
    // The request id is logged as `rid`, the field the ranking server logs it under.
    logController: new LogController({
      disableRequestLogging: !opts.logger.isLevelEnabled('debug'),
      requestIdLogLabel: 'rid',
    }),
    // A draining client serves what still arrives on open connections, each answered with
    // "Connection: close" (Fastify sets it once closing), so nginx moves to another client;
    // never a 503 of its own that nginx would pass on.
    return503OnClosing: false,
    trustProxy: opts.trustProxy ?? 'loopback',
    // A request Node's parser refuses gets a catalogue answer too.
    clientErrorHandler,
    // So does one Fastify refuses before routing (a path that is not percent-encoded UTF-8).
    frameworkErrors: (err, request, reply) => {
      errorHandler(err, request, reply);
    },
    // Honour nginx's $request_id so one id follows a request through every process's logs.
    genReqId: (req: IncomingMessage) => {
      const header = req.headers['x-request-id'];
      return typeof header === 'string' && requestIdRe.test(header)
        ? header
        : prefix + (++counter).toString(36);
    },
    // Each route's validators and serializers are compiled on its first request: a faster start.
    schemaController: { compilersFactory: lazyCompilers() },
    ajv: {
      // Strict JSON: no "10" for 10, no silently dropped extra fields.
      customOptions: { coerceTypes: false, removeAdditional: false, allErrors: false },
    },
  }).withTypeProvider<TypeBoxTypeProvider>();

  // Only JSON bodies: anything else is a 415, not a string to validate.
  app.removeContentTypeParser('text/plain');
  app.setErrorHandler(errorHandler);
  const metrics = opts.metrics ?? new ClientMetrics();
  app.setNotFoundHandler(
    metrics.countUnknown(notFoundHandler(new RouteMethods(app as unknown as FastifyInstance))),
  );

  const keys = opts.keys ?? new KeyTable(opts.ranking, '', opts.logger);
  const root = app as unknown as FastifyInstance;
  // First: every route must say its facts, and the docs see every route registered after them.
  requireRouteFacts(root);
  installDocs(root, VERSION);
  metrics.install(root);
  const keyLimit = limitRates(root, opts.rateLimits ?? { perAddress: 0, burst: 0, clients: 1 });
  guardRoutes(root, keys, opts.publicReads ?? true, keyLimit);
  const ranking = { ranking: opts.ranking };
  void app.register(async (forwarded) => mountForwarded(forwarded, opts.ranking));
  void app.register(defaultScoreRoutes, ranking);
  void app.register(boardRoutes, ranking);
  void app.register(webhookRoutes, {
    ranking: opts.ranking,
    allow: opts.webhookAllow ?? [],
    ...(opts.resolve ? { resolve: opts.resolve } : {}),
  });
  void app.register(playerRoutes, { ranking: opts.ranking, keysOn: keys.enabled });
  void app.register(keyRoutes, { ranking: opts.ranking, keys });
  void app.register(pageRoutes);
  void app.register(eventRoutes, {
    ranking: opts.ranking,
    live: opts.live ?? new LiveBoards(opts.ranking, [], opts.logger),
  });
  const sharded = opts.ranking instanceof ShardedRanking ? opts.ranking : undefined;
  void app.register(shardRoutes, {
    mover: sharded && new BoardMover(sharded),
    shards: sharded?.count ?? 1,
  });
  void app.register(opsRoutes, {
    ranking: opts.ranking,
    debug: opts.debug ?? false,
    healthTimeoutMs: opts.healthTimeoutMs ?? 1000,
  });
  return app as unknown as FastifyInstance;
}
