/**
 * The durable store: loads the data folder at start-up (snapshot, then every newer log generation)
 * into a {@link Replayable} target, appends the records of every applied write to the log, and
 * compacts the log into a new snapshot when the current generation grows past a size. It knows
 * records, never boards: what a record means is the target's business.
 *
 * Start-up rules: a torn last record (a crash mid-write) is cut off with a warning; a damaged
 * record anywhere else stops start-up with a message naming the file and offset, unless
 * `recover` is set, in which case the log is cut at that record (everything after it is dropped,
 * and said so).
 */
import type { FsyncPolicy } from '@scoreboard/config';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, truncateSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { AppendLog, logPath } from './append-log.js';
import { fsyncDir } from './files.js';
import { encodeRecord, readRecord, type LogRecord } from '../records/index.js';
import { SNAPSHOT_FILE, SNAPSHOT_TMP, readSnapshot, writeSnapshot, type SnapshotSource } from './snapshot.js';

/**
 * What the store loads into and snapshots — the ranking server's state, seen only through records:
 * it replays each record read back, and offers a live record source to snapshot.
 */
export interface Replayable<S = unknown> {
  /** O(log n) per record. Applies one record read back from a snapshot or the log. */
  replay(record: LogRecord): void;
  /** O(1). Makes the next stamped tie-break sequence at least `seq` (a snapshot's header). */
  advanceSeq(seq: number): void;
  /**
   * O(1) plus what it reserves. Called with the `state` a snapshot's header kept before its records
   * are: sizes to reserve, so loading grows nothing. Optional; undefined when it kept none.
   */
  snapshotHeader?(state: S | undefined): void;
  /**
   * O(state). Called once a snapshot is loaded, before the log is, with the `state` its source
   * kept in the header (undefined when it kept none).
   */
  snapshotLoaded(state: S | undefined): void;
  /** O(1). Live iterators of what a snapshot must hold. */
  snapshotSource(): SnapshotSource<S>;
}

/** A damaged log record in the middle of the log: start-up stops unless asked to recover. */
export class CorruptLogError extends Error {
  override readonly name = 'CorruptLogError';
}

/** Options of {@link DurableStore.open}. */
export interface StoreOptions<S = unknown> {
  dir: string;
  policy: FsyncPolicy;
  /** What the data folder is loaded into, and what snapshots are taken of. */
  target: Replayable<S>;
  logger: Logger;
  /** Cut the log at a corrupt record instead of refusing to start. */
  recover: boolean;
  /** Start a snapshot when the current log generation passes this many bytes. */
  snapshotBytes: number;
  /** Records per chunk of a snapshot walk (one chunk per event-loop turn). */
  snapshotChunk?: number;
  /** Hears of log groups and snapshots (metrics). */
  observer?: StoreObserver;
  /** The first retry of a failed snapshot after this many ms (default 5 s), doubling to 5 min. */
  snapshotRetryMs?: number;
}

/** What a store tells its observer (the metrics): timings of its disk work. */
export interface StoreObserver {
  /** A log group was written (and fsynced, under always); an everysec background fsync comes with 0 records. */
  logGroup(records: number, bytes: number, writeSeconds: number, fsyncSeconds: number | undefined): void;
  /** A snapshot ended after `seconds`: written (`ok`) with `records` records, or failed. */
  snapshot(seconds: number, ok: boolean, records: number): void;
  /** The log stalled (it cannot be written) or was written again. */
  stalled(stalled: boolean): void;
}

/** What loading found. */
export interface LoadStats {
  snapshotRecords: number;
  logRecords: number;
  generations: number;
  tornBytes: number;
  ms: number;
}

const GEN_RE = /^aof\.(\d{8})\.log$/;

function generations(dir: string): number[] {
  return readdirSync(dir)
    .map((f) => GEN_RE.exec(f)?.[1])
    .filter((g): g is string => g !== undefined)
    .map(Number)
    .sort((a, b) => a - b);
}

/**
 * The ranking server's persistence: snapshot + append-only log. It is the engine's journal
 * (`append` a record, get its ticket) and the socket loop's durability gate (`durable`, and a
 * listener told whenever it advances).
 */
export class DurableStore<S = unknown> {
  private snapshotting: Promise<void> | undefined;
  private snapshotAgain = false;
  private closing = false;
  private readonly log: Logger;
  private aof!: AppendLog;
  private readonly durableListeners: Array<(ticket: number) => void> = [];
  private readonly stallListeners: Array<(err: Error | undefined) => void> = [];
  /** A snapshot failed and none has succeeded since: it is retried (see {@link retrySnapshotSoon}). */
  private snapshotWanted = false;
  private snapshotRetries = 0;
  private snapshotTimer: NodeJS.Timeout | undefined;
  /** The log sequence number of the record before this process's first append (ticket 0). */
  private baseLsn = 0;
  /** Hears the records that became durable (replication); undefined: nothing is kept for it. */
  private shipper: ((firstLsn: number, records: Buffer[]) => void) | undefined;
  /** Encoded records appended and not yet durable, oldest first (kept only for a shipper). */
  private unshipped: Buffer[] = [];
  private shippedTicket = 0;

  private constructor(
    private readonly opts: StoreOptions<S>,
    readonly loaded: LoadStats,
  ) {
    this.log = opts.logger.child({ module: 'store' });
  }

  /** O(size of data). Loads `dir` into the target and opens the log for appending. */
  static open<S>(opts: StoreOptions<S>): DurableStore<S> {
    const started = performance.now();
    const log = opts.logger.child({ module: 'store' });
    mkdirSync(opts.dir, { recursive: true });
    rmSync(join(opts.dir, SNAPSHOT_TMP), { force: true }); // an unfinished snapshot is never used
    const stats: LoadStats = {
      snapshotRecords: 0,
      logRecords: 0,
      generations: 0,
      tornBytes: 0,
      ms: 0,
    };

    let fromGen = 1;
    let snapshotLsn = 0;
    const snapPath = join(opts.dir, SNAPSHOT_FILE);
    if (existsSync(snapPath)) {
      const { header, records } = readSnapshot<S>(
        snapPath,
        (rec) => opts.target.replay(rec),
        (h) => opts.target.snapshotHeader?.(h.state),
      );
      fromGen = header.fromGeneration;
      snapshotLsn = header.lsn ?? 0;
      opts.target.advanceSeq(header.nextSeq);
      opts.target.snapshotLoaded(header.state);
      stats.snapshotRecords = records;
    }
    let gens = generations(opts.dir);
    for (const old of gens.filter((g) => g < fromGen)) rmSync(logPath(opts.dir, old)); // compacted
    gens = gens.filter((g) => g >= fromGen);

    for (let i = 0; i < gens.length; i++) {
      const path = logPath(opts.dir, gens[i]!);
      const last = i === gens.length - 1;
      const buf = readFileSync(path);
      let offset = 0;
      while (offset < buf.length) {
        let r = readRecord(buf, offset);
        if (r.kind === 'record') {
          try {
            opts.target.replay(r.record);
            stats.logRecords++;
            offset = r.next;
            continue;
          } catch (err) {
            // Well formed but meaningless here (a score for a board never created): damaged.
            r = { kind: 'corrupt', next: r.next, reason: `cannot apply it: ${(err as Error).message}` };
          }
        }
        // A record cut short, or damaged as the very last one, is a write torn by a crash.
        const torn = last && (r.kind === 'truncated' || r.next === buf.length);
        if (!torn && !opts.recover) {
          const why = r.kind === 'corrupt' ? r.reason : 'truncated record';
          throw new CorruptLogError(
            `${path}: ${why} at byte ${offset} of ${buf.length}, before the end of the log. ` +
              'The data after it cannot be trusted. Restore a backup, or start with --recover ' +
              '(RECOVER=1) to keep the records before it and drop the rest.',
          );
        }
        stats.tornBytes = buf.length - offset;
        truncateSync(path, offset);
        if (torn) {
          log.warn(
            { file: path, offset, bytes: stats.tornBytes },
            'cut off a torn last record (a crash mid-write)',
          );
        } else {
          const dropped = gens.splice(i + 1);
          for (const g of dropped) rmSync(logPath(opts.dir, g));
          log.error(
            { file: path, offset, bytes: stats.tornBytes, droppedGenerations: dropped },
            'recovered: cut the log at a corrupt record and dropped everything after it',
          );
        }
        break;
      }
    }
    stats.generations = gens.length;
    const gen = gens.at(-1) ?? fromGen;
    const size = existsSync(logPath(opts.dir, gen)) ? statSync(logPath(opts.dir, gen)).size : 0;
    stats.ms = Math.round(performance.now() - started);
    const store = new DurableStore(opts, stats);
    store.baseLsn = snapshotLsn + stats.logRecords;
    store.aof = new AppendLog(opts.dir, gen, size, opts.policy, {
      onDurable: (ticket) => {
        store.ship(ticket);
        for (const fn of store.durableListeners) fn(ticket);
      },
      onStall: (err) => {
        store.log.error(
          { err },
          'the append-only log cannot be written: writes are refused, reads go on; retrying every second',
        );
        opts.observer?.stalled(true);
        for (const fn of store.stallListeners) fn(err);
      },
      onRecover: () => {
        store.log.warn('the append-only log is written again: writes resume');
        opts.observer?.stalled(false);
        for (const fn of store.stallListeners) fn(undefined);
        if (store.snapshotWanted) store.retrySnapshotSoon();
      },
      ...(opts.observer ? { onGroup: opts.observer.logGroup.bind(opts.observer) } : {}),
    });
    fsyncDir(opts.dir);
    log.info({ dir: opts.dir, policy: opts.policy, ...stats }, 'loaded the data folder');
    return store;
  }

  /** O(1). `fn` is called with the new durable ticket whenever it advances. */
  onDurable(fn: (ticket: number) => void): void {
    this.durableListeners.push(fn);
  }

  /**
   * O(1). `fn` hears when the log stalls (with why) and when it is written again (undefined).
   * Nothing becomes durable while it is stalled.
   */
  onStall(fn: (err: Error | undefined) => void): void {
    this.stallListeners.push(fn);
  }

  /** O(1). Ticket of the last appended record. */
  get appendedTicket(): number {
    return this.aof.appendedTicket;
  }

  /** O(1). Highest durable ticket. */
  get durable(): number {
    return this.aof.durable;
  }

  /** O(1). Why the log cannot be written now (a full disk, an I/O error); undefined while it can. */
  get stalled(): Error | undefined {
    return this.aof.stalled;
  }

  /**
   * O(1). The log sequence number of the last appended record: records counted from the first one
   * the data folder ever held, across snapshots and restarts (a snapshot's header keeps it), so a
   * primary and a standby that holds the same records agree on it.
   */
  get lsn(): number {
    return this.baseLsn + this.aof.appendedTicket;
  }

  /** O(1). The ticket (this process's append count) of the record numbered `lsn`. */
  ticketOf(lsn: number): number {
    return lsn - this.baseLsn;
  }

  /** O(1). The log sequence number of the last record that is durable under the policy. */
  get durableLsn(): number {
    return this.baseLsn + this.aof.durable;
  }

  /**
   * O(1). From now on `fn` hears every record once it is durable, in order, with the log sequence
   * number of the first (replication ships them). One listener; it must not throw.
   */
  onShip(fn: (firstLsn: number, records: Buffer[]) => void): void {
    this.shipper = fn;
    this.unshipped = [];
    this.shippedTicket = this.aof.appendedTicket;
  }

  /** O(records shipped). Hands the records up to `ticket` to the shipper. */
  private ship(ticket: number): void {
    if (!this.shipper || ticket <= this.shippedTicket) return;
    const count = ticket - this.shippedTicket;
    const records = this.unshipped.splice(0, count);
    const first = this.baseLsn + this.shippedTicket + 1;
    this.shippedTicket = ticket;
    this.shipper(first, records);
  }

  /** O(record). Appends a record to the log; answers its ticket. May start a snapshot. */
  append(record: LogRecord): number {
    return this.appendEncoded(encodeRecord(record));
  }

  /** O(record). {@link append} for a record already encoded (one a standby was shipped). */
  appendEncoded(encoded: Buffer): number {
    const ticket = this.aof.append(encoded);
    if (this.shipper) this.unshipped.push(encoded);
    this.maybeSnapshot();
    return ticket;
  }

  /** Resolves when everything recorded so far is durable under the policy. */
  flush(): Promise<void> {
    return this.aof.flush();
  }

  /**
   * O(1). Asks for a snapshot soon, so that no log generation older than now stays on disk (after
   * an erasure: the erased player's records must not outlive it). A snapshot under way does not
   * count — it may have walked the player — so another one follows it.
   */
  compactSoon(): void {
    if (this.snapshotting) {
      this.snapshotAgain = true;
      return;
    }
    setImmediate(() => void this.snapshot());
  }

  /** Starts a snapshot in the background if the log has grown past the threshold. */
  private maybeSnapshot(): void {
    if (this.snapshotting || this.aof.generationBytes < this.opts.snapshotBytes) return;
    void this.snapshot();
  }

  /**
   * Writes a snapshot now (or waits for the one under way): rotates the log, walks the target's records in
   * chunks, renames the file into place, then deletes the generations it covers.
   */
  async snapshot(): Promise<void> {
    if (this.snapshotting) return this.snapshotting;
    if (this.closing) return;
    const run = async (): Promise<void> => {
      const started = performance.now();
      const newGen = this.aof.generation + 1;
      const lsn = this.lsn;
      this.aof.rotate(newGen);
      const { target, dir } = this.opts;
      try {
        const { records, bytes } = await writeSnapshot(
          dir,
          newGen,
          target.snapshotSource(),
          this.opts.snapshotChunk,
          lsn,
        );
        await this.aof.flush(); // the rotation is on disk before older generations go
        for (const g of generations(dir).filter((x) => x < newGen)) rmSync(logPath(dir, g));
        const ms = performance.now() - started;
        this.log.info({ records, bytes, ms: Math.round(ms), generation: newGen }, 'snapshot written');
        this.opts.observer?.snapshot(ms / 1000, true, records);
        this.snapshotWanted = false;
        this.snapshotRetries = 0;
      } catch (err) {
        this.log.error({ err }, 'snapshot failed; the log is kept, and the snapshot is retried');
        this.opts.observer?.snapshot((performance.now() - started) / 1000, false, 0);
        this.snapshotWanted = true;
        this.retrySnapshotSoon();
      }
    };
    this.snapshotting = run().finally(() => {
      this.snapshotting = undefined;
      if (this.snapshotAgain && !this.closing) {
        this.snapshotAgain = false;
        void this.snapshot();
      }
    });
    return this.snapshotting;
  }

  /**
   * O(1). After a failed snapshot: tries again in 5 s, doubling to 5 min while it keeps failing, and
   * never while the log is stalled (the log's recovery asks again).
   */
  private retrySnapshotSoon(): void {
    clearTimeout(this.snapshotTimer);
    if (this.closing) return;
    const delay = Math.min(
      300_000,
      (this.opts.snapshotRetryMs ?? 5000) * 2 ** Math.min(this.snapshotRetries, 6),
    );
    this.snapshotTimer = setTimeout(() => {
      if (!this.snapshotWanted || this.aof.stalled) return;
      this.snapshotRetries++;
      void this.snapshot();
    }, delay);
    this.snapshotTimer.unref();
  }

  /** Waits for a snapshot under way, flushes and closes the log. */
  async close(): Promise<void> {
    this.closing = true;
    clearTimeout(this.snapshotTimer);
    await this.snapshotting;
    await this.aof.close();
  }
}
