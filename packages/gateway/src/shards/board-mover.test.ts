import {
  ErrorCode,
  ScoreboardError,
  parseResult,
  placeBoard,
  sameShardMap,
  shardOf,
  type CommandName,
  type RawResult,
  type ShardMap,
} from '@scoreboard/protocol';
import { describe, expect, it } from 'vitest';
import { BoardMover } from './board-mover.js';
import { ShardedRanking, type ShardClient } from './sharded-ranking.js';

/** A shard as the mover sees it: its map, its boards (id → entries) and its frozen boards. */
class FakeShard {
  map: ShardMap = { epoch: 0, layout: 2, moved: {}, sealed: false };
  boards = new Map<string, number>();
  frozen = new Set<string>();
  /** Failures to answer, in order, for a command: the next call of it throws the first. */
  failures = new Map<string, ErrorCode[]>();
  constructor(readonly index: number) {}

  answer(cmd: CommandName, args: any): unknown {
    const fail = this.failures.get(cmd)?.shift();
    if (fail) throw new ScoreboardError(fail);
    const owns = (b: string) => placeBoard(this.map, b) === this.index;
    switch (cmd) {
      case 'shardmap.get':
        return { ...this.map, shard: this.index };
      case 'shardmap.set': {
        const next = args.map as ShardMap;
        if (next.epoch < this.map.epoch || (next.epoch === this.map.epoch && !sameShardMap(next, this.map)))
          throw new ScoreboardError(ErrorCode.SHARD_MAP_STALE);
        this.map = next;
        return { ...this.map, shard: this.index };
      }
      case 'board.list':
        return [...this.boards.keys()].map((board) => ({ board }));
      case 'board.freeze': {
        const entries = this.boards.get(args.board);
        if (entries === undefined) throw new ScoreboardError(ErrorCode.BOARD_NOT_FOUND);
        if (args.frozen === false) this.frozen.delete(args.board);
        else this.frozen.add(args.board);
        return { board: args.board, entries };
      }
      case 'board.export':
        return {
          board: args.board,
          entries: this.boards.get(args.board),
          records: `${this.boards.get(args.board)}`,
        };
      case 'board.import':
        if (owns(args.board)) throw new ScoreboardError(ErrorCode.SHARD_OWNS_BOARD);
        this.boards.set(args.board, Number(args.records));
        return { board: args.board, entries: Number(args.records) };
      case 'board.drop':
        if (owns(args.board)) throw new ScoreboardError(ErrorCode.SHARD_OWNS_BOARD);
        this.frozen.delete(args.board);
        return { board: args.board, dropped: this.boards.delete(args.board) };
      default:
        throw new Error(`unexpected ${cmd}`);
    }
  }

  client(): ShardClient {
    const callRaw = async (cmd: CommandName, args: unknown): Promise<RawResult> =>
      Buffer.from(JSON.stringify(this.answer(cmd, args)));
    return {
      inFlight: 0,
      queued: 0,
      callRaw: callRaw as ShardClient['callRaw'],
      call: (async (cmd: CommandName, args: unknown) =>
        parseResult(await callRaw(cmd, args))) as ShardClient['call'],
    };
  }
}

/** Three shards holding boards laid out for two, as after a third shard joined. */
function fleet() {
  const shards = [0, 1, 2].map((i) => new FakeShard(i));
  const boards = Array.from({ length: 30 }, (_, i) => `b${i}`);
  for (const [i, board] of boards.entries()) shards[shardOf(board, 2)]!.boards.set(board, i + 1);
  const ranking = new ShardedRanking(shards.map((s) => s.client()));
  return { shards, boards, mover: new BoardMover(ranking), ranking };
}

/** Where each board is held, and that it is held once, unfrozen. */
function holders(shards: FakeShard[]): Map<string, number> {
  const at = new Map<string, number>();
  for (const s of shards) {
    for (const board of s.boards.keys()) {
      expect(at.has(board), `${board} held twice`).toBe(false);
      at.set(board, s.index);
    }
    expect([...s.frozen]).toEqual([]);
  }
  return at;
}

describe('BoardMover', () => {
  it('changes the layout without moving a board, then moves each one until the map is the hash', async () => {
    const { shards, boards, mover } = fleet();
    const map = await mover.setLayout(3);
    expect(map.layout).toBe(3);
    expect(map.sealed).toBe(false);
    const pending = boards.filter((b) => shardOf(b, 3) !== shardOf(b, 2));
    expect(Object.keys(map.moved).sort()).toEqual(pending.sort());
    for (const s of shards) expect(s.map).toEqual(map); // every shard took it
    // Nothing moved yet: each board is where the map says.
    for (const [board, at] of holders(shards)) expect(placeBoard(map, board)).toBe(at);
    for (const board of pending) {
      const report = await mover.move(board, shardOf(board, 3));
      expect(report).toMatchObject({ board, from: shardOf(board, 2), to: shardOf(board, 3) });
      expect(report.entries).toBe(Number(board.slice(1)) + 1);
    }
    expect(shards[0]!.map.moved).toEqual({});
    for (const [board, at] of holders(shards)) expect(at).toBe(shardOf(board, 3));
    await expect(mover.setLayout(4)).rejects.toMatchObject({ code: ErrorCode.HTTP_VALIDATION });
    await expect(mover.move('b1', 3)).rejects.toMatchObject({ code: ErrorCode.HTTP_VALIDATION });
  });

  it('shrinks too: from three shards to two, leaving the third empty', async () => {
    const shards = [0, 1, 2].map((i) => new FakeShard(i));
    for (const s of shards) s.map = { epoch: 0, layout: 3, moved: {}, sealed: false };
    const boards = Array.from({ length: 30 }, (_, i) => `b${i}`);
    for (const board of boards) shards[shardOf(board, 3)]!.boards.set(board, 1);
    const mover = new BoardMover(new ShardedRanking(shards.map((s) => s.client())));
    const map = await mover.setLayout(2);
    for (const board of Object.keys(map.moved)) await mover.move(board, shardOf(board, 2));
    expect(shards[0]!.map).toMatchObject({ layout: 2, moved: {} });
    expect(shards[2]!.boards.size).toBe(0);
    for (const [board, at] of holders(shards)) expect(at).toBe(shardOf(board, 2));
  });

  it('lifts the freeze when the copy fails, and finishes a move whose switch was cut short', async () => {
    const { shards, boards, mover } = fleet();
    await mover.setLayout(3);
    // A board going from shard 0 to shard 2 (growing, boards only ever move to the new shard).
    const board = boards.find((b) => shardOf(b, 2) === 0 && shardOf(b, 3) === 2)!;
    const [from, to] = [0, 2];
    // The import is refused: the board stays where it was, taking writes again.
    shards[to]!.failures.set('board.import', [ErrorCode.PROTOCOL_MALFORMED]);
    await expect(mover.move(board, to)).rejects.toMatchObject({ code: ErrorCode.PROTOCOL_MALFORMED });
    expect(shards[from]!.frozen.has(board)).toBe(false);
    expect(placeBoard(shards[0]!.map, board)).toBe(from);
    // A lost message is sent again (every step may be repeated).
    shards[from]!.failures.set('board.export', [ErrorCode.RANKING_UNAVAILABLE]);
    // Shard 1 misses the switch three times: the move fails after shard 0 switched.
    shards[1]!.failures.set('shardmap.set', Array(3).fill(ErrorCode.RANKING_UNAVAILABLE));
    await expect(mover.move(board, to)).rejects.toMatchObject({ code: ErrorCode.RANKING_UNAVAILABLE });
    expect(placeBoard(shards[0]!.map, board)).toBe(to);
    expect(shards[from]!.frozen.has(board)).toBe(true); // switched: no write may land on the old copy
    // Moving again finishes it: every shard takes the map, the old copy goes.
    expect(await mover.move(board, to)).toMatchObject({ from: to, to, pausedMs: 0 });
    for (const s of shards) expect(placeBoard(s.map, board)).toBe(to);
    expect(holders(shards).get(board)).toBe(to);
  });
});
