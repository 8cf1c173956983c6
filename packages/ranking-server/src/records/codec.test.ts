import { describe, expect, it } from 'vitest';
import { RecordType, encodeRecord, readRecord, type LogRecord } from './index.js';

const samples: LogRecord[] = [
  {
    type: RecordType.Board,
    at: 1,
    board: 'weekly.eu',
    config: { order: 'asc', operator: 'best', min: -5, max: null },
  },
  { type: RecordType.Score, at: 1_700_000_000_000, board: 'weekly.eu', user: 123, total: -42, seq: 7 },
  { type: RecordType.Score, at: 2, board: 'default', user: 'ann@x.io', total: 2 ** 53 - 1, seq: 2 ** 40 },
  { type: RecordType.BoardReset, at: 3, board: 'weekly.eu' },
  { type: RecordType.BoardDelete, at: 4, board: 'weekly.eu' },
  {
    type: RecordType.Profile,
    at: 5,
    user: 'é-utf8',
    profile: { name: 'Zoë 🏆', country: 'DE', metadata: { a: [1, 'x'] } },
  },
  { type: RecordType.Erase, at: 6, user: 99 },
  {
    type: RecordType.Batch,
    at: 7,
    key: { key: 'k-1', fingerprint: 'score.batch:sha256:abc', answer: '{"results":[]}' },
    records: [
      { type: RecordType.Score, at: 7, board: 'b', user: 1, total: 1, seq: 9 },
      { type: RecordType.Profile, at: 7, user: 1, profile: { name: null, country: null, metadata: null } },
    ],
  },
  { type: RecordType.Batch, at: 8, records: [] },
  { type: RecordType.Answer, at: 9, key: { key: 'k', fingerprint: 'f', answer: 'x'.repeat(70_000) } },
  { type: RecordType.End, count: 3 },
  {
    type: RecordType.Board,
    at: 10,
    board: 'daily',
    config: {
      order: 'desc',
      operator: 'set',
      min: null,
      max: null,
      reset: { every: 'day', at: '04:00', timezone: 'Europe/Berlin', weekday: 1, day: 1 },
      keep: 7,
      history: 5,
      start: 1,
      end: null,
      hours: { from: '06:00', to: '15:00', days: [1, 5], timezone: 'America/Chicago' },
      created: 10,
      period: { id: 3, start: 5, end: null },
    },
  },
  { type: RecordType.Period, at: 11, board: 'daily', id: 4, start: 11, end: 86_400_011 },
  { type: RecordType.Period, at: 12, board: 'daily', id: 5, start: 12, end: null },
  { type: RecordType.Result, at: 13, board: 'daily', user: 'ann', total: -3, seq: 77 },
  {
    type: RecordType.Archive,
    board: 'daily',
    id: 4,
    start: 11,
    end: 12,
    order: 'asc',
    rows: [
      { user: 'ann', total: -3, country: 0 },
      { user: 7, total: 2 ** 53 - 1, country: 249 },
    ],
  },
  { type: RecordType.Archive, board: 'daily', id: 2, start: 1, end: 2, order: 'desc', rows: [] },
  {
    type: RecordType.Entries,
    board: 'daily',
    run: {
      users: ['ann', 7, 'zoë'],
      totals: Float64Array.of(90, -3.5, 2 ** 53 - 1),
      seqs: Float64Array.of(1, 2, 3),
      resultCounts: Uint16Array.of(2, 0, 1),
      results: Float64Array.of(90, 10, 1, 80, 11, 4, 7, 12, 5),
    },
  },
  {
    type: RecordType.Entries,
    board: 'daily',
    run: {
      users: [],
      totals: new Float64Array(0),
      seqs: new Float64Array(0),
      resultCounts: new Uint16Array(0),
      results: new Float64Array(0),
    },
  },
  {
    type: RecordType.Profiles,
    run: {
      users: ['ann', 9],
      profiles: [
        { name: 'Ann', country: 'DE', metadata: { level: 3, tags: ['a'] } },
        { name: null, country: null, metadata: null },
      ],
    },
  },
  {
    type: RecordType.Import,
    at: 30,
    board: 'daily',
    records: [
      {
        type: RecordType.Board,
        at: 30,
        board: 'daily',
        config: { order: 'desc', operator: 'set', min: null, max: null },
      },
      { type: RecordType.Answer, at: 30, key: { key: 'k', fingerprint: 'f', answer: '{}' } },
    ],
  },
  { type: RecordType.ShardMap, at: 31, map: { epoch: 2, layout: 3, moved: { a: 1 }, sealed: true } },
  { type: RecordType.Freeze, at: 32, board: 'daily', frozen: true },
  { type: RecordType.EntryDelete, at: 33, board: 'daily', user: 'ann' },
  { type: RecordType.EntryDelete, at: 34, board: 'default', user: 42 },
  {
    type: RecordType.ScoreMeta,
    total: -7,
    seq: 12,
    at: 35,
    board: 'daily',
    user: 'ann',
    metadata: { replay: 'r-1', car: 'ü', laps: [1, 2] },
  },
  { type: RecordType.EntryMeta, board: 'daily', user: 9, metadata: { map: 'dust' } },
  { type: RecordType.Join, at: 37, board: 'cup', user: 'ann' },
  { type: RecordType.Join, at: 38, board: 'cup', user: 7 },
  { type: RecordType.Attempts, at: 39, board: 'cup', user: 'ann', count: 3 },
  { type: RecordType.Placed, at: 40, board: 'league', user: 'ann', bucket: 2 },
  { type: RecordType.ArchiveMeta, board: 'daily', id: 3, user: 'ann', metadata: { replay: 'r-9' } },
  { type: RecordType.Tiers, board: 'league', run: { users: ['ann', 9], tiers: [2, 1] } },
  {
    type: RecordType.Webhook,
    at: 41,
    board: 'league',
    hook: {
      url: 'https://hooks.example.com/x',
      secret: 'whsec_0123456789abcdef',
      from: 3,
      delivered: { period: 4, batch: 1 },
    },
  },
  { type: RecordType.WebhookAck, at: 42, board: 'league', period: 4, batch: 2 },
  {
    type: RecordType.PeriodResults,
    board: 'league',
    id: 4,
    run: {
      tiers: ['bronze', 'silver'],
      rewards: [{ ranks: [1, 1], reward: { gems: 5 } }],
      places: [1, 3],
      users: ['ann', 7],
      totals: [90, -5],
      ranks: [1, 2],
      buckets: [1, 1],
      tierOf: [0, 1],
      nextOf: [1, 0],
      rewardOf: [0, -1],
    },
  },
  { type: RecordType.Placements, board: 'league', run: { users: ['ann', 5], buckets: [2, 1], last: 3 } },
  {
    type: RecordType.Participants,
    board: 'cup',
    run: { users: ['ann', 7, 'bø'], joined: [1, 1, 0], attempts: [3, 0, 2] },
  },
  {
    type: RecordType.ResultMeta,
    at: 36,
    board: 'daily',
    user: 'ann',
    total: 4,
    seq: 13,
    metadata: { lap: 2 },
  },
  {
    type: RecordType.ArchivedResults,
    board: 'daily',
    id: 4,
    user: 'ann',
    results: [
      { total: -3, at: 13 },
      { total: 9, at: 14 },
    ],
  },
  {
    type: RecordType.KeyPut,
    at: 20,
    version: 3,
    key: { name: 'game', hash: 'ab'.repeat(32), scopes: ['write'], boards: ['daily'], rate: 50, created: 20 },
  },
  {
    type: RecordType.KeyPut,
    at: 21,
    key: {
      name: 'site',
      hash: 'cd'.repeat(32),
      scopes: ['read', 'admin'],
      boards: null,
      rate: null,
      created: 1,
    },
  },
  { type: RecordType.KeyDelete, at: 22, name: 'game', version: 4 },
  // The first version's records, still read.
  {
    type: RecordType.Set,
    total: 5,
    seq: 1,
    at: 1,
    user: 'old',
    key: { key: 'k-0', fingerprint: 'add:{"user":"old","delta":5}' },
  },
  { type: RecordType.Reset, at: 99 },
  { type: RecordType.Key, at: 5, user: 'old', total: 3, key: { key: 'abc', fingerprint: 'f' } },
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
    for (const sample of [samples[1]!, samples[7]!]) {
      const rec = encodeRecord(sample);
      for (let cut = 0; cut < rec.length; cut++)
        expect(readRecord(rec.subarray(0, cut), 0).kind).toBe('truncated');
      for (let i = 8; i < rec.length; i++) {
        const bad = Buffer.from(rec);
        bad[i] = bad[i]! ^ 0x40;
        expect(readRecord(bad, 0)).toMatchObject({ kind: 'corrupt', next: rec.length });
      }
    }
  });

  it('refuse a batch nested in a batch, and a string too long for its field', () => {
    const nested = encodeRecord({ type: RecordType.Batch, at: 1, records: [samples[8] as never] });
    expect(readRecord(nested, 0)).toMatchObject({
      kind: 'corrupt',
      reason: expect.stringMatching(/inside a batch/),
    });
    expect(() => encodeRecord({ type: RecordType.BoardReset, at: 1, board: 'b'.repeat(256) })).toThrow(
      RangeError,
    );
    const foreign = encodeRecord({
      type: RecordType.Import,
      at: 1,
      board: 'a',
      records: [
        {
          type: RecordType.Board,
          at: 1,
          board: 'b',
          config: { order: 'desc', operator: 'set', min: null, max: null },
        },
      ],
    });
    expect(readRecord(foreign, 0)).toMatchObject({
      kind: 'corrupt',
      reason: expect.stringMatching(/import of board "a"/),
    });
    expect(readRecord(encodeRecord({ type: RecordType.End, count: 1 }).fill(99, 8, 9), 0).kind).toBe(
      'corrupt',
    );
  });
});
