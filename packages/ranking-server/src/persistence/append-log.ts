/**
 * The append-only log with group commit.
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
 * A failed write or fsync — under any policy, the background fsync of `everysec` included, as in
 * Redis — stops the log for good: `durable` never moves again, so nothing more is acknowledged,
 * and the owner is told through `onFailure` so the process can exit and restart from what is
 * durable.
 */
import type { FsyncPolicy } from '@scoreboard/config';
import { closeSync, fsync, fsyncSync, openSync } from 'node:fs';
import { join } from 'node:path';
import { fsyncAsync, fsyncDir, writeAll } from './files.js';

/** O(1). The path of a log generation. */
export function logPath(dir: string, gen: number): string {
  return join(dir, `aof.${String(gen).padStart(8, '0')}.log`);
}

/** What the owner of a log hears. */
export interface AppendLogListener {
  /** `durable` advanced to `ticket`. */
  onDurable(ticket: number): void;
  /** Writing or fsyncing failed; the log is stopped. Called once. */
  onFailure(err: Error): void;
  /**
   * A group of `records` records (`bytes` bytes) was written in `writeSeconds` and, when the
   * policy fsyncs each group, fsynced in `fsyncSeconds`. For metrics; optional.
   */
  onGroup?(records: number, bytes: number, writeSeconds: number, fsyncSeconds: number | undefined): void;
}

/** O(1). Seconds since `t0`, a `performance.now()` reading. */
function since(t0: number): number {
  return (performance.now() - t0) / 1000;
}

type Item = Buffer | { rotateTo: number };

/** An append-only log file (one generation at a time) with group commit. */
export class AppendLog {
  private fd: number;
  private queue: Item[] = [];
  private appended = 0;
  private durableTicket = 0;
  private pumping: Promise<void> | undefined;
  private pumpScheduled = false;
  private waiters: Array<() => void> = [];
  private syncTimer: NodeJS.Timeout | undefined;
  private dirtySinceSync = false;
  private failed: Error | undefined;
  /** Bytes in the current generation's file. */
  private genBytes: number;

  /** O(1). Opens generation `gen` in `dir` for appending; `existingBytes` is its current size. */
  constructor(
    private readonly dir: string,
    private gen: number,
    existingBytes: number,
    private readonly policy: FsyncPolicy,
    private readonly listener: AppendLogListener,
  ) {
    this.fd = openSync(logPath(dir, gen), 'a');
    this.genBytes = existingBytes;
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

  /** O(1). The error that stopped the log, if writing failed; nothing is durable after it. */
  get error(): Error | undefined {
    return this.failed;
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

  /** Resolves when everything appended so far is durable under the policy; rejects if the log failed. */
  async flush(): Promise<void> {
    const target = this.appended;
    while (this.durableTicket < target && !this.failed) {
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
    if (this.failed) throw this.failed;
  }

  /** Flushes, fsyncs and closes the file (whatever the policy). */
  async close(): Promise<void> {
    clearInterval(this.syncTimer);
    await this.flush();
    await this.pumping;
    fsyncSync(this.fd);
    closeSync(this.fd);
  }

  private schedule(): void {
    if (this.pumping || this.pumpScheduled || this.failed) return;
    this.pumpScheduled = true;
    setImmediate(() => {
      this.pumpScheduled = false;
      this.pumping = this.pump().finally(() => {
        this.pumping = undefined;
        if (this.queue.length > 0) this.schedule();
      });
    });
  }

  private async pump(): Promise<void> {
    while (this.queue.length > 0 && !this.failed) {
      const items = this.queue;
      this.queue = [];
      let group: Buffer[] = [];
      let tickets = 0;
      let bytes = 0;
      let writeSeconds = 0;
      let fsyncSeconds: number | undefined;
      try {
        for (const item of items) {
          if (Buffer.isBuffer(item)) {
            group.push(item);
            tickets++;
            bytes += item.length;
            continue;
          }
          // Finish the old generation durably before the new one starts.
          this.writeGroup(group);
          group = [];
          await fsyncAsync(this.fd);
          closeSync(this.fd);
          this.fd = openSync(logPath(this.dir, item.rotateTo), 'a');
          fsyncDir(this.dir);
        }
        const t0 = performance.now();
        this.writeGroup(group);
        writeSeconds = since(t0);
        if (this.policy === 'always') {
          const t1 = performance.now();
          await fsyncAsync(this.fd);
          fsyncSeconds = since(t1);
        } else {
          this.dirtySinceSync = true;
        }
      } catch (err) {
        this.fail(err as Error);
        return;
      }
      this.durableTicket += tickets;
      this.listener.onGroup?.(tickets, bytes, writeSeconds, fsyncSeconds);
      this.listener.onDurable(this.durableTicket);
      for (const w of this.waiters.splice(0)) w();
    }
  }

  private writeGroup(group: Buffer[]): void {
    if (group.length === 0) return;
    writeAll(this.fd, group.length === 1 ? group[0]! : Buffer.concat(group));
  }

  private backgroundSync(): void {
    if (!this.dirtySinceSync || this.pumping || this.failed) return;
    this.dirtySinceSync = false;
    const t0 = performance.now();
    fsync(this.fd, (err) => {
      if (err) this.fail(err);
      else this.listener.onGroup?.(0, 0, 0, since(t0));
    });
  }

  private fail(err: Error): void {
    if (this.failed) return;
    this.failed = err;
    clearInterval(this.syncTimer);
    for (const w of this.waiters.splice(0)) w();
    this.listener.onFailure(err);
  }
}
