import { Command, ErrorCode, encodeRequests } from '@scoreboard/protocol';
import {
  appendFileSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmdirSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { FsyncPolicy } from '@scoreboard/config';
import { defaultBoardOf, requester, testService } from '../test-support/engine-harness.js';
import { randomInt, seededRandom } from '@scoreboard/random';
import { encodeRecord, readRecord, RecordType } from '../records/index.js';
import { CorruptLogError } from './store.js';

/** A service with a store on `dir`, driven through the engine as the socket loop would. */
function open(
  dir: string,
  opts: {
    policy?: FsyncPolicy;
    snapshotBytes?: number;
    recover?: boolean;
    snapshotChunk?: number;
    clock?: () => number;
    snapshotRetryMs?: number;
  } = {},
) {
  const service = testService(
    {
      dataDir: dir,
      fsync: opts.policy ?? 'always',
      snapshotBytes: opts.snapshotBytes ?? 1 << 30,
      recover: opts.recover ?? false,
    },
    // Small chunks of small runs: a walk spans many event-loop turns, with writes between them.
    {
      ...(opts.snapshotChunk ? { snapshotChunk: opts.snapshotChunk, snapshotRun: 8 } : {}),
      ...(opts.snapshotRetryMs ? { snapshotRetryMs: opts.snapshotRetryMs } : {}),
    },
  );
  const store = service.store!;
  return {
    board: defaultBoardOf(service.state),
    state: service.state,
    keys: service.state.idempotency,
    store,
    server: service.server,
    send: requester(service.engine, opts.clock),
  };
}

const everything = (board: ReturnType<typeof defaultBoardOf>) => board.top(10_000);
const tmp = () => mkdtempSync(join(tmpdir(), 'scoreboard-store-'));

describe('DurableStore', () => {
  for (const policy of ['always', 'everysec', 'no'] as const) {
    it(`brings back the same board, ties in order, after a restart (FSYNC=${policy})`, async () => {
      const dir = tmp();
      const a = open(dir, { policy });
      const random = seededRandom(policy.length);
      for (let i = 0; i < 3000; i++) {
        const user = randomInt(random, 0, 200);
        if (random() < 0.5) a.send(Command.SetTotal, { user, total: randomInt(random, -20, 20) });
        else a.send(Command.AddScore, { user: `s${user}`, delta: randomInt(random, -5, 5) });
        if (i === 1500) a.send(Command.Reset, {});
      }
      const before = everything(a.board);
      await a.store.close();
      const b = open(dir, { policy });
      expect(everything(b.board)).toEqual(before);
      expect(b.board.size).toBe(before.length);
      b.board.checkValid();
      // New writes keep ranking after the old ones among equal totals.
      const last = before.at(-1)!;
      b.send(Command.SetTotal, { user: 'newcomer', total: last.total });
      expect(b.board.top(10_000).at(-1)).toEqual({ user: 'newcomer', total: last.total });
      await b.store.close();
    });
  }

  it('compacts into snapshots while writes keep coming, and loads them back', async () => {
    const dir = tmp();
    const a = open(dir, { snapshotBytes: 8 * 1024, snapshotChunk: 100 });
    const random = seededRandom(77);
    for (let round = 0; round < 5; round++) {
      for (let i = 0; i < 2000; i++)
        a.send(
          Command.AddScore,
          { user: randomInt(random, 0, 3000), delta: randomInt(random, -9, 9) },
          `k${round}-${i}`,
        );
      const snap = a.store.snapshot(); // runs in chunks between the writes below
      for (let i = 0; i < 500; i++)
        a.send(Command.SetTotal, { user: randomInt(random, 0, 3000), total: randomInt(random, -9, 9) });
      await snap;
    }
    const before = everything(a.board);
    // One log sequence number per record ever appended (a write that changes nothing appends none),
    // kept across snapshots by their headers: a standby counts the same.
    const lsn = a.store.lsn;
    expect(lsn).toBeGreaterThan(10_000);
    await a.store.close();
    const files = readdirSync(dir);
    expect(files).toContain('snapshot.sb');
    expect(files.filter((f) => f.startsWith('aof.')).length).toBeLessThanOrEqual(2);
    const b = open(dir);
    expect(b.store.loaded.snapshotRecords).toBeGreaterThan(0);
    expect([b.store.lsn, b.store.durableLsn]).toEqual([lsn, lsn]);
    expect(everything(b.board)).toEqual(before);
    b.board.checkValid();
    // Keys written before the snapshots are still known after the restart.
    expect(b.keys.get('k0-0', Date.now())).toBeDefined();
    await b.store.close();
  });

  it('keeps the log when a snapshot cannot be written, and retries the snapshot until one is', async () => {
    const dir = tmp();
    const a = open(dir, { snapshotBytes: 4 * 1024, snapshotRetryMs: 20 });
    mkdirSync(join(dir, 'snapshot.tmp')); // the snapshot's file cannot be created
    const random = seededRandom(5);
    for (let i = 0; i < 400; i++) {
      const reply = a.send(Command.SetTotal, { user: randomInt(random, 0, 300), total: i });
      expect(reply.ok).toBe(true);
    }
    await a.store.flush();
    await new Promise((r) => setTimeout(r, 60)); // a retry or two, failing as well
    expect(readdirSync(dir)).not.toContain('snapshot.sb');
    expect(readdirSync(dir).filter((f) => f.startsWith('aof.')).length).toBeGreaterThan(1);
    rmdirSync(join(dir, 'snapshot.tmp'));
    const until = Date.now() + 3000;
    while (!readdirSync(dir).includes('snapshot.sb') && Date.now() < until) {
      await new Promise((r) => setTimeout(r, 10));
    }
    expect(readdirSync(dir)).toContain('snapshot.sb');
    const before = everything(a.board);
    await a.store.close();
    const b = open(dir);
    expect(b.store.loaded.snapshotRecords).toBeGreaterThan(0);
    expect(everything(b.board)).toEqual(before);
    await b.store.close();
  });

  // A snapshot walks a board over many event-loop turns; a period that ends meanwhile must come
  // back once, whole, whether the walk reached the board before the end, during it or after it.
  for (const endsAfter of [[0], [3], [8], [15], [40], [2, 12]]) {
    it(`keeps periods that end during a snapshot whole and single (after turns ${endsAfter.join(', ')})`, async () => {
      const dir = tmp();
      let now = Date.UTC(2026, 10, 27, 12, 0, 0);
      const a = open(dir, { snapshotChunk: 40, clock: () => now });
      const random = seededRandom(endsAfter[0]! + endsAfter.length);
      const ok = (reply: ReturnType<typeof a.send>) =>
        expect(reply.ok ? undefined : reply.error).toBeUndefined();
      ok(a.send(Command.BoardPut, { board: 'season', reset: { everySeconds: 60 }, history: 2, keep: 5 }));
      ok(a.send(Command.BoardPut, { board: 'other' }));
      const write = () => {
        const board = random() < 0.8 ? 'season' : 'other';
        ok(
          a.send(Command.ScorePut, {
            board,
            user: `u${randomInt(random, 0, 600)}`,
            total: randomInt(random, 0, 99),
          }),
        );
      };
      for (let i = 0; i < 1500; i++) write();
      const snap = a.store.snapshot();
      for (let turn = 0; turn < 60; turn++) {
        if (endsAfter.includes(turn)) now += 61_000; // the next write ends the period
        for (let i = 0; i < 5; i++) write();
        await new Promise((r) => setImmediate(r));
      }
      await snap;
      for (let i = 0; i < 100; i++) write();
      const seen = (s: typeof a.state) => {
        const season = s.data.board('season');
        return {
          periods: season.periods(),
          finished: season.archives().map((p) => [...p.chunks(10_000)]),
          live: season.plain(1, 10_000),
          other: s.data.board('other').plain(1, 10_000),
        };
      };
      const before = seen(a.state);
      expect(before.periods.map((p) => p.id)).toEqual(endsAfter.length === 1 ? [2, 1] : [3, 2, 1]);
      await a.store.close();
      const b = open(dir, { clock: () => now });
      const after = seen(b.state);
      for (const k of Object.keys(before) as Array<keyof typeof before>)
        expect(after[k], k).toEqual(before[k]);
      b.state.checkValid();
      await b.store.close();
    });
  }

  it('ends at start-up the periods that fell due while it was down, each at its boundary', async () => {
    const dir = tmp();
    let now = Date.UTC(2026, 2, 28, 12); // Berlin's clocks go forward at 02:00 on the 29th
    const a = open(dir, { clock: () => now });
    const reset = { every: 'day', at: '02:30', timezone: 'Europe/Berlin' }; // 02:30 does not exist on the 29th
    a.send(Command.BoardPut, { board: 'daily', reset, history: 1 });
    a.send(Command.ScorePut, { board: 'daily', user: 'ann', total: 5 });
    await a.store.close();
    now = Date.UTC(2026, 2, 31, 9); // down for three boundaries
    const b = open(dir, { clock: () => now });
    b.send(Command.ScorePut, { board: 'daily', user: 'bob', total: 6 });
    const periods = b.send(Command.BoardPeriods, { board: 'daily' });
    expect(periods.ok && periods.result).toEqual([
      // 02:30 on the 31st in summer time (UTC+2) is 00:30 UTC; the 30th's (after the gap) 00:30 UTC too.
      { id: 4, start: '2026-03-31T00:30:00Z', end: '2026-04-01T00:30:00Z', count: 1 },
      // The 29th's 02:30 fell in the gap: the reset came at 03:00 summer time, 01:00 UTC.
      { id: 1, start: '2026-03-28T12:00:00Z', end: '2026-03-29T01:00:00Z', count: 1 },
    ]);
    await b.store.close();
  });

  it('cuts off a torn last record with a warning and keeps the rest', async () => {
    const dir = tmp();
    const a = open(dir);
    a.send(Command.SetTotal, { user: 1, total: 10 });
    a.send(Command.SetTotal, { user: 2, total: 20 });
    await a.store.close();
    const log = join(
      dir,
      readdirSync(dir).find((f) => f.startsWith('aof.'))!,
    );
    const whole = statSync(log).size;
    const partial = encodeRecord({ type: RecordType.Set, user: 3, total: 30, seq: 99, at: 0 });
    appendFileSync(log, partial.subarray(0, partial.length - 3));
    const b = open(dir);
    expect(b.store.loaded.tornBytes).toBe(partial.length - 3);
    expect(statSync(log).size).toBe(whole);
    expect(everything(b.board)).toEqual([
      { user: 2, total: 20 },
      { user: 1, total: 10 },
    ]);
    await b.store.close();
  });

  it('refuses to start on a corrupt record in the middle, and recovers up to it when asked', async () => {
    const dir = tmp();
    const a = open(dir);
    for (let u = 1; u <= 5; u++) a.send(Command.SetTotal, { user: u, total: u * 10 });
    await a.store.close();
    const log = join(
      dir,
      readdirSync(dir).find((f) => f.startsWith('aof.'))!,
    );
    const bytes = readFileSync(log);
    // The log holds the default board's creation, then the five writes: damage the third write.
    const starts: number[] = [];
    for (let off = 0; off < bytes.length;) {
      const r = readRecord(bytes, off);
      if (r.kind !== 'record') throw new Error(r.kind);
      if (r.record.type === RecordType.Score) starts.push(off);
      off = r.next;
    }
    expect(starts).toHaveLength(5);
    bytes[starts[2]! + 12] = bytes[starts[2]! + 12]! ^ 0xff;
    writeFileSync(log, bytes);
    expect(() => open(dir)).toThrow(CorruptLogError);
    expect(() => open(dir)).toThrow(/--recover/);
    const b = open(dir, { recover: true });
    expect(everything(b.board)).toEqual([
      { user: 2, total: 20 },
      { user: 1, total: 10 },
    ]);
    await b.store.close();
    const c = open(dir); // the cut is permanent: a normal start works now
    expect(c.board.size).toBe(2);
    await c.store.close();
  });

  it('answers a repeated idempotency key with the first result, before and after a restart', async () => {
    const dir = tmp();
    const a = open(dir);
    expect(a.send(Command.AddScore, { user: 'p', delta: 5 }, 'key-1')).toMatchObject({
      ok: true,
      result: { user: 'p', total: 5 },
    });
    expect(a.send(Command.AddScore, { user: 'p', delta: 5 }, 'key-1')).toMatchObject({
      ok: true,
      result: { user: 'p', total: 5 },
    });
    expect(a.send(Command.AddScore, { user: 'p', delta: 6 }, 'key-1')).toMatchObject({
      ok: false,
      error: { code: ErrorCode.IDEMPOTENCY_KEY_REUSED },
    });
    expect(a.board.get('p')?.total).toBe(5);
    await a.store.close();
    const b = open(dir);
    expect(b.send(Command.AddScore, { user: 'p', delta: 5 }, 'key-1')).toMatchObject({
      ok: true,
      result: { total: 5 },
    });
    expect(b.send(Command.AddScore, { user: 'p', delta: 5 }, 'key-2')).toMatchObject({
      ok: true,
      result: { total: 10 },
    });
    expect(b.board.get('p')?.total).toBe(10);
    await b.store.close();
  });

  it('holds a reply until its write is durable (group commit)', async () => {
    const dir = tmp();
    const { server, store } = open(dir);
    const tickets: number[] = [];
    for (let i = 0; i < 50; i++) {
      tickets.push(
        server.handleFrame(encodeRequests([{ id: i, cmd: Command.AddScore, args: { user: i, delta: 1 } }]))
          .ticket,
      );
    }
    // One ticket per write, after the records of the default board's creation and of the shard
    // map (a fresh folder).
    expect(tickets).toEqual(Array.from({ length: 50 }, (_, i) => i + 3));
    expect(store.durable).toBeLessThan(52); // nothing waited for the disk yet
    await store.flush();
    expect(store.durable).toBe(52);
    await store.close();
  });

  it('loads a version 2 snapshot (a record per profile and per entry, in no order) to the same state', async () => {
    const dir = tmp();
    const a = open(dir);
    const random = seededRandom(2);
    a.send(Command.BoardPut, { board: 'best', operator: 'best', history: 3 });
    a.send(Command.BoardPut, { board: 'low', order: 'asc' });
    for (let i = 0; i < 3000; i++) {
      const user = randomInt(random, 0, 400);
      if (random() < 0.2)
        a.send(Command.PlayerPut, { user, name: `p${user}`, country: random() < 0.5 ? 'DE' : 'BR' });
      else
        a.send(Command.ScorePut, {
          board: ['best', 'low', 'default'][i % 3]!,
          user,
          total: randomInt(random, 0, 50),
        });
    }
    await a.store.snapshot();
    const want = a.state.digest();
    await a.store.close();
    // Rewrite the snapshot the way version 2 did: PROFILE, SCORE and RESULT records, shuffled per board.
    const buf = readFileSync(join(dir, 'snapshot.sb'));
    const hlen = buf.readUInt32LE(8);
    const header = JSON.parse(buf.toString('utf8', 12, 12 + hlen)) as Record<string, unknown>;
    const old: Buffer[] = [];
    for (let offset = 12 + hlen; ;) {
      const r = readRecord(buf, offset);
      if (r.kind !== 'record') throw new Error('unreadable snapshot');
      offset = r.next;
      const rec = r.record;
      if (rec.type === RecordType.End) break;
      if (rec.type === RecordType.Profiles) {
        rec.run.users.forEach((user, i) =>
          old.push(encodeRecord({ type: RecordType.Profile, at: 0, user, profile: rec.run.profiles[i]! })),
        );
      } else if (rec.type === RecordType.Entries) {
        const entries: Buffer[][] = [];
        let k = 0;
        const run = rec.run;
        run.users.forEach((user, i) => {
          const { board } = rec;
          const one = [
            encodeRecord({
              type: RecordType.Score,
              at: 0,
              board,
              user,
              total: run.totals[i]!,
              seq: run.seqs[i]!,
            }),
          ];
          for (let n = 0; n < run.resultCounts[i]!; n++, k += 3) {
            const [total, at, seq] = [run.results[k]!, run.results[k + 1]!, run.results[k + 2]!];
            one.push(encodeRecord({ type: RecordType.Result, at, board, user, total, seq }));
          }
          entries.splice(randomInt(random, 0, entries.length), 0, one);
        });
        old.push(...entries.flat());
      } else old.push(encodeRecord(rec));
    }
    const json = Buffer.from(JSON.stringify({ ...header, version: 2 }));
    const len = Buffer.alloc(4);
    len.writeUInt32LE(json.length);
    const end = encodeRecord({ type: RecordType.End, count: old.length });
    writeFileSync(join(dir, 'snapshot.sb'), Buffer.concat([Buffer.from('SBSNAP01'), len, json, ...old, end]));
    const b = open(dir);
    expect(b.store.loaded.snapshotRecords).toBe(old.length);
    expect(b.state.digest()).toEqual(want);
    b.state.checkValid();
    await b.store.close();
  });

  it('loads a data folder written by the first version (one board) into the default board', async () => {
    const dir = tmp();
    // The first version's snapshot: header version 1, SET and KEY records; then its log.
    const records = [
      encodeRecord({ type: RecordType.Set, user: 1, total: 10, seq: 1, at: 0 }),
      encodeRecord({ type: RecordType.Set, user: 'b', total: 10, seq: 2, at: 0 }),
      encodeRecord({
        type: RecordType.Key,
        at: Date.now(),
        user: 'b',
        total: 10,
        key: { key: 'old-key', fingerprint: 'set:{"user":"b","total":10}' },
      }),
    ];
    const header = Buffer.from(JSON.stringify({ version: 1, fromGeneration: 1, nextSeq: 3, createdAt: 0 }));
    const len = Buffer.alloc(4);
    len.writeUInt32LE(header.length);
    writeFileSync(
      join(dir, 'snapshot.sb'),
      Buffer.concat([
        Buffer.from('SBSNAP01'),
        len,
        header,
        ...records,
        encodeRecord({ type: RecordType.End, count: 3 }),
      ]),
    );
    writeFileSync(
      join(dir, 'aof.00000001.log'),
      Buffer.concat([
        encodeRecord({ type: RecordType.Set, user: 'c', total: 20, seq: 3, at: 0 }),
        encodeRecord({
          type: RecordType.Set,
          user: 1,
          total: 10,
          seq: 4,
          at: 0,
          key: { key: 'k2', fingerprint: 'add:{"user":1,"delta":0}' },
        }),
      ]),
    );
    const a = open(dir);
    expect(everything(a.board)).toEqual([
      { user: 'c', total: 20 },
      { user: 'b', total: 10 },
      { user: 1, total: 10 },
    ]);
    // Its keys still answer as they did.
    expect(a.send(Command.SetTotal, { user: 'b', total: 10 }, 'old-key')).toMatchObject({
      ok: true,
      result: { user: 'b', total: 10 },
    });
    expect(a.send(Command.SetTotal, { user: 'b', total: 11 }, 'old-key')).toMatchObject({ ok: false });
    // New writes take sequence numbers after the old ones.
    a.send(Command.SetTotal, { user: 'd', total: 10 });
    expect(everything(a.board).at(-1)).toEqual({ user: 'd', total: 10 });
    await a.store.close();
  });
});
