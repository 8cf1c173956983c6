import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AppendLog, fileIo, logPath } from './append-log.js';
import { RecordType, encodeRecord, readRecord, type LogRecord } from '../records/index.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'scoreboard-aof-'));
const record = (i: number): Buffer =>
  encodeRecord({ type: RecordType.Set, user: i, total: i * 10, seq: i, at: 0 });

/** Every record in a log file, in order. */
function readAll(path: string): LogRecord[] {
  const buf = readFileSync(path);
  const out: LogRecord[] = [];
  for (let off = 0; off < buf.length;) {
    const r = readRecord(buf, off);
    if (r.kind !== 'record') throw new Error(`${r.kind} at ${off}`);
    out.push(r.record);
    off = r.next;
  }
  return out;
}

function listener() {
  const seen = { durable: [] as number[], stalls: [] as string[], recoveries: 0 };
  return {
    seen,
    onDurable: (t: number) => void seen.durable.push(t),
    onStall: (e: Error) => void seen.stalls.push((e as NodeJS.ErrnoException).code ?? e.message),
    onRecover: () => void seen.recoveries++,
  };
}

describe('AppendLog', () => {
  it('makes appends durable in groups and reports each step of progress', async () => {
    const dir = tmp();
    const l = listener();
    const log = new AppendLog(dir, 1, 0, 'always', l);
    const tickets = [1, 2, 3].map((i) => log.append(record(i)));
    expect(tickets).toEqual([1, 2, 3]);
    expect(log.durable).toBe(0); // nothing is written inside the turn that appended
    await log.flush();
    expect(log.durable).toBe(3);
    expect(l.seen.durable.at(-1)).toBe(3);
    await log.close();
    expect(readAll(logPath(dir, 1)).map((r) => (r.type === RecordType.Set ? r.user : -1))).toEqual([1, 2, 3]);
  });

  it('puts the records around a rotation in the generation each was appended to', async () => {
    const dir = tmp();
    const log = new AppendLog(dir, 1, 0, 'no', listener());
    log.append(record(1));
    log.append(record(2));
    log.rotate(2);
    expect(log.generation).toBe(2);
    expect(log.generationBytes).toBe(0);
    log.append(record(3));
    await log.flush();
    log.rotate(3);
    log.append(record(4));
    await log.close();
    const users = (gen: number) =>
      readAll(logPath(dir, gen)).map((r) => (r.type === RecordType.Set ? r.user : -1));
    expect(users(1)).toEqual([1, 2]);
    expect(users(2)).toEqual([3]);
    expect(users(3)).toEqual([4]);
    expect(readdirSync(dir).sort()).toEqual(['aof.00000001.log', 'aof.00000002.log', 'aof.00000003.log']);
  });

  it('stalls on a failed write, retries, and logs the failed group exactly once when space returns', async () => {
    const dir = tmp();
    const io = faultyIo();
    const l = listener();
    const log = new AppendLog(dir, 1, 0, 'always', l, { io, retryMs: 20 });
    log.append(record(1));
    await log.flush();
    // The disk fills mid-write: half of the next group reaches the file, then ENOSPC.
    io.failWrites = 'ENOSPC';
    log.append(record(2));
    log.append(record(3));
    await expect(log.flush()).rejects.toThrow(/ENOSPC/);
    expect(log.durable).toBe(1);
    expect(log.stalled?.message).toMatch(/ENOSPC/);
    expect(l.seen.stalls).toEqual(['ENOSPC']);
    await sleep(80); // retries fail while the disk stays full, and say nothing more
    expect(l.seen.stalls).toHaveLength(1);
    expect(io.writes).toBeGreaterThan(3);
    // Space returns: the next retry cuts the torn half off and writes the group whole.
    io.failWrites = undefined;
    await until(() => l.seen.recoveries === 1);
    expect(log.stalled).toBeUndefined();
    expect(log.durable).toBe(3);
    log.append(record(4));
    await log.close();
    expect(users(dir, 1)).toEqual([1, 2, 3, 4]);
  });

  it('writes a failed fsync group again, since the kernel may have dropped its pages', async () => {
    const dir = tmp();
    const io = faultyIo();
    const l = listener();
    const log = new AppendLog(dir, 1, 0, 'always', l, { io, retryMs: 20 });
    io.failFsyncs = 1;
    log.append(record(1));
    await expect(log.flush()).rejects.toThrow(/EIO/);
    expect(log.durable).toBe(0);
    await until(() => l.seen.recoveries === 1);
    expect(log.durable).toBe(1);
    expect(l.seen.durable).toEqual([1]);
    // The retry truncated back to the last fsynced offset before writing again: one copy.
    await log.close();
    expect(users(dir, 1)).toEqual([1]);
    expect(io.truncations).toEqual([0]);
  });

  it('stalls on a failed background fsync under everysec and rewrites what it had acknowledged', async () => {
    const dir = tmp();
    const io = faultyIo();
    const l = listener();
    const log = new AppendLog(dir, 1, 0, 'everysec', l, { io, retryMs: 20 });
    log.append(record(1));
    await log.flush(); // written to the OS: durable under everysec
    expect(log.durable).toBe(1);
    io.failFsyncs = 1; // the next background fsync (within a second) fails
    await until(() => l.seen.stalls.length === 1, 3000);
    expect(l.seen.stalls).toEqual(['EIO']);
    await until(() => l.seen.recoveries === 1);
    log.append(record(2));
    await log.close();
    expect(users(dir, 1)).toEqual([1, 2]);
    expect(io.truncations).toEqual([0]);
  });

  it('retries a rotation whose new generation could not be opened', async () => {
    const dir = tmp();
    const io = faultyIo();
    const l = listener();
    const log = new AppendLog(dir, 1, 0, 'no', l, { io, retryMs: 20 });
    log.append(record(1));
    io.failOpens = 1;
    log.rotate(2);
    log.append(record(2));
    await until(() => l.seen.stalls.length === 1);
    await until(() => l.seen.recoveries === 1);
    await log.flush();
    expect(log.durable).toBe(2);
    await log.close();
    expect(users(dir, 1)).toEqual([1]);
    expect(users(dir, 2)).toEqual([2]);
  });
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls `check` every 5 ms; throws after `ms`. */
async function until(check: () => boolean, ms = 2000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out');
    await sleep(5);
  }
}

/** The users of the Set records of a log generation, in order. */
function users(dir: string, gen: number): unknown[] {
  return readAll(logPath(dir, gen)).map((r) => (r.type === RecordType.Set ? r.user : -1));
}

/** An errno-style error, as fs throws. */
function errno(code: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code}: injected`), { code });
}

/**
 * The real file operations with failures to order: `failWrites` makes every write put half its
 * bytes in the file and then throw (a disk filling up mid-write), `failFsyncs` and `failOpens` fail
 * that many calls.
 */
function faultyIo() {
  const io = {
    failWrites: undefined as string | undefined,
    failFsyncs: 0,
    failOpens: 0,
    writes: 0,
    truncations: [] as number[],
    open(path: string): number {
      if (io.failOpens > 0) {
        io.failOpens--;
        throw errno('ENOSPC');
      }
      return fileIo.open(path);
    },
    write(fd: number, buf: Buffer): void {
      io.writes++;
      if (io.failWrites) {
        fileIo.write(fd, buf.subarray(0, buf.length >> 1));
        throw errno(io.failWrites);
      }
      fileIo.write(fd, buf);
    },
    async fsync(fd: number): Promise<void> {
      if (io.failFsyncs > 0) {
        io.failFsyncs--;
        throw errno('EIO');
      }
      await fileIo.fsync(fd);
    },
    truncate(fd: number, length: number): void {
      io.truncations.push(length);
      fileIo.truncate(fd, length);
    },
    close: fileIo.close,
    syncDir: fileIo.syncDir,
  };
  return io;
}
