/**
 * The binary records of the append-only log and of snapshots.
 *
 * Frame: u32 payload length, u32 CRC-32 of the payload, payload (little-endian). A record holds
 * what replay needs to be idempotent — the resulting total and the tie-break sequence, never a
 * delta — so applying a record twice leaves the same board.
 *
 * Payloads (first byte is the type):
 * - SET   total f64, seq f64, at f64, user, key?   a user now stands at (total, seq)
 * - RESET at f64                                  the board was emptied
 * - KEY   at f64, user, total f64, key            an idempotency key and its answer (snapshots)
 * - END   count f64                               a snapshot's trailer: how many records precede
 * where user = u8 tag (0: f64 integer, 1: u8 length + UTF-8) and key = u8 length (0: none) +
 * UTF-8 key + u16 length + UTF-8 request fingerprint.
 */
import type { UserId } from '@scoreboard/protocol';
import { crc32 } from 'node:zlib';

/** Record types. */
export const RecordType = { Set: 1, Reset: 2, Key: 3, End: 4 } as const;

/** An idempotency key with the fingerprint of the request it was first used with. */
export interface KeyRef {
  key: string;
  fingerprint: string;
}

/** A decoded record. */
export type LogRecord =
  | { type: typeof RecordType.Set; total: number; seq: number; at: number; user: UserId; key?: KeyRef }
  | { type: typeof RecordType.Reset; at: number }
  | { type: typeof RecordType.Key; at: number; user: UserId; total: number; key: KeyRef }
  | { type: typeof RecordType.End; count: number };

const HEADER = 8;

class Writer {
  buf = Buffer.allocUnsafe(256);
  pos = HEADER;
  private ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.pos + n));
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
  }
  u8(v: number): void {
    this.ensure(1);
    this.buf.writeUInt8(v, this.pos);
    this.pos += 1;
  }
  u16(v: number): void {
    this.ensure(2);
    this.buf.writeUInt16LE(v, this.pos);
    this.pos += 2;
  }
  f64(v: number): void {
    this.ensure(8);
    this.buf.writeDoubleLE(v, this.pos);
    this.pos += 8;
  }
  str(v: string, wide: boolean): void {
    const len = Buffer.byteLength(v);
    if (wide) this.u16(len);
    else this.u8(len);
    this.ensure(len);
    this.buf.write(v, this.pos);
    this.pos += len;
  }
  user(u: UserId): void {
    if (typeof u === 'number') {
      this.u8(0);
      this.f64(u);
    } else {
      this.u8(1);
      this.str(u, false);
    }
  }
  key(k: KeyRef | undefined): void {
    if (!k) return this.u8(0);
    this.str(k.key, false);
    this.str(k.fingerprint, true);
  }
  finish(): Buffer {
    const payload = this.buf.subarray(HEADER, this.pos);
    this.buf.writeUInt32LE(payload.length, 0);
    this.buf.writeUInt32LE(crc32(payload), 4);
    return this.buf.subarray(0, this.pos);
  }
}

/** O(size). One framed record. */
export function encodeRecord(rec: LogRecord): Buffer {
  const w = new Writer();
  w.u8(rec.type);
  switch (rec.type) {
    case RecordType.Set:
      w.f64(rec.total);
      w.f64(rec.seq);
      w.f64(rec.at);
      w.user(rec.user);
      w.key(rec.key);
      break;
    case RecordType.Reset:
      w.f64(rec.at);
      break;
    case RecordType.Key:
      w.f64(rec.at);
      w.user(rec.user);
      w.f64(rec.total);
      w.key(rec.key);
      break;
    case RecordType.End:
      w.f64(rec.count);
      break;
  }
  return w.finish();
}

class Reader {
  pos = 0;
  constructor(private readonly buf: Buffer) {}
  u8(): number {
    return this.buf.readUInt8(this.pos++);
  }
  u16(): number {
    const v = this.buf.readUInt16LE(this.pos);
    this.pos += 2;
    return v;
  }
  f64(): number {
    const v = this.buf.readDoubleLE(this.pos);
    this.pos += 8;
    return v;
  }
  str(wide: boolean): string {
    const len = wide ? this.u16() : this.u8();
    if (this.pos + len > this.buf.length) throw new RangeError('string past the end');
    const v = this.buf.toString('utf8', this.pos, this.pos + len);
    this.pos += len;
    return v;
  }
  user(): UserId {
    return this.u8() === 0 ? this.f64() : this.str(false);
  }
  key(): KeyRef | undefined {
    const key = this.str(false);
    if (key === '') return undefined;
    return { key, fingerprint: this.str(true) };
  }
  done(): boolean {
    return this.pos === this.buf.length;
  }
}

function decodePayload(payload: Buffer): LogRecord {
  const r = new Reader(payload);
  const type = r.u8();
  let rec: LogRecord;
  switch (type) {
    case RecordType.Set: {
      const total = r.f64();
      const seq = r.f64();
      const at = r.f64();
      const user = r.user();
      const key = r.key();
      rec = key ? { type, total, seq, at, user, key } : { type, total, seq, at, user };
      break;
    }
    case RecordType.Reset:
      rec = { type, at: r.f64() };
      break;
    case RecordType.Key: {
      const at = r.f64();
      const user = r.user();
      const total = r.f64();
      const key = r.key();
      if (!key) throw new RangeError('KEY record without a key');
      rec = { type, at, user, total, key };
      break;
    }
    case RecordType.End:
      rec = { type, count: r.f64() };
      break;
    default:
      throw new RangeError(`unknown record type ${type}`);
  }
  if (!r.done()) throw new RangeError('trailing bytes in record');
  return rec;
}

/** Outcome of reading one framed record at an offset. */
export type ReadResult =
  | { kind: 'record'; record: LogRecord; next: number }
  /** The buffer ends inside this record: a torn write if it is the file's end. */
  | { kind: 'truncated' }
  /** The frame is complete but its checksum or contents are wrong. */
  | { kind: 'corrupt'; next: number; reason: string };

/** O(record). Reads the framed record at `offset` of `buf`. */
export function readRecord(buf: Buffer, offset: number): ReadResult {
  if (offset + HEADER > buf.length) return { kind: 'truncated' };
  const len = buf.readUInt32LE(offset);
  const sum = buf.readUInt32LE(offset + 4);
  const end = offset + HEADER + len;
  if (end > buf.length) return { kind: 'truncated' };
  const payload = buf.subarray(offset + HEADER, end);
  if (crc32(payload) !== sum) return { kind: 'corrupt', next: end, reason: 'checksum mismatch' };
  try {
    return { kind: 'record', record: decodePayload(payload), next: end };
  } catch (err) {
    return { kind: 'corrupt', next: end, reason: (err as Error).message };
  }
}
