/**
 * The one wiring of a ranking server: state, store (loading the data folder into the state),
 * engine and socket loop, built from the process's config. `main.ts`, the tests and the benchmarks
 * all build the server this way, so what they run is what ships.
 */
import type { Logger } from 'pino';
import type { RandomSource } from './board/skip-list.js';
import { advertised, type RankingServerConfig } from './config.js';
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
import { readEpoch, writeEpoch } from './replication/epoch-file.js';
import { ShardMember } from './replication/member.js';
import { WebhookDelivery } from './webhooks/delivery.js';

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
  /**
   * An elected primary learnt that another member may be primary now (default: the process exits
   * 75, and its supervisor starts it again as a standby).
   */
  onDeposed?: () => void;
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
  /** A primary's link to its standbys (REPLICATION_ENDPOINT set), once it is primary. */
  readonly replication: ReplicationSource | undefined;
  /** A standby's link to its primary, while it is one. */
  readonly follower: Follower | undefined;
  /** `primary` or `standby`: an elected member starts as a standby and may be promoted. */
  readonly role: 'primary' | 'standby';
  /** Binds the socket, and the metrics listener unless METRICS_PORT=0. */
  start(): Promise<void>;
  /** Stops the socket loop (answering what was applied), then closes the store. Idempotent. */
  stop(): Promise<void>;
}

/** What a member's election needs of the service: follow a primary, or become one. */
export interface Roles {
  /** O(1). Follow the primary of `epoch` whose replication endpoint is `primary`. */
  follow(primary: string, epoch: number): void;
  /**
   * Becomes the primary of `epoch`: stops following, waits for its log, takes writes (while
   * `mayWrite` allows) and serves its standbys.
   */
  promote(epoch: number, mayWrite: () => boolean): Promise<void>;
  /** O(held). The fence allows acknowledging again. */
  renewed(): void;
  /** O(1). The LSN of this member's last durable record, and the epoch of its history. */
  position(): { lsn: number; epoch: number };
}

/**
 * O(size of the data folder). Builds the ranking server from `config`: loads the data folder (when
 * persisting) and wires engine and socket. Replication: with REPLICA_OF it is a standby of that
 * primary; with REPLICATION_ENDPOINT alone, a primary serving standbys; with ETCD_ENDPOINTS too, a
 * member of its shard's election (see replication/member.ts) that starts as a standby. Throws
 * CorruptLogError / CorruptSnapshotError when the data folder cannot be trusted.
 */
export function openRankingService(
  config: RankingServerConfig,
  logger: Logger,
  options: ServiceOptions = {},
): RankingService {
  const elected = config.etcdEndpoints.length > 0;
  if (elected && config.replicationEndpoint === '') {
    throw new Error(
      'ETCD_ENDPOINTS needs REPLICATION_ENDPOINT: an elected member may become the primary its standbys reach',
    );
  }
  const replicated = elected || config.replicaOf !== '' || config.replicationEndpoint !== '';
  if (replicated && !config.persist) {
    throw new Error(
      'replication needs a data folder: PERSIST=0 cannot be used with REPLICA_OF, REPLICATION_ENDPOINT or ETCD_ENDPOINTS',
    );
  }
  const advertise = (endpoint: string): string => advertised(endpoint, config.advertiseHost);
  let role: 'primary' | 'standby' = elected || config.replicaOf !== '' ? 'standby' : 'primary';
  let epoch = config.persist ? readEpoch(config.dataDir) : 0;
  const metrics = new ServerMetrics();
  const openState = (): RankingState =>
    new RankingState({
      maxBoards: config.maxBoards,
      maxPlayers: config.maxPlayers,
      shards: config.shards,
      shard: config.shard,
      banWrites: config.banWrites,
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
  let replication: ReplicationSource | undefined;
  let follower: Follower | undefined;
  let mayWrite: (() => boolean) | undefined;
  const newSource = (s: DurableStore, e: number): ReplicationSource =>
    new ReplicationSource({
      endpoint: config.replicationEndpoint,
      store: s,
      target: state,
      dir: config.dataDir,
      backlogBytes: config.replicationBacklogBytes,
      epoch: e,
      mode: config.replication,
      self: () => advertise(server.endpoint),
      ...(election.member ? { saveSyncSet: (set) => election.member!.saveSyncSet(set) } : {}),
      onProgress: () => server.releaseDurable(),
      logger,
    });
  /** The replies' gate under REPLICATION=sync: the last ticket a standby of the set holds. */
  const replicatedTicket = (): number => {
    const lsn = replication?.replicatedLsn() ?? Infinity;
    return lsn === Infinity ? Infinity : store!.ticketOf(lsn);
  };
  // The election, once it exists (below); a server of fixed roles has none.
  const election: { member?: ShardMember } = {};
  if (store && role === 'primary' && config.replicationEndpoint !== '') replication = newSource(store, epoch);
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
    const self = { endpoint: advertise(server.endpoint), role, lag: 0 };
    const standbys = (replication?.members ?? []).map((m) => ({
      endpoint: m.endpoint,
      role: 'standby' as const,
      lag: Math.max(0, replication!.lsn - m.lsn),
    }));
    return [{ shard: state.shard.shard, epoch, members: [self, ...standbys] }];
  };
  const openEngine = (): RankingEngine => {
    const engine = new RankingEngine({
      state,
      // A standby's own log is written by its follower, never by its engine.
      ...(store && role === 'primary' ? { journal: store } : {}),
      logger,
      onBoardChange: (board) => notices.changed(board),
      game: config.game,
      standby: role === 'standby',
      ...(mayWrite ? { mayWrite } : {}),
      cluster,
    });
    metrics.attach(state, engine.counts);
    return engine;
  };
  let engine = openEngine();
  const server = new RankingServer({
    endpoint: config.endpoint,
    engine,
    logger,
    ...(options.clock ? { clock: options.clock } : {}),
  });
  if (store && role === 'primary') server.useStore(store, undefined, replicatedTicket);
  const newFollower = (primary: string, primaryEpoch: number): Follower => {
    const f = new Follower({
      primary,
      primaryEpoch,
      epoch: () => epoch,
      endpoint: () => advertise(server.endpoint),
      dir: config.dataDir,
      logger,
      target: () => ({ store: store!, state }),
      install: async (path, from) => {
        await store!.close();
        installSnapshot(config.dataDir, path);
        writeEpoch(config.dataDir, from);
        epoch = from;
        state = openState();
        store = openStore(state);
        f.watch(store!);
        engine = openEngine();
        server.useEngine(engine);
        metrics.replicaSnapshotLoaded();
      },
    });
    if (store) f.watch(store);
    return f;
  };
  if (config.replicaOf !== '') follower = newFollower(config.replicaOf, 0);
  metrics.replication(() => ({
    primary: role === 'primary',
    lag: Math.max(0, ...(replication?.members ?? []).map((m) => replication!.lsn - m.lsn)),
  }));
  let started = false;
  const roles: Roles = {
    follow: (primary, primaryEpoch) => {
      if (role !== 'standby') throw new Error('a primary follows no one');
      if (follower) follower.retarget(primary, primaryEpoch);
      else {
        follower = newFollower(primary, primaryEpoch);
        if (started) follower.start();
      }
    },
    promote: async (won, allowed) => {
      await follower?.stop();
      follower = undefined;
      await store!.flush();
      writeEpoch(config.dataDir, won);
      // Taking over from an earlier epoch's primary (a shard's first election is no failover).
      if (epoch > 0) metrics.failover();
      epoch = won;
      mayWrite = allowed;
      role = 'primary';
      engine = openEngine();
      server.useEngine(engine);
      replication = newSource(store!, won);
      server.useStore(store!, allowed, replicatedTicket);
      await replication.start();
      logger.warn({ epoch: won, lsn: store!.lsn }, "promoted: this member is its shard's primary");
    },
    renewed: () => server.releaseDurable(),
    position: () => ({ lsn: store?.durableLsn ?? 0, epoch }),
  };
  const member = elected
    ? new ShardMember({
        etcdEndpoints: config.etcdEndpoints,
        shard: config.shard,
        leaseTtlMs: config.leaseTtlMs,
        endpoint: () => advertise(server.endpoint),
        events: advertise(config.eventsEndpoint),
        replication: advertise(config.replicationEndpoint),
        mode: config.replication,
        roles,
        logger,
        onDeposed:
          options.onDeposed ??
          (() => {
            process.exitCode = 75;
            process.exit(75);
          }),
      })
    : undefined;
  if (member) election.member = member;
  const webhooks = new WebhookDelivery({
    engine: () => engine,
    clock: options.clock ?? Date.now,
    allow: config.webhookAllow,
    timeoutMs: config.webhookTimeoutMs,
    retryMs: config.webhookRetryMs,
    logger: logger.child({ module: 'webhooks' }),
  });
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
    get replication() {
      return replication;
    },
    get follower() {
      return follower;
    },
    get role() {
      return role;
    },
    server,
    metrics,
    notices,
    start: async () => {
      await server.start();
      await notices.start();
      await replication?.start();
      started = true;
      follower?.start();
      member?.start();
      webhooks.start();
      if (config.metricsPort > 0) {
        listener = await serveMetrics(metrics.registry, config.host, config.metricsPort);
        logger.info({ url: `http://${config.host}:${config.metricsPort}/metrics` }, 'serving metrics');
      }
    },
    stop: () =>
      (stopping ??= (async () => {
        listener?.close();
        notices.stop();
        await webhooks.stop();
        await follower?.stop();
        // Answer what was applied first; then give the leader key up, so a standby need not wait
        // for the lease to lapse.
        await server.stop();
        await replication?.stop();
        await member?.stop();
        await store
          ?.close()
          .catch((err: unknown) => logger.error({ err }, 'the log could not be closed whole'));
      })()),
  };
}
