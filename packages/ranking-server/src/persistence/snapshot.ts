/**
 * Snapshots: every board, player and idempotency key in one file, so start-up does not replay a
 * log that grows forever.
 *
 * A snapshot is written while requests keep flowing: it walks the board a chunk at a time between
 * requests (a few milliseconds per chunk), so it is "fuzzy" — each user's state is taken at some
 * moment during the walk. That is enough because the log was rotated when the walk began and its
 * records are absolute: replaying the newer generations over the snapshot brings every user that
 * changed during the walk to its latest state. The file is written as `snapshot.tmp`, fsynced and
 * renamed over `snapshot.sb` atomically, then the folder is fsynced.
 *
 * Layout: magic "SBSNAP01", u32 header length, JSON header {version, fromGeneration, nextSeq,
 * createdAt, state?}, the state's records, and an END record counting them. Version 3: PROFILES
 * records (runs of profiles), then per board its BOARD record and ENTRIES records (runs of its
 * entries in rank order, so loading links each one last with no search), its finished periods,
 * then the API keys and the remembered idempotency keys. Version 2 had a PROFILE record per profile
 * and a SCORE (and RESULT) record per entry in no order; it is still read, more slowly.
 */
import { closeSync, openSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fsyncAsync, fsyncDir, writeAllAsync } from './files.js';
import { RecordType, encodeRecord, readRecord, type LogRecord } from '../records/index.js';

const MAGIC = Buffer.from('SBSNAP01');

/** The snapshot file's name in the data folder. */
export const SNAPSHOT_FILE = 'snapshot.sb';
/** The temporary name while one is written. */
export const SNAPSHOT_TMP = 'snapshot.tmp';

/** The snapshot format written now; versions 1 (one board, before named boards) and 2 are still read. */
export const SNAPSHOT_VERSION = 3;

/** A snapshot's header; `S` is what its owner keeps in it (the ranking state's `SnapshotState`). */
export interface SnapshotHeader<S = unknown> {
  /** 1: records of the single board of the first version; 2: boards, profiles, answers; 3: in runs. */
  version: 1 | 2 | 3;
  /** The first log generation not covered: replay it and every later one. */
  fromGeneration: number;
  nextSeq: number;
  createdAt: number;
  /**
   * The log sequence number the snapshot starts from: the records after it are replayed over it
   * (absent before replication: 0).
   */
  lsn?: number;
  /** What the target asked to keep with the snapshot, as it stood when the walk began. */
  state?: S;
}

/**
 * What a snapshot walks: a live iterator over the records that rebuild the state (walked a chunk
 * at a time while requests go on), and the next tie-break sequence and the target's own header
 * `state` (JSON), both read when the walk begins.
 */
export interface SnapshotSource<S = unknown> {
  records: Iterator<LogRecord>;
  nextSeq: () => number;
  state?: () => S;
}

/** A snapshot that does not read back whole. */
export class CorruptSnapshotError extends Error {
  override readonly name = 'CorruptSnapshotError';
}

/** Bytes encoded per event-loop turn of a snapshot walk, at most (and one record more). */
const CHUNK_BYTES = 1 << 20;

/**
 * O(n) overall, O(chunk) per event-loop turn. Writes a snapshot of `source` to `dir`, yielding to
 * request handling after every `chunk` records or 1 MiB, whichever comes first; resolves once it is
 * durable under its final name.
 */
export async function writeSnapshot<S>(
  dir: string,
  fromGeneration: number,
  source: SnapshotSource<S>,
  chunk = 20_000,
  lsn = 0,
): Promise<{ records: number; bytes: number }> {
  const tmp = join(dir, SNAPSHOT_TMP);
  const written = await writeSnapshotFile(tmp, { fromGeneration, lsn }, source, chunk);
  renameSync(tmp, join(dir, SNAPSHOT_FILE));
  fsyncDir(dir);
  return written;
}

/**
 * O(n) overall, O(chunk) per event-loop turn. Writes a snapshot of `source` to the file `path`
 * (fsynced, not renamed; removed if it cannot be finished): what {@link writeSnapshot} puts in
 * place, and what a primary sends a standby that must start over.
 */
export async function writeSnapshotFile<S>(
  path: string,
  at: { fromGeneration: number; lsn: number },
  source: SnapshotSource<S>,
  chunk = 20_000,
): Promise<{ records: number; bytes: number }> {
  const { fromGeneration, lsn } = at;
  const tmp = path;
  const fd = openSync(tmp, 'w');
  let records = 0;
  let bytes = 0;
  const put = async (bufs: Buffer[]): Promise<void> => {
    const buf = Buffer.concat(bufs);
    bytes += buf.length;
    await writeAllAsync(fd, buf);
  };
  try {
    const header: SnapshotHeader<S> = {
      version: SNAPSHOT_VERSION,
      fromGeneration,
      nextSeq: source.nextSeq(),
      createdAt: Date.now(),
      lsn,
      ...(source.state ? { state: source.state() } : {}),
    };
    const json = Buffer.from(JSON.stringify(header));
    const len = Buffer.alloc(4);
    len.writeUInt32LE(json.length);
    await put([MAGIC, len, json]);
    for (let done = false; !done;) {
      const out: Buffer[] = [];
      let size = 0;
      while (out.length < chunk && size < CHUNK_BYTES) {
        const step = source.records.next();
        if (step.done) {
          done = true;
          break;
        }
        const encoded = encodeRecord(step.value);
        size += encoded.length;
        out.push(encoded);
      }
      records += out.length;
      if (out.length > 0) await put(out);
      // Let requests run between chunks: a snapshot never stalls the loop for long.
      if (!done) await new Promise((r) => setImmediate(r));
    }
    await put([encodeRecord({ type: RecordType.End, count: records })]);
    await fsyncAsync(fd);
  } catch (err) {
    // A snapshot that cannot be finished (a full disk) gives its space back to the log at once.
    closeSync(fd);
    rmSync(tmp, { force: true });
    throw err;
  }
  closeSync(fd);
  return { records, bytes };
}

/**
 * O(n). Reads a snapshot, handing its header to `onHeader` first and each record to `onRecord`, and
 * answers its header and record count; throws CorruptSnapshotError when it is damaged (records may have been handed over).
 */
export function readSnapshot<S>(
  path: string,
  onRecord: (record: LogRecord) => void,
  onHeader?: (header: SnapshotHeader<S>) => void,
): { header: SnapshotHeader<S>; records: number } {
  const buf = readFileSync(path);
  if (buf.length < 12 || !buf.subarray(0, 8).equals(MAGIC))
    throw new CorruptSnapshotError(`${path}: not a scoreboard snapshot`);
  const hlen = buf.readUInt32LE(8);
  let header: SnapshotHeader<S>;
  try {
    // The header is the owner's own JSON, written by writeSnapshot: its `state` is taken as `S` (the
    // owner still checks what it trusts, as sizes are capped).
    header = JSON.parse(buf.toString('utf8', 12, 12 + hlen)) as SnapshotHeader<S>;
  } catch {
    throw new CorruptSnapshotError(`${path}: unreadable header`);
  }
  if (header.version !== 1 && header.version !== 2 && header.version !== 3)
    throw new CorruptSnapshotError(`${path}: unknown version ${String(header.version)}`);
  onHeader?.(header);
  let records = 0;
  let offset = 12 + hlen;
  for (;;) {
    const r = readRecord(buf, offset);
    if (r.kind !== 'record')
      throw new CorruptSnapshotError(
        `${path}: ${r.kind === 'corrupt' ? r.reason : 'truncated'} at byte ${offset}`,
      );
    offset = r.next;
    if (r.record.type === RecordType.End) {
      if (r.record.count !== records)
        throw new CorruptSnapshotError(`${path}: ${records} records, trailer says ${r.record.count}`);
      if (offset !== buf.length) throw new CorruptSnapshotError(`${path}: bytes after the trailer`);
      return { header, records };
    }
    records++;
    try {
      onRecord(r.record);
    } catch (err) {
      throw new CorruptSnapshotError(
        `${path}: record at byte ${offset} cannot be applied: ${(err as Error).message}`,
      );
    }
  }
}
