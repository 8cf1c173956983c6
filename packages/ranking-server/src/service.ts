/**
 * The one wiring of a ranking server: state, store (loading the data folder into the state),
 * engine and socket loop, built from the process's config. `main.ts`, the tests and the benchmarks
 * all build the server this way, so what they run is what ships.
 */
import type { Logger } from 'pino';
import type { RandomSource } from './board/skip-list.js';
import type { RankingServerConfig } from './config.js';
import type { Server } from 'node:http';
import { RankingEngine } from './engine/engine.js';
import { RankingState } from './engine/state.js';
import { DurableStore } from './persistence/store.js';
import { ChangeNotices } from './change-notices.js';
import { ServerMetrics, serveMetrics } from './metrics.js';
import { RankingServer } from './server.js';

/** Knobs for tests and benchmarks; production uses none of them. */
export interface ServiceOptions {
  /** The skip lists' level source (seeded in tests). */
  random?: RandomSource;
  /** Initial capacity hint of the default board, in entries. */
  capacity?: number;
  /** Records per snapshot chunk (one chunk per event-loop turn). */
  snapshotChunk?: number;
  /** Entries or profiles per snapshot record (a walk reads one record's worth in a step). */
  snapshotRun?: number;
  /** The clock requests are handled at. */
  clock?: () => number;
  /** The first retry of a failed snapshot (ms). */
  snapshotRetryMs?: number;
}

/** A wired ranking server, not yet listening. */
export interface RankingService {
  readonly state: RankingState;
  readonly engine: RankingEngine;
  /** The persistence, unless PERSIST=0. */
  readonly store: DurableStore | undefined;
  readonly server: RankingServer;
  readonly metrics: ServerMetrics;
  /** The change notices of live pages (PUB on EVENTS_ENDPOINT). */
  readonly notices: ChangeNotices;
  /** Binds the socket, and the metrics listener unless METRICS_PORT=0. */
  start(): Promise<void>;
  /** Stops the socket loop (answering what was applied), then closes the store. Idempotent. */
  stop(): Promise<void>;
}

/**
 * O(size of the data folder). Builds the ranking server from `config`: loads the data folder (when
 * persisting) and wires engine and socket. Throws CorruptLogError / CorruptSnapshotError when the
 * data folder cannot be trusted.
 */
export function openRankingService(
  config: RankingServerConfig,
  logger: Logger,
  options: ServiceOptions = {},
): RankingService {
  const metrics = new ServerMetrics();
  const state = new RankingState({
    maxBoards: config.maxBoards,
    maxPlayers: config.maxPlayers,
    shards: config.shards,
    shard: config.shard,
    ...(options.random ? { random: options.random } : {}),
    ...(options.capacity ? { capacity: options.capacity } : {}),
    ...(options.snapshotRun ? { snapshotRun: options.snapshotRun } : {}),
  });
  const store = config.persist
    ? DurableStore.open({
        dir: config.dataDir,
        policy: config.fsync,
        target: state,
        logger,
        recover: config.recover,
        snapshotBytes: config.snapshotBytes,
        observer: metrics,
        ...(options.snapshotChunk ? { snapshotChunk: options.snapshotChunk } : {}),
        ...(options.snapshotRetryMs ? { snapshotRetryMs: options.snapshotRetryMs } : {}),
      })
    : undefined;
  const notices = new ChangeNotices(
    config.eventsEndpoint,
    (board) => {
      const found = state.data.find(board);
      return found ? state.pages.of(found).version : undefined;
    },
    logger.child({ module: 'notices' }),
  );
  const engine = new RankingEngine({
    state,
    ...(store ? { journal: store } : {}),
    logger,
    onBoardChange: (board) => notices.changed(board),
    game: config.game,
  });
  metrics.attach(state, engine.counts);
  const server = new RankingServer({
    endpoint: config.endpoint,
    engine,
    ...(store ? { store } : {}),
    logger,
    ...(options.clock ? { clock: options.clock } : {}),
  });
  let stopping: Promise<void> | undefined;
  let listener: Server | undefined;
  return {
    state,
    engine,
    store,
    server,
    metrics,
    notices,
    start: async () => {
      await server.start();
      await notices.start();
      if (config.metricsPort > 0) {
        listener = await serveMetrics(metrics.registry, config.host, config.metricsPort);
        logger.info({ url: `http://${config.host}:${config.metricsPort}/metrics` }, 'serving metrics');
      }
    },
    stop: () =>
      (stopping ??= (async () => {
        listener?.close();
        notices.stop();
        await server.stop();
        await store
          ?.close()
          .catch((err: unknown) => logger.error({ err }, 'the log could not be closed whole'));
      })()),
  };
}
