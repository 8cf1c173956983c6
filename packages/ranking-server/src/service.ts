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
import type { ClusterShard } from '@scoreboard/protocol';
import { ReplicationSource } from './replication/source.js';
import { Follower, installSnapshot } from './replication/follower.js';

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
  /** The state (a standby's is replaced when it loads a snapshot from its primary). */
  readonly state: RankingState;
  readonly engine: RankingEngine;
  /** The persistence, unless PERSIST=0. */
  readonly store: DurableStore | undefined;
  readonly server: RankingServer;
  readonly metrics: ServerMetrics;
  /** The change notices of live pages (PUB on EVENTS_ENDPOINT). */
  readonly notices: ChangeNotices;
  /** A primary's link to its standbys (REPLICATION_ENDPOINT set). */
  readonly replication: ReplicationSource | undefined;
  /** A standby's link to its primary (REPLICA_OF set). */
  readonly follower: Follower | undefined;
  /** Binds the socket, and the metrics listener unless METRICS_PORT=0. */
  start(): Promise<void>;
  /** Stops the socket loop (answering what was applied), then closes the store. Idempotent. */
  stop(): Promise<void>;
}

/**
 * O(size of the data folder). Builds the ranking server from `config`: loads the data folder (when
 * persisting) and wires engine and socket — and, with REPLICATION_ENDPOINT, the standbys' link, or
 * with REPLICA_OF, this standby's link to its primary. Throws CorruptLogError /
 * CorruptSnapshotError when the data folder cannot be trusted.
 */
export function openRankingService(
  config: RankingServerConfig,
  logger: Logger,
  options: ServiceOptions = {},
): RankingService {
  const standby = config.replicaOf !== '';
  if ((standby || config.replicationEndpoint !== '') && !config.persist) {
    throw new Error(
      'replication needs a data folder: PERSIST=0 cannot be used with REPLICA_OF or REPLICATION_ENDPOINT',
    );
  }
  const metrics = new ServerMetrics();
  const openState = (): RankingState =>
    new RankingState({
      maxBoards: config.maxBoards,
      maxPlayers: config.maxPlayers,
      shards: config.shards,
      shard: config.shard,
      ...(options.random ? { random: options.random } : {}),
      ...(options.capacity ? { capacity: options.capacity } : {}),
      ...(options.snapshotRun ? { snapshotRun: options.snapshotRun } : {}),
    });
  const openStore = (target: RankingState): DurableStore | undefined =>
    config.persist
      ? DurableStore.open({
          dir: config.dataDir,
          policy: config.fsync,
          target,
          logger,
          recover: config.recover,
          snapshotBytes: config.snapshotBytes,
          observer: metrics,
          ...(options.snapshotChunk ? { snapshotChunk: options.snapshotChunk } : {}),
          ...(options.snapshotRetryMs ? { snapshotRetryMs: options.snapshotRetryMs } : {}),
        })
      : undefined;
  let state = openState();
  let store = openStore(state);
  const replication =
    store && !standby && config.replicationEndpoint !== ''
      ? new ReplicationSource({
          endpoint: config.replicationEndpoint,
          store,
          target: state,
          dir: config.dataDir,
          backlogBytes: config.replicationBacklogBytes,
          logger,
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
  const cluster = (): ClusterShard[] => {
    // Called by commands only, once the server below exists.
    const self = { endpoint: server.endpoint, role: 'primary' as const, lag: 0 };
    const standbys = (replication?.members ?? []).map((m) => ({
      endpoint: m.endpoint,
      role: 'standby' as const,
      lag: Math.max(0, replication!.lsn - m.lsn),
    }));
    return [{ shard: state.shard.shard, epoch: 0, members: [self, ...standbys] }];
  };
  const openEngine = (): RankingEngine => {
    const engine = new RankingEngine({
      state,
      // A standby's own log is written by its follower, never by its engine.
      ...(store && !standby ? { journal: store } : {}),
      logger,
      onBoardChange: (board) => notices.changed(board),
      game: config.game,
      standby,
      cluster,
    });
    metrics.attach(state, engine.counts);
    return engine;
  };
  let engine = openEngine();
  const server = new RankingServer({
    endpoint: config.endpoint,
    engine,
    ...(store && !standby ? { store } : {}),
    logger,
    ...(options.clock ? { clock: options.clock } : {}),
  });
  const follower = standby
    ? new Follower({
        primary: config.replicaOf,
        endpoint: () => server.endpoint,
        dir: config.dataDir,
        logger,
        target: () => ({ store: store!, state }),
        install: async (path) => {
          await store!.close();
          installSnapshot(config.dataDir, path);
          state = openState();
          store = openStore(state);
          follower!.watch(store!);
          engine = openEngine();
          server.useEngine(engine);
          metrics.replicaSnapshotLoaded();
        },
      })
    : undefined;
  if (follower && store) follower.watch(store);
  metrics.replication(() => ({
    primary: !standby,
    lag: Math.max(0, ...(replication?.members ?? []).map((m) => replication!.lsn - m.lsn)),
  }));
  let stopping: Promise<void> | undefined;
  let listener: Server | undefined;
  return {
    get state() {
      return state;
    },
    get engine() {
      return engine;
    },
    get store() {
      return store;
    },
    server,
    metrics,
    notices,
    replication,
    follower,
    start: async () => {
      await server.start();
      await notices.start();
      await replication?.start();
      follower?.start();
      if (config.metricsPort > 0) {
        listener = await serveMetrics(metrics.registry, config.host, config.metricsPort);
        logger.info({ url: `http://${config.host}:${config.metricsPort}/metrics` }, 'serving metrics');
      }
    },
    stop: () =>
      (stopping ??= (async () => {
        listener?.close();
        notices.stop();
        await follower?.stop();
        await replication?.stop();
        await server.stop();
        await store
          ?.close()
          .catch((err: unknown) => logger.error({ err }, 'the log could not be closed whole'));
      })()),
  };
}
