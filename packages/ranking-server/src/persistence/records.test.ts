import { describe, expect, it } from 'vitest';
import { RecordType, encodeRecord, readRecord, type LogRecord } from './records.js';

const samples: LogRecord[] = [
  { type: RecordType.Set, total: -42, seq: 7, at: 1_700_000_000_000, user: 123 },
  {
    type: RecordType.Set,
    total: 2 ** 53 - 1,
    seq: 2 ** 40,
    at: 1,
    user: 'ann@x.io',
    key: { key: 'k-1', fingerprint: 'add:{"user":"ann@x.io","delta":5}' },
  },
  { type: RecordType.Reset, at: 99 },
  {
    type: RecordType.Key,
    at: 5,
    user: 'é-not-ascii-but-utf8',
    total: 3,
    key: { key: 'abc', fingerprint: 'f' },
  },
  { type: RecordType.End, count: 3 },
];

describe('log records', () => {
  it('read back what was written, one after another', () => {
    const buf = Buffer.concat(samples.map(encodeRecord));
    const out: LogRecord[] = [];
    for (let off = 0; off < buf.length;) {
      const r = readRecord(buf, off);
      if (r.kind !== 'record') throw new Error(`unexpected ${r.kind}`);
      out.push(r.record);
      off = r.next;
    }
    expect(out).toEqual(samples);
  });

  it('tell a record cut short from a damaged one', () => {
    const rec = encodeRecord(samples[1]!);
    for (let cut = 0; cut < rec.length; cut++)
      expect(readRecord(rec.subarray(0, cut), 0).kind).toBe('truncated');
    for (let i = 8; i < rec.length; i++) {
      const bad = Buffer.from(rec);
      bad[i] = bad[i]! ^ 0x40;
      expect(readRecord(bad, 0)).toMatchObject({ kind: 'corrupt', next: rec.length });
    }
  });
});
