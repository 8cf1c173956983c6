/**
 * A primary's side of replication: a ROUTER on REPLICATION_ENDPOINT that streams every durable log
 * record, in order and with its log sequence number (LSN), to each standby that says hello.
 *
 * - Only records durable on the primary are shipped, so a standby never holds a record a restart of
 *   its primary would not find.
 * - A backlog of the latest records (REPLICATION_BACKLOG_BYTES) serves a standby that reconnects a
 *   little behind. One that is further behind, ahead (it holds records this primary lost), or new
 *   gets a snapshot first: written from the live state like the store's own (fuzzy, then the records
 *   after its LSN replayed over it, as on a restart), sent in 1 MiB chunks, then the records after it.
 * - A standby says hello with its LSN every second and whenever its log makes records durable: that
 *   is its acknowledgement (the lag shown by `cluster`), and the way a standby the primary forgot
 *   (a restart, a refused send) is picked up again. One silent for 5 s is dropped.
 * - A message that cannot be queued (a slow standby) drops that standby; its next hello resumes it.
 */
import { decodeReplication, encodeReplication, type ReplicationMessage } from '@scoreboard/protocol';
import type { SyncSet } from '@scoreboard/coordination';
import { SendQueue } from '@scoreboard/lifecycle';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { Router } from 'zeromq';
import type { DurableStore, Replayable } from '../persistence/store.js';
import { writeSnapshotFile } from '../persistence/snapshot.js';

/** Bytes of one snapshot chunk on the wire. */
const CHUNK = 1 << 20;
/** A standby not heard from for this long is forgotten. */
const SILENT_MS = 5000;

/** What a source needs. */
export interface ReplicationSourceOptions {
  endpoint: string;
  store: DurableStore;
  /** What snapshots for standbys are taken of (the ranking state). */
  target: Replayable;
  /** Where snapshots for standbys are written before they are sent (the data folder). */
  dir: string;
  /** Bytes of recent records kept for standbys that reconnect behind. */
  backlogBytes: number;
  /** This primary's epoch (0 while the launcher fixes the roles): a standby of another starts over. */
  epoch: number;
  /**
   * `sync`: a write's reply waits until a standby of the synchronous set holds it durably
   * ({@link ReplicationSource.replicatedLsn}); `async`: the primary's own log is enough.
   */
  mode: 'sync' | 'async';
  /** This primary's ranking endpoint (the synchronous set names members by it). */
  self: () => string;
  /**
   * Records the synchronous set where the election reads it (etcd); resolves false when this
   * primary may not (deposed). Without one (roles fixed), the set lives here alone.
   */
  saveSyncSet?: (set: SyncSet) => Promise<boolean>;
  /** More replies may leave: a standby acknowledged, or the set changed. */
  onProgress: () => void;
  logger: Logger;
}

/** One standby, as its primary sees it. */
export interface StandbyView {
  endpoint: string;
  /** Its last LSN held durably, as it last said. */
  lsn: number;
  /** Receiving a snapshot. */
  syncing: boolean;
}

interface Standby extends StandbyView {
  identity: Buffer;
  /** The next LSN to send it. */
  next: number;
  heardAt: number;
  /** The primary's durable LSN when it began receiving live records: once it holds that, it is in step. */
  inStepAt: number;
}

/** The primary's replication ROUTER. */
export class ReplicationSource {
  private readonly log: Logger;
  private router: Router | undefined;
  private sender: SendQueue<[Buffer, ...Buffer[]]> | undefined;
  private loop: Promise<void> | undefined;
  private sweeper: NodeJS.Timeout | undefined;
  private readonly standbys = new Map<string, Standby>();
  /** Recent durable records, oldest first: `backlog[i]` has LSN `backlogFirst + i`. */
  private backlog: Buffer[] = [];
  private backlogFirst: number;
  private backlogSize = 0;
  /** Snapshots under way pin the backlog from their LSN + 1 on. */
  private readonly pins = new Set<number>();
  private snapshots = 0;
  /** The synchronous set as recorded (only its members' acknowledgements count), and each one's last LSN. */
  private committed = new Map<string, number>();
  /** The set was first recorded for this epoch: until then nothing is acknowledged. */
  private recorded = false;
  private saving: Promise<void> | undefined;

  /** O(1). Starts keeping durable records at once; nothing is bound until `start()`. */
  constructor(private readonly options: ReplicationSourceOptions) {
    this.log = options.logger.child({ module: 'replication' });
    this.backlogFirst = options.store.durableLsn + 1;
    options.store.onShip((first, records) => this.shipped(first, records));
  }

  /** O(1). The LSN of the last durable record: what a standby in step holds. */
  get lsn(): number {
    return this.options.store.durableLsn;
  }

  /**
   * O(set). The last LSN whose writes may be acknowledged as far as replication goes: Infinity
   * under `async` or while the synchronous set is empty (the primary alone), else the furthest LSN
   * a member of the set holds durably; 0 until the set is first recorded in this epoch.
   */
  replicatedLsn(): number {
    if (this.options.mode === 'async') return Infinity;
    if (!this.recorded) return 0;
    if (this.committed.size === 0) return Infinity;
    return Math.max(...this.committed.values());
  }

  /** O(standbys). The standbys heard from lately. */
  get members(): StandbyView[] {
    return [...this.standbys.values()].map(({ endpoint, lsn, syncing }) => ({ endpoint, lsn, syncing }));
  }

  /** Binds the ROUTER and starts answering standbys. */
  async start(): Promise<void> {
    const router = new Router({ mandatory: true, sendTimeout: 0, linger: 0, sendHighWaterMark: 100_000 });
    await router.bind(this.options.endpoint);
    this.router = router;
    this.sender = new SendQueue({
      send: (message) => router.send(message),
      closed: () => router.closed,
      onError: (err, message) => {
        const key = message[0].toString('hex');
        if (this.standbys.delete(key))
          this.log.warn({ err }, 'dropped a standby that could not keep up; it resumes at its next hello');
      },
    });
    this.loop = this.receive(router);
    this.maintainSet();
    this.sweeper = setInterval(() => this.sweep(), 1000);
    this.sweeper.unref();
    this.log.info({ endpoint: router.lastEndpoint ?? this.options.endpoint }, 'replication listening');
  }

  /** Closes the ROUTER. Idempotent. */
  async stop(): Promise<void> {
    const router = this.router;
    if (!router) return;
    clearInterval(this.sweeper);
    this.router = undefined;
    router.close();
    await this.loop;
  }

  private send(standby: Standby, m: ReplicationMessage): void {
    this.sender?.push([standby.identity, ...encodeReplication(m)]);
  }

  /** O(records + standbys). New durable records: kept in the backlog and sent to standbys in step. */
  private shipped(first: number, records: Buffer[]): void {
    if (this.backlog.length === 0) this.backlogFirst = first;
    for (const r of records) {
      this.backlog.push(r);
      this.backlogSize += r.length;
    }
    this.trim();
    if (this.standbys.size === 0) return;
    const bytes = records.length === 1 ? records[0]! : Buffer.concat(records);
    for (const s of this.standbys.values()) {
      if (s.syncing || s.next !== first) continue;
      this.send(s, { kind: 'records', epoch: this.options.epoch, first, bytes });
      s.next = first + records.length;
    }
  }

  /** O(dropped). Keeps the backlog under its size, never dropping what a snapshot under way needs. */
  private trim(): void {
    const keepFrom = this.pins.size > 0 ? Math.min(...this.pins) : Infinity;
    let drop = 0;
    while (
      drop < this.backlog.length - 1 &&
      this.backlogSize > this.options.backlogBytes &&
      this.backlogFirst + drop < keepFrom
    ) {
      this.backlogSize -= this.backlog[drop]!.length;
      drop++;
    }
    if (drop > 0) {
      this.backlog = this.backlog.slice(drop);
      this.backlogFirst += drop;
    }
  }

  private async receive(router: Router): Promise<void> {
    try {
      for await (const [identity, ...frames] of router) {
        const m = decodeReplication(frames);
        if (!identity || !m || m.kind !== 'hello') {
          this.log.warn('a replication message that is not a hello');
          continue;
        }
        this.hello(identity, m.lsn, m.epoch, m.endpoint);
      }
    } catch (err) {
      if (!router.closed) this.log.error({ err }, 'replication receive loop failed');
    }
  }

  /**
   * O(records sent). A standby stands at `lsn` of the history of `epoch`: noted, and started or
   * resumed if it is new. One whose log holds another epoch's history may hold records this
   * primary never had (an old primary's unacknowledged tail): it starts over from a snapshot.
   */
  private hello(identity: Buffer, lsn: number, epoch: number, endpoint: string): void {
    const key = identity.toString('hex');
    const known = this.standbys.get(key);
    if (known) {
      known.lsn = Math.max(known.lsn, lsn);
      known.heardAt = Date.now();
      if (this.committed.has(endpoint)) {
        this.committed.set(endpoint, Math.max(this.committed.get(endpoint)!, known.lsn));
        this.options.onProgress();
      }
      if (known.lsn >= known.inStepAt && !this.committed.has(endpoint)) this.maintainSet();
      return;
    }
    const s: Standby = {
      identity,
      endpoint,
      lsn,
      next: lsn + 1,
      heardAt: Date.now(),
      syncing: false,
      inStepAt: Infinity,
    };
    this.standbys.set(key, s);
    const top = this.lsn;
    if (epoch === this.options.epoch && lsn <= top && lsn + 1 >= this.backlogFirst) {
      this.log.info({ endpoint, lsn, behind: top - lsn }, 'a standby resumes from the backlog');
      this.catchUp(s);
    } else {
      this.log.info({ endpoint, lsn, epoch, primary: top }, 'a standby starts over from a snapshot');
      void this.snapshotFor(s);
    }
  }

  /** O(records). Sends `s` the backlog from its next LSN on; it receives live records afterwards. */
  private catchUp(s: Standby): void {
    s.inStepAt = this.lsn;
    const from = s.next - this.backlogFirst;
    const records = this.backlog.slice(Math.max(0, from));
    if (records.length > 0) {
      let start = 0;
      while (start < records.length) {
        let size = 0;
        let end = start;
        while (end < records.length && (end === start || size < CHUNK)) size += records[end++]!.length;
        this.send(s, {
          kind: 'records',
          epoch: this.options.epoch,
          first: s.next,
          bytes: Buffer.concat(records.slice(start, end)),
        });
        s.next += end - start;
        start = end;
      }
    }
  }

  /** Writes a snapshot for `s`, sends it, then the records after it. */
  private async snapshotFor(s: Standby): Promise<void> {
    s.syncing = true;
    const lsn = this.options.store.lsn;
    this.pins.add(lsn + 1);
    const path = join(this.options.dir, `replica-${++this.snapshots}.tmp`);
    try {
      const { bytes } = await writeSnapshotFile(
        path,
        { fromGeneration: 1, lsn },
        this.options.target.snapshotSource(),
      );
      // The walk may hold records appended while it ran: send it once they are durable.
      await this.options.store.flush();
      if (this.standbys.get(s.identity.toString('hex')) !== s) return; // gone meanwhile
      const file = readFileSync(path);
      this.send(s, { kind: 'snapshot-begin', epoch: this.options.epoch, lsn, bytes });
      for (let at = 0; at < file.length; at += CHUNK) {
        this.send(s, { kind: 'snapshot-chunk', bytes: file.subarray(at, at + CHUNK) });
      }
      this.send(s, { kind: 'snapshot-end' });
      s.next = lsn + 1;
      s.syncing = false;
      this.catchUp(s);
      this.log.info({ endpoint: s.endpoint, lsn, bytes }, 'sent a standby a snapshot');
    } catch (err) {
      this.log.error({ err }, 'could not send a standby a snapshot; it starts over at its next hello');
      this.standbys.delete(s.identity.toString('hex'));
    } finally {
      this.pins.delete(lsn + 1);
      rmSync(path, { force: true });
      this.trim();
    }
  }

  /** O(standbys). Forgets standbys silent for 5 s. */
  private sweep(): void {
    const now = Date.now();
    for (const [key, s] of this.standbys) {
      if (now - s.heardAt > SILENT_MS) {
        this.standbys.delete(key);
        this.log.warn({ endpoint: s.endpoint }, 'a standby went silent');
      }
    }
    this.maintainSet();
  }

  /**
   * Brings the recorded synchronous set to the standbys in step now (REPLICATION=sync): one that
   * holds every record up to where it began receiving live ones joins; one that is gone leaves.
   * A change is recorded (in etcd) before it counts — so a standby that left can never be elected
   * with writes acknowledged without it. One save at a time; it looks again when one ends.
   */
  private maintainSet(): void {
    if (this.options.mode === 'async' || this.saving || !this.router) return;
    const live = new Map<string, Standby>();
    for (const s of this.standbys.values()) if (!s.syncing && s.lsn >= s.inStepAt) live.set(s.endpoint, s);
    const wanted = [...live.keys()].sort();
    const current = [...this.committed.keys()].sort();
    if (this.recorded && wanted.join() === current.join()) return;
    const set: SyncSet = { epoch: this.options.epoch, primary: this.options.self(), standbys: wanted };
    this.saving = (async () => {
      const ok = (await this.options.saveSyncSet?.(set)) ?? true;
      if (!ok) {
        this.log.error('could not record the synchronous set: this primary was deposed');
        return;
      }
      const next = new Map<string, number>();
      for (const e of wanted) next.set(e, live.get(e)?.lsn ?? 0);
      this.committed = next;
      if (!this.recorded || wanted.join() !== current.join())
        this.log.info({ standbys: wanted }, 'the synchronous set is recorded');
      this.recorded = true;
      this.options.onProgress();
    })()
      .catch((err: unknown) => this.log.warn({ err }, 'could not record the synchronous set; trying again'))
      .finally(() => {
        this.saving = undefined;
        setTimeout(() => this.maintainSet(), 100).unref();
      });
  }
}
