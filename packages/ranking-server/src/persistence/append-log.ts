/**
 * The append-only log with group commit, which stalls and retries instead of dying when the disk
 * cannot take a write.
 *
 * `append()` queues a framed record and answers its ticket (a count of records ever appended).
 * The pump starts once the current event-loop turn is over, so every request batch read in that
 * turn lands in one group. It writes the group with one write() on the main thread (into the page
 * cache: microseconds, and no thread hand-off) and then, under FSYNC=always, one fsync on libuv's
 * thread pool: all the writes that arrive while a group is being fsynced share the next fsync.
 * `durable` is the highest ticket that is as safe as the policy promises:
 * - always:   written and fsynced — survives a power cut;
 * - everysec: written to the OS (survives a crash of the process), fsynced within a second;
 * - no:       written to the OS; the OS decides when it reaches the disk.
 * Files are generations `aof.<gen>.log`; `rotate()` starts the next one (a snapshot covers the
 * older ones), in order with the appends around it.
 *
 * **A failed write or fsync stalls the log** (ENOSPC, EDQUOT, EIO — under any policy, the
 * background fsync of `everysec` included). `durable` stops moving, the owner hears `onStall` (the
 * engine then refuses writes, so nothing new is applied), and the log retries every
 * {@link RETRY_MS}. What it retries is the tail: every buffer written since `stable`, the last
 * offset known to be on disk as the policy wants. A retry truncates the file back to `stable` and
 * writes the tail again, then fsyncs it, because after a failed fsync the kernel may have dropped
 * the dirty pages while marking them clean (so a second fsync alone could "succeed" over lost
 * data). Once a retry succeeds, the records of the failed group become durable (their replies,
 * held until then, leave), the owner hears `onRecover`, and the queue is written on.
 */
import type { FsyncPolicy } from '@scoreboard/config';
import { closeSync, ftruncateSync, openSync } from 'node:fs';
import { join } from 'node:path';
import { fsyncAsync, fsyncDir, writeAll } from './files.js';

/** O(1). The path of a log generation. */
export function logPath(dir: string, gen: number): string {
  return join(dir, `aof.${String(gen).padStart(8, '0')}.log`);
}

/** How long a stalled log waits between retries. */
export const RETRY_MS = 1000;

/** What the owner of a log hears. */
export interface AppendLogListener {
  /** `durable` advanced to `ticket`. */
  onDurable(ticket: number): void;
  /** Writing or fsyncing failed: nothing becomes durable until `onRecover`. Once per stall. */
  onStall(err: Error): void;
  /** A retry wrote what the stall held: the log takes appends again. */
  onRecover(): void;
  /**
   * A group of `records` records (`bytes` bytes) was written in `writeSeconds` and, when the
   * policy fsyncs each group, fsynced in `fsyncSeconds`. For metrics; optional.
   */
  onGroup?(records: number, bytes: number, writeSeconds: number, fsyncSeconds: number | undefined): void;
}

/** The file operations a log uses; tests inject failures through them. */
export interface LogIo {
  open: (path: string) => number;
  write: (fd: number, buf: Buffer) => void;
  fsync: (fd: number) => Promise<void>;
  truncate: (fd: number, length: number) => void;
  close: (fd: number) => void;
  syncDir: (dir: string) => void;
}

/** The real file operations. */
export const fileIo: LogIo = {
  open: (path) => openSync(path, 'a'),
  write: writeAll,
  fsync: fsyncAsync,
  truncate: ftruncateSync,
  close: closeSync,
  syncDir: fsyncDir,
};

/** O(1). Seconds since `t0`, a `performance.now()` reading. */
function since(t0: number): number {
  return (performance.now() - t0) / 1000;
}

type Item = Buffer | { rotateTo: number };

/** An append-only log file (one generation at a time) with group commit. */
export class AppendLog {
  private readonly io: LogIo;
  private readonly retryMs: number;
  private fd: number;
  private queue: Item[] = [];
  private appended = 0;
  private durableTicket = 0;
  private pumping: Promise<void> | undefined;
  private pumpScheduled = false;
  private waiters: Array<() => void> = [];
  private syncTimer: NodeJS.Timeout | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private dirtySinceSync = false;
  private stallError: Error | undefined;
  /** Bytes in the current generation's file (written or queued). */
  private genBytes: number;
  /** Offset in the current file up to which the bytes are on disk as the policy wants. */
  private stable: number;
  /** Buffers written (or being written) after `stable`, in order: what a retry writes again. */
  private tail: Buffer[] = [];
  /** Records in `tail` not yet counted durable (the group whose write or fsync failed). */
  private tailTickets = 0;
  /** Grows whenever the tail is settled: a background fsync that began before then settles nothing. */
  private tailEpoch = 0;

  /**
   * O(1). Opens generation `gen` in `dir` for appending; `existingBytes` is its current size. Tests
   * may pass the file operations and the retry interval.
   */
  constructor(
    private readonly dir: string,
    private gen: number,
    existingBytes: number,
    private readonly policy: FsyncPolicy,
    private readonly listener: AppendLogListener,
    options: { io?: LogIo; retryMs?: number } = {},
  ) {
    this.io = options.io ?? fileIo;
    this.retryMs = options.retryMs ?? RETRY_MS;
    this.fd = this.io.open(logPath(dir, gen));
    this.genBytes = existingBytes;
    this.stable = existingBytes;
    if (policy === 'everysec') {
      this.syncTimer = setInterval(() => this.backgroundSync(), 1000);
      this.syncTimer.unref();
    }
  }

  /** O(1). The generation new records go to. */
  get generation(): number {
    return this.gen;
  }

  /** O(1). Bytes in the current generation (written or queued). */
  get generationBytes(): number {
    return this.genBytes;
  }

  /** O(1). Ticket of the last appended record. */
  get appendedTicket(): number {
    return this.appended;
  }

  /** O(1). Highest ticket that is durable under the policy. */
  get durable(): number {
    return this.durableTicket;
  }

  /** O(1). Why the log cannot be written now; undefined while it can. */
  get stalled(): Error | undefined {
    return this.stallError;
  }

  /** O(1). Queues a framed record; answers its ticket. The write happens in the next group. */
  append(record: Buffer): number {
    this.queue.push(record);
    this.genBytes += record.length;
    this.appended++;
    this.schedule();
    return this.appended;
  }

  /** O(1). Records appended after this go to generation `gen`. */
  rotate(gen: number): void {
    this.queue.push({ rotateTo: gen });
    this.gen = gen;
    this.genBytes = 0;
    this.schedule();
  }

  /**
   * Resolves when everything appended so far is durable under the policy; rejects with the stall's
   * error if the log stalls (or is stalled) first.
   */
  async flush(): Promise<void> {
    const target = this.appended;
    while (this.durableTicket < target && !this.stallError) {
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
    if (this.durableTicket < target && this.stallError) throw this.stallError;
  }

  /**
   * Flushes, fsyncs and closes the file (whatever the policy). A stalled log gets one more retry;
   * if that fails too, close rejects and what the stall held was never acknowledged.
   */
  async close(): Promise<void> {
    clearInterval(this.syncTimer);
    clearTimeout(this.retryTimer);
    if (this.stallError) await this.retry();
    try {
      await this.flush();
      await this.pumping;
      await this.io.fsync(this.fd);
    } finally {
      this.io.close(this.fd);
    }
  }

  private schedule(): void {
    if (this.pumping || this.pumpScheduled || this.stallError) return;
    this.pumpScheduled = true;
    setImmediate(() => {
      this.pumpScheduled = false;
      this.pumping = this.pump().finally(() => {
        this.pumping = undefined;
        if (this.queue.length > 0) this.schedule();
      });
    });
  }

  /** Writes the queue: groups of records, and rotations between them. Stops at a failure. */
  private async pump(): Promise<void> {
    while (this.queue.length > 0 && !this.stallError) {
      let end = 0;
      while (end < this.queue.length && Buffer.isBuffer(this.queue[end])) end++;
      const group = this.queue.splice(0, end) as Buffer[];
      try {
        if (group.length > 0) await this.writeGroup(group);
        const next = this.queue[0];
        if (next !== undefined && !Buffer.isBuffer(next)) {
          await this.switchTo(next.rotateTo);
          this.queue.shift();
        }
      } catch (err) {
        this.stall(err as Error);
        return;
      }
    }
  }

  /** Writes one group (and fsyncs it under `always`); throws on failure, with the group in the tail. */
  private async writeGroup(group: Buffer[]): Promise<void> {
    const buf = group.length === 1 ? group[0]! : Buffer.concat(group);
    this.tail.push(buf);
    this.tailTickets += group.length;
    const t0 = performance.now();
    this.io.write(this.fd, buf);
    const writeSeconds = since(t0);
    let fsyncSeconds: number | undefined;
    if (this.policy === 'always') {
      const t1 = performance.now();
      await this.io.fsync(this.fd);
      fsyncSeconds = since(t1);
      this.settleTail();
    } else if (this.policy === 'no') {
      this.settleTail();
    } else {
      this.dirtySinceSync = true; // the tail stays until the background fsync
    }
    const tickets = this.tailTickets;
    this.tailTickets = 0;
    this.listener.onGroup?.(tickets, buf.length, writeSeconds, fsyncSeconds);
    this.advance(tickets);
  }

  /** Finishes the current generation durably, then opens generation `gen` (fsyncing the folder). */
  private async switchTo(gen: number): Promise<void> {
    await this.io.fsync(this.fd);
    this.settleTail();
    const fd = this.io.open(logPath(this.dir, gen));
    try {
      this.io.syncDir(this.dir);
    } catch (err) {
      this.io.close(fd); // reopened by the retry's pump
      throw err;
    }
    this.io.close(this.fd);
    this.fd = fd;
    this.stable = 0;
  }

  /** O(tail). Everything written is now on disk as the policy wants. */
  private settleTail(): void {
    for (const b of this.tail) this.stable += b.length;
    this.tail = [];
    this.tailEpoch++;
  }

  private advance(tickets: number): void {
    if (tickets === 0) return;
    this.durableTicket += tickets;
    this.listener.onDurable(this.durableTicket);
    for (const w of this.waiters.splice(0)) w();
  }

  private backgroundSync(): void {
    if (!this.dirtySinceSync || this.pumping || this.stallError) return;
    this.dirtySinceSync = false;
    const fd = this.fd;
    const synced = this.tail.length;
    const epoch = this.tailEpoch;
    const t0 = performance.now();
    const settle = (err: Error | undefined): void => {
      // A rotation or a retry settled the tail meanwhile (and fsynced it itself).
      if (fd !== this.fd || epoch !== this.tailEpoch) return;
      if (err) {
        this.stall(err);
        return;
      }
      for (const b of this.tail.splice(0, synced)) this.stable += b.length;
      this.listener.onGroup?.(0, 0, 0, since(t0));
    };
    this.io.fsync(fd).then(() => settle(undefined), settle);
  }

  private stall(err: Error): void {
    if (this.stallError) return;
    this.stallError = err;
    for (const w of this.waiters.splice(0)) w();
    this.listener.onStall(err);
    this.retryTimer = setTimeout(() => void this.retry(), this.retryMs);
    this.retryTimer.unref();
  }

  /**
   * Writes the tail again from `stable` and fsyncs it; on success the log takes appends again,
   * else the next retry is scheduled. Never throws.
   */
  private async retry(): Promise<void> {
    if (!this.stallError) return;
    clearTimeout(this.retryTimer);
    await this.pumping; // a group still in flight joins the tail (or succeeds) first
    try {
      this.io.truncate(this.fd, this.stable);
      if (this.tail.length > 0) this.io.write(this.fd, Buffer.concat(this.tail));
      if (this.policy !== 'no' || this.tail.length > 0) await this.io.fsync(this.fd);
    } catch (err) {
      this.stallError = err as Error;
      this.retryTimer = setTimeout(() => void this.retry(), this.retryMs);
      this.retryTimer.unref();
      return;
    }
    this.settleTail();
    const tickets = this.tailTickets;
    this.tailTickets = 0;
    this.stallError = undefined;
    this.listener.onRecover();
    this.advance(tickets);
    this.schedule();
  }
}
