/**
 * The durable store: loads the board at start-up (snapshot, then every newer log generation) and
 * records every applied write in the append-only log; compacts the log into a new snapshot when
 * the current generation grows past a size.
 *
 * Start-up rules: a torn last record (a crash mid-write) is cut off with a warning; a damaged
 * record anywhere else stops start-up with a message naming the file and offset, unless
 * `recover` is set, in which case the log is cut at that record (everything after it is dropped,
 * and said so).
 */
import type { UserId } from '@scoreboard/protocol';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, truncateSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { Leaderboard } from '../leaderboard.js';
import { AppendLog, fsyncDir, logPath, type FsyncPolicy } from './append-log.js';
import type { IdempotencyStore } from './idempotency.js';
import { RecordType, encodeRecord, readRecord, type KeyRef, type LogRecord } from './records.js';
import { SNAPSHOT_FILE, SNAPSHOT_TMP, readSnapshot, writeSnapshot } from './snapshot.js';

/** A damaged log record in the middle of the log: start-up stops unless asked to recover. */
export class CorruptLogError extends Error {
  override readonly name = 'CorruptLogError';
}

/** Options of {@link DurableStore.open}. */
export interface StoreOptions {
  dir: string;
  policy: FsyncPolicy;
  board: Leaderboard;
  keys: IdempotencyStore;
  logger: Logger;
  /** Cut the log at a corrupt record instead of refusing to start. */
  recover?: boolean;
  /** Start a snapshot when the current log generation passes this many bytes. */
  snapshotBytes?: number;
  /** Users per chunk of a snapshot walk (one chunk per event-loop turn). */
  snapshotChunk?: number;
  /** Called whenever more records become durable. */
  onDurable?: (ticket: number) => void;
}

/** What loading found. */
export interface LoadStats {
  users: number;
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

/** The ranking server's persistence: snapshot + append-only log. */
export class DurableStore {
  private snapshotting: Promise<void> | undefined;
  private readonly log: Logger;

  private constructor(
    private readonly opts: StoreOptions,
    private readonly aof: AppendLog,
    readonly loaded: LoadStats,
  ) {
    this.log = opts.logger.child({ module: 'store' });
  }

  /** O(size of data). Loads `dir` into the board and keys and opens the log for appending. */
  static open(opts: StoreOptions): DurableStore {
    const started = performance.now();
    const log = opts.logger.child({ module: 'store' });
    mkdirSync(opts.dir, { recursive: true });
    rmSync(join(opts.dir, SNAPSHOT_TMP), { force: true }); // an unfinished snapshot is never used
    const stats: LoadStats = {
      users: 0,
      snapshotRecords: 0,
      logRecords: 0,
      generations: 0,
      tornBytes: 0,
      ms: 0,
    };

    let fromGen = 1;
    const snapPath = join(opts.dir, SNAPSHOT_FILE);
    if (existsSync(snapPath)) {
      const { header, records } = readSnapshot(snapPath, (rec) => applyRecord(opts, rec));
      fromGen = header.fromGeneration;
      opts.board.advanceSeq(header.nextSeq);
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
        const r = readRecord(buf, offset);
        if (r.kind === 'record') {
          applyRecord(opts, r.record);
          stats.logRecords++;
          offset = r.next;
          continue;
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
    const aof = new AppendLog(opts.dir, gen, size, opts.policy, (t) => opts.onDurable?.(t));
    fsyncDir(opts.dir);
    stats.users = opts.board.size;
    stats.ms = Math.round(performance.now() - started);
    log.info({ dir: opts.dir, policy: opts.policy, ...stats }, 'loaded the board');
    return new DurableStore(opts, aof, stats);
  }

  /** O(1). Ticket of the last appended record. */
  get appendedTicket(): number {
    return this.aof.appendedTicket;
  }

  /** O(1). Highest durable ticket. */
  get durable(): number {
    return this.aof.durable;
  }

  /** O(1). The error that stopped the log, if any. */
  get error(): Error | undefined {
    return this.aof.error;
  }

  /** O(1). Records that `user` now stands at (total, seq), with the key that asked for it. */
  recordSet(user: UserId, total: number, seq: number, key: KeyRef | undefined, at: number): number {
    const rec: LogRecord = key
      ? { type: RecordType.Set, user, total, seq, at, key }
      : { type: RecordType.Set, user, total, seq, at };
    const ticket = this.aof.append(encodeRecord(rec));
    this.maybeSnapshot();
    return ticket;
  }

  /** O(1). Records that the board was emptied. */
  recordReset(at: number): number {
    return this.aof.append(encodeRecord({ type: RecordType.Reset, at }));
  }

  /** Resolves when everything recorded so far is durable under the policy. */
  flush(): Promise<void> {
    return this.aof.flush();
  }

  /** Starts a snapshot in the background if the log has grown past the threshold. */
  maybeSnapshot(): void {
    if (this.snapshotting || this.aof.generationBytes < (this.opts.snapshotBytes ?? 64 * 1024 * 1024)) return;
    void this.snapshot();
  }

  /**
   * Writes a snapshot now (or waits for the one under way): rotates the log, walks the board in
   * chunks, renames the file into place, then deletes the generations it covers.
   */
  async snapshot(): Promise<void> {
    if (this.snapshotting) return this.snapshotting;
    const run = async (): Promise<void> => {
      const started = performance.now();
      const newGen = this.aof.generation + 1;
      this.aof.rotate(newGen);
      const { board, keys, dir } = this.opts;
      try {
        const { records, bytes } = await writeSnapshot(
          dir,
          newGen,
          {
            states: board.states(),
            keys: keys.entries(),
            nextSeq: () => board.seqCounter,
          },
          this.opts.snapshotChunk,
        );
        await this.aof.flush(); // the rotation is on disk before older generations go
        for (const g of generations(dir).filter((x) => x < newGen)) rmSync(logPath(dir, g));
        this.log.info(
          { records, bytes, ms: Math.round(performance.now() - started), generation: newGen },
          'snapshot written',
        );
      } catch (err) {
        this.log.error({ err }, 'snapshot failed; the log is kept');
      }
    };
    this.snapshotting = run().finally(() => (this.snapshotting = undefined));
    return this.snapshotting;
  }

  /** Waits for a snapshot under way, flushes and closes the log. */
  async close(): Promise<void> {
    await this.snapshotting;
    await this.aof.close();
  }
}

function applyRecord(opts: StoreOptions, rec: LogRecord): void {
  switch (rec.type) {
    case RecordType.Set:
      opts.board.restore(rec.user, rec.total, rec.seq);
      if (rec.key) opts.keys.remember(rec.key, { user: rec.user, total: rec.total }, rec.at);
      break;
    case RecordType.Reset:
      opts.board.reset();
      break;
    case RecordType.Key:
      opts.keys.remember(rec.key, { user: rec.user, total: rec.total }, rec.at);
      break;
    case RecordType.End:
      break;
  }
}
