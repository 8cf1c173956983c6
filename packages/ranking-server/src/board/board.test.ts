import { ErrorCode, MAX_TOTAL, countryNumber, type RankStyle, type UserId } from '@scoreboard/protocol';
import { describe, expect, it } from 'vitest';
import { randomInt, seededRandom } from '@scoreboard/random';
import type { Board, BoardConfig } from './board.js';
import { Leaderboards } from './leaderboards.js';
import { putBoard, submit } from './direct-writes.js';

/** A clock reading for board creation in these tests. */
const NOW = Date.UTC(2026, 10, 28);

const TOTALS = [100, 200, 150, 350, 225, 155, 60, 415, 190, 25];

function world(seed = 3): Leaderboards {
  return new Leaderboards({ maxBoards: 100, maxPlayers: 100_000, random: seededRandom(seed) });
}

/** Writes a total for a user (as the engine does: acquiring the player's slot). */
function put(data: Leaderboards, board: Board, user: UserId, write: { total: number } | { delta: number }) {
  return submit(data, board, data.players.acquire(user), write);
}

function originalBoard(): { data: Leaderboards; board: Board } {
  const data = world();
  const board = data.defaultBoard;
  TOTALS.forEach((total, i) => put(data, board, i + 1, { total }));
  return { data, board };
}

const users = (rows: Array<{ user: UserId }>) => rows.map((r) => r.user);
const ranks = (rows: Array<{ rank: number }>) => rows.map((r) => r.rank);

describe('Board — the original scoreboard cases', () => {
  it('ranks users 1–10 so that the top 3 is [8, 4, 5]', () => {
    const { board, data } = originalBoard();
    expect(users(board.top(3, 'ordinal'))).toEqual([8, 4, 5]);
    expect(board.plain(1, 3)).toEqual([
      { user: 8, total: 415 },
      { user: 4, total: 350 },
      { user: 5, total: 225 },
    ]);
    data.checkValid();
  });

  it('applies relative updates +10, −100, +150, −75, +225 as 10, −90, 60, −15, 210', () => {
    const data = world(4);
    const seen = [10, -100, 150, -75, 225].map(
      (delta) => put(data, data.defaultBoard, 'player', { delta }).total,
    );
    expect(seen).toEqual([10, -90, 60, -15, 210]);
  });

  it.each([
    [5, 2, 5],
    [11, 2, 2],
    [1, 2, 3],
    [5, 8, 10],
    [14, 2, 0],
  ])('window (%i, %i) holds %i rows', (p, s, count) => {
    const { board } = originalBoard();
    const window = board.window(p, s, 'ordinal');
    expect(window).toHaveLength(count);
    expect(window).toEqual(
      board.top(10, 'ordinal').slice(Math.max(1, p - s) - 1, Math.max(1, p - s) - 1 + count),
    );
  });
});

describe('Board — rules of a write', () => {
  it('ranks who reached a total first higher, and keeps the position on a no-op write', () => {
    const data = world(6);
    const board = data.defaultBoard;
    for (const u of ['a', 'b', 'c']) put(data, board, u, { total: 50 });
    expect(put(data, board, 'a', { total: 50 }).changed).toBe(false);
    expect(users(board.top(3, 'ordinal'))).toEqual(['a', 'b', 'c']);
    put(data, board, 'a', { total: 49 });
    put(data, board, 'a', { total: 50 });
    expect(users(board.top(3, 'ordinal'))).toEqual(['b', 'c', 'a']);
  });

  it('refuses a result outside ±(2^53−1), or outside the board’s min and max, changing nothing', () => {
    const data = world();
    const board = putBoard(data, 'bounded', { min: -10, max: 100 }, NOW).board;
    put(data, board, 1, { total: 100 });
    for (const write of [{ delta: 1 }, { total: 101 }, { total: -11 }]) {
      expect(() => put(data, board, 1, write)).toThrow(
        expect.objectContaining({ code: ErrorCode.SCORE_OUT_OF_RANGE }),
      );
    }
    expect(board.totalOf(data.players.slotOf(1)!)).toBe(100);
    put(data, data.defaultBoard, 2, { total: MAX_TOTAL });
    expect(() => put(data, data.defaultBoard, 2, { delta: 1 })).toThrow(
      expect.objectContaining({ code: ErrorCode.SCORE_OUT_OF_RANGE }),
    );
  });

  it('keeps only better totals on a best board, in either order, and refuses relative scores', () => {
    const data = world();
    const high = putBoard(data, 'high', { operator: 'best' }, NOW).board;
    const low = putBoard(data, 'low', { operator: 'best', order: 'asc' }, NOW).board;
    for (const total of [50, 40, 70, 60]) {
      put(data, high, 'p', { total });
      put(data, low, 'p', { total });
    }
    expect(high.top(1, 'ordinal')[0]).toMatchObject({ user: 'p', total: 70 });
    expect(low.top(1, 'ordinal')[0]).toMatchObject({ user: 'p', total: 40 });
    expect(() => put(data, high, 'p', { delta: 1 })).toThrow(
      expect.objectContaining({ code: ErrorCode.SCORE_RELATIVE_NOT_ALLOWED }),
    );
    const kept = put(data, high, 'p', { total: 10 });
    expect(kept).toMatchObject({ total: 70, changed: false });
  });

  it('orders an asc board lowest first, ties by who got there first', () => {
    const data = world();
    const board = putBoard(data, 'golf', { order: 'asc' }, NOW).board;
    put(data, board, 'a', { total: 72 });
    put(data, board, 'b', { total: 68 });
    put(data, board, 'c', { total: 72 });
    put(data, board, 'd', { total: 0 });
    expect(board.top(4, 'ordinal').map((r) => [r.user, r.total])).toEqual([
      ['d', 0],
      ['b', 68],
      ['a', 72],
      ['c', 72],
    ]);
    expect(board.range(68, 72, 10, 'ordinal')).toMatchObject({
      count: 3,
      entries: [{ user: 'b' }, { user: 'a' }, { user: 'c' }],
    });
  });

  it('changes order or operator only while empty, and refuses crossing bounds', () => {
    const data = world();
    const board = putBoard(data, 'b', {}, NOW).board;
    putBoard(data, 'b', { order: 'asc', operator: 'best' }, NOW);
    put(data, board, 1, { total: 5 });
    expect(() => putBoard(data, 'b', { order: 'desc' }, NOW)).toThrow(
      expect.objectContaining({ code: ErrorCode.BOARD_CONFLICT }),
    );
    expect(() => putBoard(data, 'b', { min: 5, max: 4 }, NOW)).toThrow(
      expect.objectContaining({ code: ErrorCode.BOARD_INVALID_CONFIG }),
    );
    putBoard(data, 'b', { max: 1000 }, NOW); // bounds may change with entries
    expect(board.config).toMatchObject({ order: 'asc', operator: 'best', min: null, max: 1000 });
  });
});

describe('Board — rank styles', () => {
  it('numbers 1234 ordinal, 1224 standard and 1223 dense', () => {
    const data = world();
    const board = data.defaultBoard;
    [
      ['a', 10],
      ['b', 8],
      ['c', 8],
      ['d', 5],
    ].forEach(([u, t]) => put(data, board, u!, { total: t as number }));
    expect(ranks(board.top(4, 'ordinal'))).toEqual([1, 2, 3, 4]);
    expect(ranks(board.top(4, 'standard'))).toEqual([1, 2, 2, 4]);
    expect(ranks(board.top(4, 'dense'))).toEqual([1, 2, 2, 3]);
    expect(ranks(board.window(3, 0, 'standard'))).toEqual([2]);
    expect(ranks(board.window(4, 0, 'dense'))).toEqual([3]);
    expect(board.standing(data.players.slotOf('c')!, 'dense')).toMatchObject({
      rank: 2,
      count: 4,
      percentile: 25,
    });
  });
});

describe('Board — countries and players', () => {
  it('ranks players within their country and moves their entries when the country changes', () => {
    const data = world();
    const a = putBoard(data, 'a', {}, NOW).board;
    const b = putBoard(data, 'b', {}, NOW).board;
    data.writeProfile('x', { country: 'DE', name: 'Xaver' });
    data.writeProfile('y', { country: 'DE' });
    data.writeProfile('z', { country: 'FR' });
    for (const [u, t] of [
      ['x', 30],
      ['y', 20],
      ['z', 10],
      ['w', 40],
    ] as const) {
      put(data, a, u, { total: t });
      put(data, b, u, { total: 100 - t });
    }
    const de = countryNumber('DE');
    expect(a.countryCounts()).toEqual([
      { country: 'DE', count: 2 },
      { country: 'FR', count: 1 },
    ]);
    expect(a.countryTop(de, 10, 'ordinal')).toEqual([
      { user: 'x', total: 30, rank: 1, name: 'Xaver', country: 'DE' },
      { user: 'y', total: 20, rank: 2, country: 'DE' },
    ]);
    data.writeProfile('z', { country: 'DE' });
    expect(users(a.countryTop(de, 10, 'ordinal'))).toEqual(['x', 'y', 'z']);
    expect(users(b.countryTop(de, 10, 'ordinal'))).toEqual(['z', 'y', 'x']);
    expect(a.countryCounts()).toEqual([{ country: 'DE', count: 3 }]);
    data.writeProfile('x', { country: null });
    expect(a.standing(data.players.slotOf('x')!, 'ordinal')).not.toHaveProperty('countryRank');
    expect(a.standing(data.players.slotOf('z')!, 'ordinal')).toMatchObject({ rank: 4, countryRank: 2 });
    data.checkValid();
  });

  it('erases a player from every board and frees the slot', () => {
    const data = world();
    const a = putBoard(data, 'a', {}, NOW).board;
    data.writeProfile('gone', { name: 'G', country: 'US' });
    put(data, a, 'gone', { total: 5 });
    put(data, data.defaultBoard, 'gone', { total: 6 });
    put(data, a, 'stays', { total: 1 });
    expect(data.erase('gone')).toBe(true);
    expect(data.players.slotOf('gone')).toBeUndefined();
    expect(users(a.top(10, 'ordinal'))).toEqual(['stays']);
    expect(data.defaultBoard.size).toBe(0);
    expect(data.erase('gone')).toBe(false);
    data.checkValid();
  });

  it('refuses a player past the cap, and a board past the cap', () => {
    const data = new Leaderboards({ maxBoards: 2, maxPlayers: 2, random: seededRandom(1) });
    data.players.acquire('a');
    data.players.acquire('b');
    expect(() => data.players.acquire('c')).toThrow(
      expect.objectContaining({ code: ErrorCode.PLAYER_LIMIT_REACHED }),
    );
    putBoard(data, 'one', {}, NOW);
    expect(() => putBoard(data, 'two', {}, NOW)).toThrow(
      expect.objectContaining({ code: ErrorCode.BOARD_LIMIT_REACHED }),
    );
    expect(() => data.delete('default')).toThrow(
      expect.objectContaining({ code: ErrorCode.BOARD_PROTECTED }),
    );
  });
});

describe('Board — around a player', () => {
  it('centres the window on the player unless an end of the board shifts it', () => {
    const data = world();
    const board = data.defaultBoard;
    for (let u = 1; u <= 10; u++) put(data, board, u, { total: 100 - u }); // user u at rank u
    const at = (u: number, size: number) => users(board.around(data.players.slotOf(u)!, size, 'ordinal')!);
    expect(at(5, 2)).toEqual([3, 4, 5, 6, 7]);
    expect(at(1, 2)).toEqual([1, 2, 3, 4, 5]);
    expect(at(10, 2)).toEqual([6, 7, 8, 9, 10]);
    expect(at(2, 0)).toEqual([2]);
    expect(at(4, 100)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });
});

describe('Board — restoring runs of entries', () => {
  for (const [seed, order] of [
    [8, 'desc'],
    [31, 'asc'],
    [404, 'desc'],
  ] as const) {
    it(`leaves the board as one restore after another would, duplicates and misorders included (seed ${seed}, ${order})`, () => {
      const random = seededRandom(seed);
      const worlds = [world(seed), world(seed + 1)];
      const boards = worlds.map((data) => putBoard(data, 'runs', { order, operator: 'set' }, NOW).board);
      const sign = order === 'desc' ? 1 : -1;
      // Some players with countries, some entries already there, and in one world the dense index.
      for (let u = 0; u < 300; u++) {
        const country = ['DE', 'FR', null][u % 3]!;
        for (const data of worlds) data.writeProfile(u, { country });
      }
      for (let u = 0; u < 40; u++) {
        const total = randomInt(random, -500, 500);
        worlds.forEach((data, w) => boards[w]!.restore(data.players.acquire(u), total, 10_000 + u));
      }
      boards[0]!.top(1, 'dense');
      let seq = 20_000;
      let edge = -sign * 600; // past every total so far: keys from here on rank last
      for (let run = 0; run < 60; run++) {
        const n = randomInt(random, 0, 30);
        const users: number[] = [];
        const totals = new Float64Array(n);
        const seqs = new Float64Array(n);
        for (let i = 0; i < n; i++) {
          const r = random();
          // Mostly new players ranking last; now and then a player already there, one earlier in
          // the same run, or a key that ranks too high.
          users.push(
            r < 0.1
              ? randomInt(random, 0, 39)
              : r < 0.15 && i > 0
                ? users[randomInt(random, 0, i - 1)]!
                : 40 + run * 30 + i,
          );
          if (random() < 0.1) totals[i] = randomInt(random, -500, 500);
          else totals[i] = edge -= sign * randomInt(random, 0, 2);
          seqs[i] = ++seq;
        }
        const [a, b] = worlds.map((data) => Int32Array.from(users, (u) => data.players.acquire(u, true)));
        boards[0]!.restoreRun(a!, totals, seqs);
        users.forEach((_, i) => boards[1]!.restore(b![i]!, totals[i]!, seqs[i]!));
      }
      for (const style of ['ordinal', 'standard', 'dense'] as RankStyle[]) {
        const [x, y] = boards.map((board) =>
          board.top(board.size, style).map((r) => [r.user, r.total, r.rank]),
        );
        expect(x).toEqual(y);
        for (const c of ['DE', 'FR']) {
          const [cx, cy] = boards.map((board) => board.countryTop(countryNumber(c), 1000, style));
          expect(cx).toEqual(cy);
        }
      }
      expect(boards[0]!.size).toBeGreaterThan(500);
      for (const data of worlds) data.checkValid();
      // The next stamp passed every restored one, as with one restore after another.
      expect(put(worlds[0]!, boards[0]!, 'next', { total: 1 }).seq).toBe(
        put(worlds[1]!, boards[1]!, 'next', { total: 1 }).seq,
      );
    });
  }
});

describe('Board — fuzzed against a naive model', () => {
  const styles: RankStyle[] = ['ordinal', 'standard', 'dense'];
  for (const seed of [11, 2024]) {
    it(`agrees with sorted arrays over thousands of operations, countries and styles included (seed ${seed})`, () => {
      const random = seededRandom(seed);
      const data = world(seed);
      const config: Partial<BoardConfig> = { order: seed % 2 ? 'desc' : 'asc', operator: 'set' };
      const board = putBoard(data, 'fuzz', config, NOW).board;
      const sign = config.order === 'desc' ? 1 : -1;
      const model = new Map<UserId, { total: number; seq: number }>();
      const country = new Map<UserId, string>();
      let seq = 0;
      const ranked = (only?: string) =>
        [...model.entries()]
          .filter(([u]) => only === undefined || country.get(u) === only)
          .sort((a, b) => sign * (b[1].total - a[1].total) || a[1].seq - b[1].seq)
          .map(([user, v]) => ({ user, total: v.total }));
      const rankIn = (all: Array<{ total: number }>, i: number, style: RankStyle) => {
        const t = all[i]!.total;
        const ahead = all.filter((e) => sign * e.total > sign * t);
        return style === 'ordinal'
          ? i + 1
          : style === 'standard'
            ? ahead.length + 1
            : new Set(ahead.map((e) => e.total)).size + 1;
      };
      for (let op = 0; op < 4000; op++) {
        const user = random() < 0.5 ? randomInt(random, 0, 150) : `u${randomInt(random, 0, 150)}`;
        const r = random();
        if (r < 0.35) {
          const total = randomInt(random, -25, 25);
          const prev = model.get(user);
          if (!prev || prev.total !== total) model.set(user, { total, seq: ++seq });
          expect(put(data, board, user, { total }).total).toBe(total);
        } else if (r < 0.6) {
          const delta = randomInt(random, -6, 6);
          const prev = model.get(user);
          const total = (prev?.total ?? 0) + delta;
          if (!prev || prev.total !== total) model.set(user, { total, seq: ++seq });
          expect(put(data, board, user, { delta }).total).toBe(total);
        } else if (r < 0.65) {
          const slot = data.players.slotOf(user);
          expect(slot !== undefined && board.remove(slot)).toBe(model.delete(user));
        } else if (r < 0.75) {
          const c = ['DE', 'FR', 'JP', null][randomInt(random, 0, 3)]!;
          data.writeProfile(user, { country: c });
          if (c) country.set(user, c);
          else country.delete(user);
        } else {
          const style = styles[randomInt(random, 0, 2)]!;
          const all = ranked();
          const n = randomInt(random, 0, 20);
          expect(board.top(n, style).map((row) => [row.user, row.total, row.rank])).toEqual(
            all.slice(0, n).map((e, i) => [e.user, e.total, rankIn(all, i, style)]),
          );
          const c = ['DE', 'FR', 'JP'][randomInt(random, 0, 2)]!;
          const inC = ranked(c);
          expect(board.countryTop(countryNumber(c), 8, style).map((row) => [row.user, row.rank])).toEqual(
            inC.slice(0, 8).map((e, i) => [e.user, rankIn(inC, i, style)]),
          );
          const slot = data.players.slotOf(user);
          const i = all.findIndex((e) => e.user === user);
          const standing = slot === undefined ? undefined : board.standing(slot, style);
          if (i < 0) expect(standing).toBeUndefined();
          else {
            expect(standing).toMatchObject({
              total: all[i]!.total,
              rank: rankIn(all, i, style),
              count: all.length,
            });
            const ci = inC.findIndex((e) => e.user === user);
            if (country.get(user) === c) expect(standing!.countryRank).toBe(rankIn(inC, ci, style));
          }
          const [lo, hi] = [randomInt(random, -30, 30), randomInt(random, -30, 30)];
          const inRange = all.filter((e) => e.total >= lo && e.total <= hi);
          expect(board.range(lo, hi, 5, 'ordinal')).toEqual({
            count: lo > hi ? 0 : inRange.length,
            entries:
              lo > hi
                ? []
                : board
                    .top(all.length, 'ordinal')
                    .filter((e) => e.total >= lo && e.total <= hi)
                    .slice(0, 5),
          });
        }
        if (op % 500 === 499) data.checkValid();
      }
      expect(board.plain(1, model.size + 1)).toEqual(ranked());
      data.checkValid();
    });
  }
});
