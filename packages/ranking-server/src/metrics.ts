/**
 * The ranking server's Prometheus metrics, served on `METRICS_PORT` (its own small HTTP listener:
 * the server speaks ZeroMQ otherwise): boards, entries per board, players, keys, commands and
 * errors by name, log group writes and fsyncs, snapshots, and the process's own (CPU, memory,
 * event-loop lag, GC) from prom-client's defaults. Gauges and counts are read at each scrape, so
 * the request path pays one Map increment per command and nothing else.
 */
import { ErrorCode, errorCatalogue } from '@scoreboard/protocol';
import { createServer, type Server } from 'node:http';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { EngineCounts } from './engine/engine.js';
import type { RankingState } from './engine/state.js';
import type { StoreObserver } from './persistence/store.js';

/** Disk timing buckets in seconds: from 50 µs to 1 s. */
const DISK_BUCKETS = [
  0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1,
];

/** Snapshot buckets in seconds: from 10 ms to 5 min. */
const SNAPSHOT_BUCKETS = [0.01, 0.05, 0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300];

/** What the metrics read at a scrape; set once the engine exists. */
interface Sources {
  state: RankingState;
  counts: EngineCounts;
}

/** O(labels). Sets a counter to the totals in `counts` (they only grow, as a counter must). */
function setCounts(counter: Counter<string>, label: string, counts: ReadonlyMap<string, number>): void {
  counter.reset();
  for (const [key, n] of counts) counter.inc({ [label]: key }, n);
}

/** The ranking server's metrics registry; also the store's observer. */
export class ServerMetrics implements StoreObserver {
  readonly registry = new Registry();
  private sources: Sources | undefined;
  private readonly logRecords: Counter;
  private readonly logBytes: Counter;
  private readonly logWrite: Histogram;
  private readonly logFsync: Histogram;
  private readonly snapshots: Histogram<'outcome'>;
  private readonly snapshotRecords: Gauge;
  private readonly storageStalled: Gauge;
  private readonly storageStalls: Counter;
  private readonly replicaSnapshots: Counter;
  private readonly failovers: Counter;
  private readonly lastFailover: Gauge;
  /** What the replication gauges read: this server's role and the records its standbys lag. */
  private replicationView: (() => { primary: boolean; lag: number }) | undefined;

  /** O(1). */
  constructor() {
    const registers = [this.registry];
    const read = (): Sources | undefined => this.sources;
    collectDefaultMetrics({ register: this.registry });
    new Gauge({
      name: 'scoreboard_boards',
      help: 'Boards held (the default board counts)',
      registers,
      collect() {
        const s = read();
        if (s) this.set(s.state.data.boardCount);
      },
    });
    new Gauge({
      name: 'scoreboard_board_entries',
      help: "Entries on each board's current period",
      labelNames: ['board'],
      registers,
      collect() {
        const s = read();
        if (!s) return;
        this.reset();
        for (const board of s.state.data.all()) this.set({ board: board.id }, board.size);
      },
    });
    new Gauge({
      name: 'scoreboard_players',
      help: 'Players held (with a profile or an entry)',
      registers,
      collect() {
        const s = read();
        if (s) this.set(s.state.data.players.count);
      },
    });
    new Gauge({
      name: 'scoreboard_api_keys',
      help: 'API keys held',
      registers,
      collect() {
        const s = read();
        if (s) this.set(s.state.apiKeys.size);
      },
    });
    new Gauge({
      name: 'scoreboard_idempotency_keys',
      help: 'Idempotency keys remembered',
      registers,
      collect() {
        const s = read();
        if (s) this.set(s.state.idempotency.size);
      },
    });
    new Counter({
      name: 'scoreboard_commands_total',
      help: 'Commands handled (applied or refused), by command',
      labelNames: ['command'],
      registers,
      collect() {
        const s = read();
        if (s) setCounts(this, 'command', s.counts.commands);
      },
    });
    new Counter({
      name: 'scoreboard_request_messages_total',
      help: 'Request messages (batches of commands) received from clients',
      registers,
      collect() {
        const s = read();
        if (!s) return;
        this.reset();
        this.inc(s.counts.messages);
      },
    });
    new Counter({
      name: 'scoreboard_command_errors_total',
      help: 'Error replies, by catalogue code',
      labelNames: ['code'],
      registers,
      collect() {
        const s = read();
        if (s) setCounts(this, 'code', s.counts.errors);
      },
    });
    this.logRecords = new Counter({
      name: 'scoreboard_log_records_total',
      help: 'Records written to the append-only log',
      registers,
    });
    this.logBytes = new Counter({
      name: 'scoreboard_log_bytes_total',
      help: 'Bytes written to the append-only log',
      registers,
    });
    this.logWrite = new Histogram({
      name: 'scoreboard_log_write_seconds',
      help: 'Time to write one group of records to the log (one write call)',
      buckets: DISK_BUCKETS,
      registers,
    });
    this.logFsync = new Histogram({
      name: 'scoreboard_log_fsync_seconds',
      help: 'Time of one fsync of the log (per group under always, per second under everysec)',
      buckets: DISK_BUCKETS,
      registers,
    });
    this.snapshots = new Histogram({
      name: 'scoreboard_snapshot_duration_seconds',
      help: 'Time to write a snapshot, by outcome (ok or failed)',
      labelNames: ['outcome'],
      buckets: SNAPSHOT_BUCKETS,
      registers,
    });
    this.snapshotRecords = new Gauge({
      name: 'scoreboard_snapshot_records',
      help: 'Records in the last snapshot written',
      registers,
    });
    this.storageStalled = new Gauge({
      name: 'scoreboard_storage_stalled',
      help: 'Whether the append-only log cannot be written now (1: writes are refused, reads go on)',
      registers,
    });
    this.storageStalled.set(0);
    this.storageStalls = new Counter({
      name: 'scoreboard_storage_stalls_total',
      help: 'Times the append-only log could not be written (full disk, I/O error) and writes stopped',
      registers,
    });
    const view = (): { primary: boolean; lag: number } | undefined => this.replicationView?.();
    new Gauge({
      name: 'scoreboard_replication_role',
      help: "This ranking server's role: 1 primary, 0 standby",
      registers,
      collect() {
        this.set(view()?.primary === false ? 0 : 1);
      },
    });
    new Gauge({
      name: 'scoreboard_replication_lag_records',
      help: 'On a primary, the log records its furthest standby has not acknowledged (0 without standbys)',
      registers,
      collect() {
        this.set(view()?.lag ?? 0);
      },
    });
    this.replicaSnapshots = new Counter({
      name: 'scoreboard_replication_snapshots_loaded_total',
      help: 'On a standby, the snapshots its primary sent it that it loaded (a start over)',
      registers,
    });
    this.failovers = new Counter({
      name: 'scoreboard_replication_failovers_total',
      help: 'Times this member took its shard over from an earlier primary',
      registers,
    });
    this.lastFailover = new Gauge({
      name: 'scoreboard_replication_last_failover_timestamp_seconds',
      help: 'When this member last took its shard over (Unix seconds; 0: never). Time since: time() - this',
      registers,
    });
    this.lastFailover.set(0);
  }

  /** O(1). This member took its shard over from an earlier primary (a failover), now. */
  failover(): void {
    this.failovers.inc();
    this.lastFailover.set(Date.now() / 1000);
  }

  /** O(1). The replication gauges read `view` at each scrape. */
  replication(view: () => { primary: boolean; lag: number }): void {
    this.replicationView = view;
  }

  /** O(1). A standby loaded a snapshot from its primary. */
  replicaSnapshotLoaded(): void {
    this.replicaSnapshots.inc();
  }

  /** O(1). What the gauges and command counts read from now on. */
  attach(state: RankingState, counts: EngineCounts): void {
    this.sources = { state, counts };
  }

  /** O(1). A log group was written (and fsynced). */
  logGroup(records: number, bytes: number, writeSeconds: number, fsyncSeconds: number | undefined): void {
    if (records > 0) {
      this.logRecords.inc(records);
      this.logBytes.inc(bytes);
      this.logWrite.observe(writeSeconds);
    }
    if (fsyncSeconds !== undefined) this.logFsync.observe(fsyncSeconds);
  }

  /** O(1). The log stalled, or was written again. */
  stalled(stalled: boolean): void {
    this.storageStalled.set(stalled ? 1 : 0);
    if (stalled) this.storageStalls.inc();
  }

  /** O(1). A snapshot ended. */
  snapshot(seconds: number, ok: boolean, records: number): void {
    this.snapshots.observe({ outcome: ok ? 'ok' : 'failed' }, seconds);
    if (ok) this.snapshotRecords.set(records);
  }
}

/**
 * Serves `registry` at `GET /metrics` on host:port; every other request answers a JSON 404 (405
 * for another method on /metrics). Resolves once listening; rejects if the port is taken.
 */
export function serveMetrics(registry: Registry, host: string, port: number): Promise<Server> {
  const server = createServer((req, res) => {
    const path = (req.url ?? '').split('?')[0];
    const fail = (code: ErrorCode): void => {
      const { status, message } = errorCatalogue[code];
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
      res.end(JSON.stringify({ error: { code, message } }));
    };
    if (path !== '/metrics') return fail(ErrorCode.HTTP_NOT_FOUND);
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('allow', 'GET, HEAD');
      return fail(ErrorCode.HTTP_METHOD_NOT_ALLOWED);
    }
    registry.metrics().then(
      (text) => {
        res.writeHead(200, { 'content-type': registry.contentType });
        res.end(req.method === 'HEAD' ? undefined : text);
      },
      () => fail(ErrorCode.INTERNAL),
    );
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve(server);
    });
  });
}
