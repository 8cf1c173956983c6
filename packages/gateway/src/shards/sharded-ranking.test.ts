import {
  ErrorCode,
  ScoreboardError,
  parseResult,
  shardOf,
  type CommandName,
  type RawResult,
} from '@scoreboard/protocol';
import { describe, expect, it } from 'vitest';
import { ELECTING, ShardedRanking, type ShardClient } from './sharded-ranking.js';

/** A shard that records what it was asked and answers from `answer`. */
function fakeShard(
  i: number,
  answer: (cmd: CommandName, args: any) => unknown,
  calls: string[],
): ShardClient {
  const callRaw = async (cmd: CommandName, args: unknown): Promise<RawResult> => {
    calls.push(`${i}:${cmd}`);
    const out = answer(cmd, args);
    if (out instanceof ScoreboardError) throw out;
    return Buffer.from(JSON.stringify(out));
  };
  return {
    inFlight: i,
    queued: 1,
    callRaw: callRaw as ShardClient['callRaw'],
    call: (async (cmd: CommandName, args: unknown) =>
      parseResult(await callRaw(cmd, args))) as ShardClient['call'],
  };
}

describe('ShardedRanking', () => {
  it('routes by board, sends keys to shard 0 and spans shards for profiles, lists and erasures', async () => {
    const calls: string[] = [];
    const views = (i: number) => ['default', 'a', 'b', 'c', 'd', 'e'].map((board) => ({ board, shard: i }));
    const shards = [0, 1, 2].map((i) =>
      fakeShard(
        i,
        (cmd, args) => {
          if (cmd === 'shardmap.get') return { epoch: 0, layout: 3, moved: {}, sealed: false, shard: i };
          if (cmd === 'board.list') return views(i);
          if (cmd === 'player.delete') return { erased: i === 2 };
          return { cmd, args };
        },
        calls,
      ),
    );
    const ranking = new ShardedRanking(shards);
    expect(ranking.inFlight).toBe(3);
    expect(ranking.queued).toBe(3);
    await ranking.call('board.top', { board: 'weekly', n: 10 });
    // The shard map is read from shard 0 first, once.
    expect(calls).toEqual(['0:shardmap.get', `${shardOf('weekly', 3)}:board.top`]);
    calls.length = 0;
    await ranking.call('top', { n: 5 }); // the original routes: the default board
    await ranking.call('key.sync', { since: 0 });
    expect(calls).toEqual([`${shardOf('default', 3)}:top`, '0:key.sync']);
    calls.length = 0;
    await ranking.call('player.put', { user: 'ann', name: 'Ann' });
    expect(calls.sort()).toEqual(['0:player.put', '1:player.put', '2:player.put']);
    expect(await ranking.call('player.delete', { user: 'ann' })).toEqual({ erased: true });
    // Each board once, from the shard that holds it, sorted by id.
    const listed = (await ranking.call('board.list', {})) as unknown as Array<{
      board: string;
      shard: number;
    }>;
    expect(listed.map((v) => v.board)).toEqual(['a', 'b', 'c', 'd', 'default', 'e']);
    for (const v of listed) expect(v.shard).toBe(shardOf(v.board, 3));
  });

  it('answers a spanning command with the first failure, and merges a player across shards', async () => {
    const down = new ScoreboardError(ErrorCode.RANKING_UNAVAILABLE);
    const missing = new ScoreboardError(ErrorCode.PLAYER_NOT_FOUND);
    const calls: string[] = [];
    const player = (i: number, profile: boolean) => ({
      user: 'ann',
      name: profile ? 'Ann' : null,
      country: profile ? 'DE' : null,
      metadata: null,
      boards: { [`board-of-${i}`]: { total: i, rank: 1 } },
    });
    const ranking = new ShardedRanking([
      fakeShard(0, (cmd) => (cmd === 'player.get' ? missing : {}), calls),
      fakeShard(1, (cmd) => (cmd === 'player.get' ? player(1, false) : down), calls),
      fakeShard(2, (cmd) => (cmd === 'player.get' ? player(2, true) : {}), calls),
    ]);
    await expect(ranking.call('player.put', { user: 'ann', name: 'Ann' })).rejects.toBe(down);
    expect(await ranking.call('player.get', { user: 'ann' })).toEqual({
      user: 'ann',
      name: 'Ann',
      country: 'DE',
      metadata: null,
      boards: { 'board-of-1': { total: 1, rank: 1 }, 'board-of-2': { total: 2, rank: 1 } },
    });
    const none = new ShardedRanking([0, 1].map((i) => fakeShard(i, () => missing, calls)));
    await expect(none.call('player.get', { user: 'zed' })).rejects.toBe(missing);
    const hung = new ShardedRanking([fakeShard(0, () => missing, calls), fakeShard(1, () => down, calls)]);
    await expect(hung.call('player.get', { user: 'zed' })).rejects.toBe(down);
  });

  it('follows a board the servers say moved, and waits out a move, never sending a write twice', async () => {
    const calls: string[] = [];
    const board = 'weekly';
    const home = shardOf(board, 2);
    const away = 1 - home;
    // The servers' truth: the board is at home when the client first reads the map, and has moved
    // away when its write reaches home.
    let map = { epoch: 3, layout: 2, moved: {}, sealed: false };
    const moved = { epoch: 4, layout: 2, moved: { [board]: away }, sealed: false };
    let moving = 2; // the new shard refuses twice more: its move is finishing
    const shards = [0, 1].map((i) =>
      fakeShard(
        i,
        (cmd) => {
          if (cmd === 'shardmap.get') return { ...map, shard: i };
          if (cmd === 'board.list') return [{ board }, { board: 'default' }];
          if (i !== away) {
            map = moved;
            return new ScoreboardError(ErrorCode.SHARD_MISROUTED);
          }
          if (moving-- > 0) return new ScoreboardError(ErrorCode.BOARD_MOVING);
          return { ok: i };
        },
        calls,
      ),
    );
    const ranking = new ShardedRanking(shards);
    expect(ranking.map.epoch).toBe(-1); // not read yet: read before the first board command
    expect(await ranking.call('score.put', { board, user: 'ann', total: 5 })).toEqual({ ok: away });
    expect(calls).toEqual([
      '0:shardmap.get',
      `${home}:score.put`,
      '0:shardmap.get',
      `${away}:score.put`,
      `${away}:score.put`,
      `${away}:score.put`,
    ]);
    expect(ranking.map).toEqual(moved);
    // Lists show each board once, from where the map places it.
    const listed = (await ranking.call('board.list', {})) as unknown as Array<{ board: string }>;
    expect(listed.map((b) => b.board)).toEqual(['default', board]);
    // A misroute that persists is answered after a few rereads of the map, not looped on.
    const lost = new ShardedRanking(
      [0, 1].map((i) =>
        fakeShard(
          i,
          (cmd) =>
            cmd === 'shardmap.get'
              ? { epoch: 1, layout: 2, moved: {}, sealed: false, shard: i }
              : new ScoreboardError(ErrorCode.SHARD_MISROUTED),
          [],
        ),
      ),
    );
    await expect(lost.call('board.top', { board, n: 1 })).rejects.toMatchObject({
      code: ErrorCode.SHARD_MISROUTED,
    });
    // A board the map places past this client's shards: 503, not a crash.
    const short = new ShardedRanking(
      [0, 1].map((i) =>
        fakeShard(i, () => ({ epoch: 2, layout: 3, moved: { [board]: 2 }, sealed: false, shard: i }), []),
      ),
    );
    await short.refreshMap();
    await expect(short.call('board.top', { board, n: 1 })).rejects.toMatchObject({
      code: ErrorCode.RANKING_UNAVAILABLE,
    });
  });

  it('names an election in the health of a shard that has no primary, and only then', async () => {
    const down = new ScoreboardError(ErrorCode.RANKING_UNAVAILABLE);
    const pinged = (i: number, up: boolean, electing: boolean): ShardClient => ({
      ...fakeShard(i, () => (up ? { status: 'ok', users: 2 } : down), []),
      electing,
    });
    const health = async (shards: ShardClient[]) =>
      JSON.parse(String(await new ShardedRanking(shards).callRaw('ping', {}))) as {
        status: string;
        reason: string;
        shards: { shard: number; status: string; reason: string }[];
      };
    // Two shards, one between primaries: degraded, and the reason says why.
    const electing = await health([pinged(0, true, false), pinged(1, false, true)]);
    expect(electing).toMatchObject({
      status: 'degraded',
      shards: [
        { shard: 0, status: 'ok' },
        { shard: 1, status: 'unavailable', reason: ELECTING },
      ],
    });
    expect(electing.reason).toContain(ELECTING);
    // Down for another reason: the error's code, no election.
    const plain = await health([pinged(0, true, false), pinged(1, false, false)]);
    expect(plain.shards[1]).toEqual({
      shard: 1,
      status: 'unavailable',
      reason: ErrorCode.RANKING_UNAVAILABLE,
    });
    // Every shard down, one electing: unavailable, and the message names the election.
    const none = new ShardedRanking([pinged(0, false, true)]).callRaw('ping', {});
    await expect(none).rejects.toMatchObject({
      code: ErrorCode.RANKING_UNAVAILABLE,
      message: expect.stringContaining(`shard 0 ${ELECTING}`),
    });
    // A shard that answers is ok whatever the flag says (the watch may lag).
    expect(await health([pinged(0, true, true)])).toMatchObject({ status: 'ok' });
  });

  it('passes everything to the one shard there is', async () => {
    const calls: string[] = [];
    const ranking = new ShardedRanking([fakeShard(0, () => [{ board: 'x' }], calls)]);
    expect(await ranking.call('board.list', {})).toEqual([{ board: 'x' }]);
    expect(() => new ShardedRanking([])).toThrow(RangeError);
  });
});
