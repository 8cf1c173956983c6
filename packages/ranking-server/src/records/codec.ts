/**
 * Framing: a record on disk is u32 payload length, u32 CRC-32 of the payload, then the payload —
 * its type byte and its fields as its layout lists them (layouts.ts). Decoding never throws: it
 * says whether the bytes hold a whole record, are cut short (a torn write at the end of a file),
 * or are damaged.
 */
import { crc32 } from 'node:zlib';
import { HEADER, Reader, Writer } from './fields.js';
import { readRecordFrom, writeRecord, type LogRecord } from './layouts.js';

/** O(size). One framed record. Throws RangeError for a string too long for its field. */
export function encodeRecord(rec: LogRecord): Buffer {
  const w = new Writer();
  writeRecord(w, rec);
  const payload = w.buf.subarray(HEADER, w.pos);
  w.buf.writeUInt32LE(payload.length, 0);
  w.buf.writeUInt32LE(crc32(payload), 4);
  return w.buf.subarray(0, w.pos);
}

/** Outcome of reading one framed record at an offset. */
export type ReadResult =
  | { kind: 'record'; record: LogRecord; next: number }
  /** The buffer ends inside this record: a torn write if it is the file's end. */
  | { kind: 'truncated' }
  /** The frame is complete but its checksum or contents are wrong. */
  | { kind: 'corrupt'; next: number; reason: string };

/** O(record). Reads the framed record at `offset` of `buf`. Never throws. */
export function readRecord(buf: Buffer, offset: number): ReadResult {
  if (offset + HEADER > buf.length) return { kind: 'truncated' };
  const len = buf.readUInt32LE(offset);
  const sum = buf.readUInt32LE(offset + 4);
  const end = offset + HEADER + len;
  if (end > buf.length) return { kind: 'truncated' };
  const payload = buf.subarray(offset + HEADER, end);
  if (crc32(payload) !== sum) return { kind: 'corrupt', next: end, reason: 'checksum mismatch' };
  try {
    const r = new Reader(payload);
    const record = readRecordFrom(r);
    if (!r.done()) throw new RangeError('trailing bytes in record');
    return { kind: 'record', record, next: end };
  } catch (err) {
    return { kind: 'corrupt', next: end, reason: (err as Error).message };
  }
}
