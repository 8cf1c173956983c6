import { Command, ErrorCode, nextShardMap, shardOf, type Reply, type ShardMap } from '@scoreboard/protocol';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RankingState } from '../engine/state.js';
import { RecordType, type LogRecord } from '../records/index.js';
import type { RankingService } from '../service.js';
import { requester, testService } from '../test-support/engine-harness.js';
import { randomInt, seededRandom } from '@scoreboard/random';

type Send = (cmd: string, args: object, key?: string) => Reply;

/** Two shards with data folders, and a sender for each. */
class Pair {
  services: RankingService[] = [];
  sends: Send[] = [];
  constructor(readonly dirs: string[]) {
    this.open();
  }
  open(): void {
    this.services = this.dirs.map((dataDir, shard) =>
      testService({ dataDir, fsync: 'always', shards: 2, shard }, { snapshotRun: 7 }),
    );
    this.sends = this.services.map((s) => requester(s.engine));
  }
  async restart(): Promise<void> {
    for (const s of this.services) await s.store!.close();
    this.open();
  }
  /** Shard i's map, without its index. */
  map(i: number): ShardMap {
    const { epoch, layout, moved, sealed } = ok(this.sends[i]!(Command.ShardMapGet, {})) as ShardMap;
    return { epoch, layout, moved, sealed };
  }
  /** The steps a client takes to move `board` from shard `from` to the other; answers the export's size. */
  move(board: string, from: number): number {
    const to = 1 - from;
    const [src, dst] = [this.sends[from]!, this.sends[to]!];
    ok(src(Command.BoardFreeze, { board }));
    const exported = ok(src(Command.BoardExport, { board })) as { records: string; entries: number };
    ok(dst(Command.BoardImport, { board, records: exported.records }));
    const map = nextShardMap(this.map(0), { moved: { ...this.map(0).moved, [board]: to } });
    for (const [shard, send] of this.sends.entries()) ok(send(Command.ShardMapSet, { shard, map }));
    ok(src(Command.BoardDrop, { board }));
    return exported.entries;
  }
}

function ok(reply: Reply): unknown {
  if (!reply.ok) throw new Error(`${reply.error.code}: ${reply.error.message}`);
  return reply.result;
}
const code = (reply: Reply): string | undefined => (reply.ok ? undefined : reply.error.code);
const folders = () => [0, 1].map(() => mkdtempSync(join(tmpdir(), 'scoreboard-move-')));
/** The first board id (prefix + n) the two-shard hash puts on `shard`. */
const boardOn = (prefix: string, shard: number): string => {
  for (let n = 0; ; n++) if (shardOf(`${prefix}${n}`, 2) === shard) return `${prefix}${n}`;
};

describe('moving a board between shards', () => {
  it('freezes, copies and switches a board whole; refusals change nothing; all of it survives restarts', async () => {
    const pair = new Pair(folders());
    const board = boardOn('cup-', 0);
    const [s0, s1] = pair.sends as [Send, Send];
    ok(s0(Command.BoardPut, { board, operator: 'best', history: 2 }));
    for (const send of pair.sends) ok(send(Command.PlayerPut, { user: 'ann', name: 'Ann', country: 'FR' }));
    ok(s0(Command.ScorePut, { board, user: 'ann', total: 50 }, 'k-ann'));
    ok(s0(Command.ScorePut, { board, user: 'bob', total: 70 }));
    ok(s0(Command.BoardReset, { board }, 'k-season')); // one finished period
    const first = ok(s0(Command.ScorePut, { board, user: 'ann', total: 40 }, 'k-ann-2'));
    ok(s0(Command.ScorePut, { board, user: 'cat', total: 40, metadata: { replay: 'c-1' } }));
    const reads = (send: Send) => ({
      top: ok(send(Command.BoardTop, { board, n: 10 })),
      periods: ok(send(Command.BoardPeriods, { board })),
      past: ok(send(Command.PeriodTop, { board, period: 1, n: 10 })),
      history: ok(send(Command.History, { board, user: 'ann' })),
      config: ok(send(Command.BoardGet, { board })),
    });
    const before = reads(s0);
    // A score's metadata is part of what moves (checked below by comparing every read).
    expect(before.top).toContainEqual(expect.objectContaining({ user: 'cat', metadata: { replay: 'c-1' } }));

    // The hash puts the board on shard 0: shard 1 refuses it, and cannot import it while shard 0 holds it by the map.
    expect(code(s1(Command.ScorePut, { board, user: 'x', total: 1 }))).toBe(ErrorCode.SHARD_MISROUTED);
    expect(code(s0(Command.BoardDrop, { board }))).toBe(ErrorCode.SHARD_OWNS_BOARD);
    // Frozen: writes wait, reads answer.
    ok(s0(Command.BoardFreeze, { board }));
    expect(code(s0(Command.ScorePut, { board, user: 'x', total: 1 }))).toBe(ErrorCode.BOARD_MOVING);
    expect(code(s0(Command.BoardDelete, { board }))).toBe(ErrorCode.BOARD_MOVING);
    expect(reads(s0)).toEqual(before);
    await pair.restart(); // the freeze is logged
    expect(code(pair.sends[0]!(Command.ScorePut, { board, user: 'x', total: 1 }))).toBe(
      ErrorCode.BOARD_MOVING,
    );
    const moved = pair.move(board, 0);
    expect(moved).toBe(2); // the live period: ann and cat

    // Refused map changes: the wrong shard, a stale epoch.
    const [t0, t1] = pair.sends as [Send, Send];
    const map = pair.map(1);
    expect(map.moved).toEqual({ [board]: 1 });
    expect(code(t1(Command.ShardMapSet, { shard: 0, map: { ...map, epoch: map.epoch + 1 } }))).toBe(
      ErrorCode.SHARD_MISROUTED,
    );
    expect(code(t1(Command.ShardMapSet, { shard: 1, map: { ...map, layout: 1 } }))).toBe(
      ErrorCode.SHARD_MAP_STALE,
    );
    expect(ok(t1(Command.ShardMapSet, { shard: 1, map }))).toEqual({ ...map, shard: 1 }); // a retry

    // The board answers on shard 1 as it did on shard 0, and nowhere else.
    expect(reads(t1)).toEqual(before);
    expect(code(t0(Command.BoardTop, { board, n: 10 }))).toBe(ErrorCode.SHARD_MISROUTED);
    expect(pair.services[0]!.state.data.find(board)).toBeUndefined();
    // A retried keyed write finds its first answer on the new shard: not applied twice.
    expect(code(t1(Command.ScorePut, { board, user: 'ann', total: 41 }, 'k-ann-2'))).toBe(
      ErrorCode.IDEMPOTENCY_KEY_REUSED,
    );
    expect(ok(t1(Command.ScorePut, { board, user: 'ann', total: 40 }, 'k-ann-2'))).toEqual(first);
    // A new equal score ranks after the older one (tie-break sequences carried over).
    ok(t1(Command.ScorePut, { board, user: 'dan', total: 40 }));
    const after = ok(t1(Command.BoardTop, { board, n: 10 })) as Array<{ user: string }>;
    expect(after.map((r) => r.user)).toEqual(['ann', 'cat', 'dan']);

    await pair.restart();
    expect(pair.map(0)).toEqual(map);
    expect(ok(pair.sends[1]!(Command.BoardTop, { board, n: 10 }))).toEqual(after);
    expect(pair.services[0]!.state.data.find(board)).toBeUndefined();
    expect(pair.services[0]!.state.shard.frozen.size).toBe(0);
    // Moving it back shrinks the map to nothing: the hash puts it there.
    pair.move(board, 1);
    expect(pair.map(0).moved).toEqual({});
    await pair.restart();
    expect(ok(pair.sends[0]!(Command.BoardTop, { board, n: 10 }))).toEqual(after);
    for (const s of pair.services) await s.store!.close();
  });

  it('moves the default board, which both shards always hold', async () => {
    const pair = new Pair(folders());
    const home = shardOf('default', 2);
    ok(pair.sends[home]!(Command.SetTotal, { user: 7, total: 9 }));
    pair.move('default', home);
    const away = 1 - home;
    expect(ok(pair.sends[away]!(Command.Top, { n: 5 }))).toEqual([{ user: 7, total: 9 }]);
    expect(code(pair.sends[home]!(Command.Top, { n: 5 }))).toBe(ErrorCode.SHARD_MISROUTED);
    await pair.restart();
    expect(pair.services[home]!.state.defaultBoard.size).toBe(0);
    expect(ok(pair.sends[away]!(Command.Top, { n: 5 }))).toEqual([{ user: 7, total: 9 }]);
    expect(
      code(pair.sends[away]!(Command.BoardImport, { board: 'default', records: 'bm90IGFuIGV4cG9ydA==' })),
    ).toBe(ErrorCode.SHARD_OWNS_BOARD);
    expect(
      code(pair.sends[home]!(Command.BoardImport, { board: 'default', records: 'bm90IGFuIGV4cG9ydA==' })),
    ).toBe(ErrorCode.PROTOCOL_MALFORMED);
    for (const s of pair.services) await s.store!.close();
  });

  it('reads back a freeze and an import of a board whose period ended while the snapshot was walked', () => {
    const state = new RankingState({ maxBoards: 10, maxPlayers: 100 });
    const config = { order: 'desc', operator: 'set', min: null, max: null } as const;
    const board = (period: number): LogRecord => ({
      type: RecordType.Board,
      at: 0,
      board: 'b',
      config: { ...config, period: { id: period, start: 0, end: null } },
    });
    const score = (user: string, total: number): LogRecord => ({
      type: RecordType.Score,
      at: 1,
      board: 'b',
      user,
      total,
      seq: total,
    });
    state.replay(board(2));
    state.snapshotLoaded({ periods: { b: 1 } }); // the snapshot holds period 2; the log's period-1 records are stale
    state.replay(score('old', 1));
    expect(state.data.board('b').size).toBe(0);
    state.replay({ type: RecordType.Freeze, at: 2, board: 'b', frozen: true });
    expect(state.shard.frozen.has('b')).toBe(true);
    state.replay({ type: RecordType.Import, at: 3, board: 'b', records: [board(2)] });
    state.replay(score('new', 5)); // after an import the board's records apply again
    expect(state.data.board('b').size).toBe(1);
    expect(state.shard.frozen.has('b')).toBe(false);
  });

  it('keeps every board equal to a reference model through random writes, moves and restarts', async () => {
    const random = seededRandom(42);
    const pair = new Pair(folders());
    const boards = Array.from({ length: 6 }, (_, i) => `b${i}`);
    const model = new Map(boards.map((b) => [b, new Map<string, number>()]));
    const home = (b: string): number => pair.services[0]!.state.shard.owner(b);
    for (const b of boards) ok(pair.sends[home(b)]!(Command.BoardPut, { board: b }));
    for (let step = 0; step < 1500; step++) {
      const b = boards[randomInt(random, 0, boards.length - 1)]!;
      const roll = random();
      if (roll < 0.02) pair.move(b, home(b));
      else if (roll < 0.025) await pair.restart();
      else {
        const user = `u${randomInt(random, 0, 40)}`;
        const total = randomInt(random, 0, 100);
        // Sent to the wrong shard first: refused, nothing changes; then to the right one.
        expect(code(pair.sends[1 - home(b)]!(Command.ScorePut, { board: b, user, total }))).toBe(
          ErrorCode.SHARD_MISROUTED,
        );
        ok(pair.sends[home(b)]!(Command.ScorePut, { board: b, user, total }));
        model.get(b)!.set(user, total);
      }
    }
    await pair.restart();
    for (const b of boards) {
      const rows = ok(pair.sends[home(b)]!(Command.BoardTop, { board: b, n: 100 })) as Array<{
        user: string;
        total: number;
      }>;
      const want = [...model.get(b)!].sort((x, y) => y[1] - x[1]);
      expect(rows.map((r) => r.total)).toEqual(want.map(([, t]) => t));
      expect(new Map(rows.map((r) => [r.user, r.total]))).toEqual(new Map(want));
      // The other shard holds no copy.
      expect(pair.services[1 - home(b)]!.state.data.find(b)).toBeUndefined();
    }
    for (const s of pair.services) s.state.checkValid();
    for (const s of pair.services) await s.store!.close();
  });

  it('moves a board with subscores and a banned player: the hidden entry, its results and the subscores go with it', async () => {
    const pair = new Pair(folders());
    const board = boardOn('sub-', 0);
    const [s0, s1] = pair.sends as [Send, Send];
    ok(s0(Command.BoardPut, { board, subscore: { order: 'asc' }, history: 2 }));
    for (const [user, total, subscore] of [
      ['ann', 5, 30],
      ['bob', 5, 20],
      ['cat', 4, 0],
    ] as const)
      ok(s0(Command.ScorePut, { board, user, total, subscore }));
    ok(s0(Command.BoardReset, { board })); // a finished period with subscores
    for (const [user, total, subscore] of [
      ['ann', 9, 1],
      ['bob', 9, 2],
      ['cat', 9, 1],
    ] as const)
      ok(s0(Command.ScorePut, { board, user, total, subscore, metadata: { run: user } }));
    // Bans go to every shard; cat's entry is hidden on its board's shard.
    for (const send of pair.sends) ok(send(Command.PlayerBan, { user: 'cat', reason: 'cheating' }));
    const reads = (send: Send) => ({
      top: ok(send(Command.BoardTop, { board, n: 10, rank: 'dense' })),
      past: ok(send(Command.PeriodTop, { board, period: 1, n: 10, rank: 'standard' })),
      // The export's boards (each shard stamps the ban with its own clock).
      cat: (ok(send(Command.PlayerExport, { user: 'cat' })) as { boards: unknown }).boards,
    });
    const before = reads(s0);
    expect(JSON.stringify(before.top)).not.toContain('cat');
    pair.move(board, 0);
    expect(reads(s1)).toEqual(before);
    await pair.restart();
    expect(reads(pair.sends[1]!)).toEqual(before);
    // Lifted on the new shard: cat comes back at the same key, with its subscore and metadata.
    for (const send of pair.sends) ok(send(Command.PlayerUnban, { user: 'cat' }));
    expect(ok(pair.sends[1]!(Command.BoardUser, { board, user: 'cat' }))).toMatchObject({
      total: 9,
      subscore: 1,
      rank: 2,
      metadata: { run: 'cat' },
    });
  });
});
