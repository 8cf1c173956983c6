/**
 * A standby's side of replication: a DEALER to its primary's REPLICATION_ENDPOINT. It says hello with
 * its log sequence number (LSN) on connecting, every second, and whenever its own log makes records
 * durable (its acknowledgement), and applies what the primary sends:
 *
 * - `records`: each one is replayed into the state and appended to this server's own log, through the
 *   same record code a restart uses; records it already holds are skipped. A gap (a record missing
 *   before the first one sent) means messages were dropped: the follower reconnects with a new
 *   identity and the primary starts it over from its LSN.
 * - a snapshot: written to `replica.tmp` in the data folder; once whole, the owner installs it as
 *   the data folder's snapshot (the log generations go) and reloads from it, then the records after
 *   it follow.
 */
import { decodeReplication, encodeReplication, type ReplicationMessage } from '@scoreboard/protocol';
import { SendQueue } from '@scoreboard/lifecycle';
import { closeSync, fsyncSync, openSync, readdirSync, renameSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { Dealer } from 'zeromq';
import { readRecord } from '../records/index.js';
import type { DurableStore, Replayable } from '../persistence/store.js';
import { fsyncDir } from '../persistence/files.js';
import { SNAPSHOT_FILE } from '../persistence/snapshot.js';

/** Where a snapshot from the primary is written while it arrives. */
export const REPLICA_TMP = 'replica.tmp';

/** What a follower applies shipped records to: the store and state of the moment (a reload swaps them). */
export interface FollowerTarget {
  store: DurableStore;
  state: Replayable;
}

/** What a follower needs. */
export interface FollowerOptions {
  /** The primary's REPLICATION_ENDPOINT (see {@link Follower.retarget}). */
  primary: string;
  /** The primary's epoch: messages of another are refused (0: roles fixed, no elections). */
  primaryEpoch: number;
  /** The epoch of the history this folder's log holds (see epoch-file.ts). */
  epoch: () => number;
  /** This standby's client endpoint, as the primary shows it in `cluster` (read once bound). */
  endpoint: () => string;
  /** The data folder. */
  dir: string;
  logger: Logger;
  /** The store and state records are applied to now. */
  target: () => FollowerTarget;
  /**
   * Installs the snapshot at `path` (a file in the data folder), of the primary of `epoch`, as the
   * data folder's only content and reloads the state from it; resolves once the new target is in place.
   */
  install: (path: string, epoch: number) => Promise<void>;
}

/** A standby's link to its primary. */
export class Follower {
  private readonly log: Logger;
  private dealer: Dealer | undefined;
  private sender: SendQueue<Buffer[]> | undefined;
  private loop: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  /** A snapshot arriving: its file, epoch, LSN, size and bytes so far. */
  private incoming: { fd: number; epoch: number; lsn: number; bytes: number; got: number } | undefined;
  private primary: string;
  private primaryEpoch: number;
  /** Records that came while a snapshot was being installed. */
  private parked: Array<{ first: number; bytes: Buffer }> | undefined;

  /** O(1). Nothing connects until `start()`. */
  constructor(private readonly options: FollowerOptions) {
    this.log = options.logger.child({ module: 'follower' });
    this.primary = options.primary;
    this.primaryEpoch = options.primaryEpoch;
  }

  /** O(1). The primary of `epoch` at `primary` is the one to follow now (a failover). */
  retarget(primary: string, epoch: number): void {
    if (primary === this.primary && epoch === this.primaryEpoch) return;
    this.primary = primary;
    this.primaryEpoch = epoch;
    if (this.timer && !this.stopped) this.reconnect(`a new primary (epoch ${epoch})`);
  }

  /** O(1). The LSN of the last record this standby holds (appended; durable soon after). */
  get lsn(): number {
    return this.options.target().store.lsn;
  }

  /** Connects to the primary and says hello; hellos follow every second and on each durable step. */
  start(): void {
    this.connect();
    this.timer = setInterval(() => this.hello(), 1000);
    this.timer.unref();
  }

  /** Disconnects. Idempotent. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    this.dealer?.close();
    await this.loop;
    if (this.incoming) {
      closeSync(this.incoming.fd);
      this.incoming = undefined;
    }
  }

  /** O(1). Hears the store's durable steps: each is an acknowledgement. Called for each new store. */
  watch(store: DurableStore): void {
    store.onDurable(() => {
      if (this.options.target().store === store) this.hello();
    });
  }

  private connect(): void {
    const dealer = new Dealer({ linger: 0, sendTimeout: 0, receiveHighWaterMark: 100_000 });
    dealer.connect(this.primary);
    this.dealer = dealer;
    this.sender = new SendQueue<Buffer[]>({
      send: (m) => dealer.send(m),
      closed: () => dealer.closed,
      onError: () => undefined, // the next hello goes out a second later
    });
    this.loop = this.receive(dealer);
    this.hello();
  }

  /** Drops the connection and opens a new one: the primary starts this standby over from its LSN. */
  private reconnect(why: string): void {
    this.log.warn({ why, lsn: this.lsn }, 'reconnecting to the primary');
    this.dealer?.close();
    if (this.incoming) {
      closeSync(this.incoming.fd);
      this.incoming = undefined;
    }
    if (!this.stopped) this.connect();
  }

  private hello(): void {
    if (this.stopped) return;
    const { store } = this.options.target();
    this.sender?.push(
      encodeReplication({
        kind: 'hello',
        lsn: store.durableLsn,
        epoch: this.options.epoch(),
        endpoint: this.options.endpoint(),
      }),
    );
  }

  private async receive(dealer: Dealer): Promise<void> {
    try {
      for await (const frames of dealer) {
        const m = decodeReplication(frames);
        if (!m) {
          this.log.error('a replication message that cannot be read');
          continue;
        }
        await this.handle(m);
        if (dealer !== this.dealer) return; // reconnected
      }
    } catch (err) {
      if (!dealer.closed) this.log.error({ err }, 'replication receive loop failed');
    }
  }

  private async handle(m: ReplicationMessage): Promise<void> {
    if ((m.kind === 'records' || m.kind === 'snapshot-begin') && m.epoch !== this.primaryEpoch) {
      this.log.warn({ epoch: m.epoch, following: this.primaryEpoch }, 'refused records of another epoch');
      return;
    }
    switch (m.kind) {
      case 'records':
        if (this.parked) this.parked.push(m);
        else this.records(m.first, m.bytes);
        return;
      case 'snapshot-begin': {
        if (this.incoming) closeSync(this.incoming.fd);
        const fd = openSync(join(this.options.dir, REPLICA_TMP), 'w');
        this.incoming = { fd, epoch: m.epoch, lsn: m.lsn, bytes: m.bytes, got: 0 };
        this.log.info({ lsn: m.lsn, bytes: m.bytes }, 'receiving a snapshot from the primary');
        return;
      }
      case 'snapshot-chunk':
        if (!this.incoming) return;
        writeSync(this.incoming.fd, m.bytes);
        this.incoming.got += m.bytes.length;
        return;
      case 'snapshot-end': {
        const incoming = this.incoming;
        if (!incoming) return;
        this.incoming = undefined;
        fsyncSync(incoming.fd);
        closeSync(incoming.fd);
        const path = join(this.options.dir, REPLICA_TMP);
        if (incoming.got !== incoming.bytes) {
          rmSync(path, { force: true });
          this.reconnect(`a snapshot of ${incoming.got} bytes, ${incoming.bytes} announced`);
          return;
        }
        this.parked = [];
        try {
          await this.options.install(path, incoming.epoch);
          this.log.info({ lsn: this.lsn }, 'loaded the snapshot from the primary');
        } finally {
          const parked = this.parked;
          this.parked = undefined;
          for (const p of parked) this.records(p.first, p.bytes);
          this.hello();
        }
        return;
      }
      default:
        return;
    }
  }

  /** O(records). Applies and logs the records from `first` on that this standby does not hold yet. */
  private records(first: number, bytes: Buffer): void {
    const { store, state } = this.options.target();
    let lsn = first;
    if (first > store.lsn + 1) {
      this.reconnect(`records from ${first}, holding up to ${store.lsn}`);
      return;
    }
    for (let offset = 0; offset < bytes.length; lsn++) {
      const r = readRecord(bytes, offset);
      if (r.kind !== 'record') {
        this.reconnect(`a damaged record from the primary at LSN ${lsn}`);
        return;
      }
      if (lsn > store.lsn) {
        state.replay(r.record);
        store.appendEncoded(bytes.subarray(offset, r.next));
      }
      offset = r.next;
    }
  }
}

/**
 * O(files). Makes the file `snapshot` (in `dir`) the data folder's snapshot, durably, and removes
 * every log generation: what the folder held is replaced by what the primary sent.
 */
export function installSnapshot(dir: string, snapshot: string): void {
  for (const f of readdirSync(dir)) if (/^aof\.\d+\.log$/.test(f)) rmSync(join(dir, f));
  renameSync(snapshot, join(dir, SNAPSHOT_FILE));
  fsyncDir(dir);
}
