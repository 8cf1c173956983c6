import { closeSync, mkdtempSync, readFileSync, readdirSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AppendLog, logPath } from './append-log.js';
import { RecordType, encodeRecord, readRecord, type LogRecord } from './records.js';

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
  const seen = { durable: [] as number[], failures: [] as Error[] };
  return {
    seen,
    onDurable: (t: number) => void seen.durable.push(t),
    onFailure: (e: Error) => void seen.failures.push(e),
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

  it('stops for good on a failed write: nothing more is durable, the owner hears once, flush rejects', async () => {
    const dir = tmp();
    symlinkSync('/dev/full', logPath(dir, 1)); // every write fails with ENOSPC, as on a full disk
    const l = listener();
    const log = new AppendLog(dir, 1, 0, 'always', l);
    log.append(record(1));
    await expect(log.flush()).rejects.toThrow(/ENOSPC/);
    expect(log.durable).toBe(0);
    expect(log.error?.message).toMatch(/ENOSPC/);
    log.append(record(2));
    await new Promise((r) => setTimeout(r, 20));
    expect(log.durable).toBe(0);
    expect(l.seen.failures).toHaveLength(1);
    expect(l.seen.durable).toEqual([]);
  });

  it('treats a failed background fsync under everysec as fatal, as Redis does', async () => {
    const dir = tmp();
    const l = listener();
    const log = new AppendLog(dir, 1, 0, 'everysec', l);
    log.append(record(1));
    await log.flush(); // written to the OS: durable under everysec
    expect(log.durable).toBe(1);
    // Pull the file out from under the log: the next background fsync fails (EBADF). A descriptor
    // number this high is never handed out, so nothing else can take its place.
    const inner = log as unknown as { fd: number };
    closeSync(inner.fd);
    inner.fd = 987_654;
    const until = Date.now() + 3000;
    while (l.seen.failures.length === 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
    expect(l.seen.failures).toHaveLength(1);
    expect(log.error).toBeDefined();
    log.append(record(2));
    await expect(log.flush()).rejects.toBeDefined();
    expect(log.durable).toBe(1);
  });
});
