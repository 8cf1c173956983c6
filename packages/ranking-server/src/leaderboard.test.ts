import { ErrorCode, MAX_TOTAL, ScoreboardError, type Entry } from '@scoreboard/protocol';
import { describe, expect, it } from 'vitest';
import { Leaderboard } from './leaderboard.js';
import { randomInt, seededRandom } from './test-support/seeded-random.js';

const TOTALS = [100, 200, 150, 350, 225, 155, 60, 415, 190, 25];

function originalBoard(): Leaderboard {
  const board = new Leaderboard({ random: seededRandom(3) });
  TOTALS.forEach((total, i) => board.setTotal(i + 1, total));
  return board;
}

describe('Leaderboard — the original scoreboard cases', () => {
  it('ranks users 1–10 so that the top 3 is [8, 4, 5]', () => {
    const board = originalBoard();
    expect(board.top(3).map((e) => e.user)).toEqual([8, 4, 5]);
    expect(board.top(3).map((e) => e.total)).toEqual([415, 350, 225]);
    board.checkValid();
  });

  it('applies relative updates +10, −100, +150, −75, +225 as 10, −90, 60, −15, 210', () => {
    const board = new Leaderboard({ random: seededRandom(4) });
    const seen = [10, -100, 150, -75, 225].map((d) => board.addScore('player', d).total);
    expect(seen).toEqual([10, -90, 60, -15, 210]);
    expect(board.get('player')).toEqual({ user: 'player', total: 210, rank: 1 });
  });

  it.each([
    [5, 2, 5],
    [11, 2, 2],
    [1, 2, 3],
    [5, 8, 10],
  ])('window (%i, %i) holds %i entries', (p, s, count) => {
    const board = originalBoard();
    const window = board.around(p, s);
    expect(window).toHaveLength(count);
    const all = board.top(10);
    const from = Math.max(1, p - s);
    expect(window).toEqual(all.slice(from - 1, from - 1 + count));
  });
});

describe('Leaderboard — rules', () => {
  it('ranks the user who reached a total first higher, and keeps position on a no-op update', () => {
    const board = new Leaderboard({ random: seededRandom(6) });
    board.setTotal('a', 50);
    board.setTotal('b', 50);
    board.setTotal('c', 50);
    board.setTotal('a', 50); // unchanged: a stays first
    expect(board.top(3).map((e) => e.user)).toEqual(['a', 'b', 'c']);
    board.setTotal('a', 49);
    board.setTotal('a', 50); // reached 50 again, now after b and c
    expect(board.top(3).map((e) => e.user)).toEqual(['b', 'c', 'a']);
    board.addScore('b', 0);
    expect(board.get('b')?.rank).toBe(1);
  });

  it('gives top(0) and windows past the end as empty lists', () => {
    const board = originalBoard();
    expect(board.top(0)).toEqual([]);
    expect(board.around(13, 2)).toEqual([]);
    expect(board.top(100)).toHaveLength(10);
    expect(new Leaderboard().top(5)).toEqual([]);
  });

  it('refuses an update that would leave ±(2^53−1) and changes nothing', () => {
    const board = new Leaderboard();
    board.setTotal(1, MAX_TOTAL - 1);
    const attempt = (): Entry => board.addScore(1, 2);
    expect(attempt).toThrow(ScoreboardError);
    expect(attempt).toThrow(expect.objectContaining({ code: ErrorCode.SCORE_OUT_OF_RANGE }));
    expect(board.get(1)).toEqual({ user: 1, total: MAX_TOTAL - 1, rank: 1 });
    expect(() => board.addScore(2, -MAX_TOTAL - 1)).toThrow(ScoreboardError);
    expect(board.size).toBe(1);
  });

  it('resets to empty', () => {
    const board = originalBoard();
    expect(board.reset()).toBe(10);
    expect(board.size).toBe(0);
    expect(board.get(1)).toBeUndefined();
    board.setTotal(1, 5);
    expect(board.top(5)).toEqual([{ user: 1, total: 5 }]);
    board.checkValid();
  });
});

describe('Leaderboard — fuzzed against a naive model', () => {
  for (const seed of [11, 2024]) {
    it(`agrees with a sorted array over thousands of operations (seed ${seed})`, () => {
      const random = seededRandom(seed);
      const board = new Leaderboard({ random });
      // Model: user -> {total, seq}; ranking computed by sorting.
      const model = new Map<number | string, { total: number; seq: number }>();
      let seq = 0;
      const ranked = (): Entry[] =>
        [...model.entries()]
          .sort((a, b) => b[1].total - a[1].total || a[1].seq - b[1].seq)
          .map(([user, v]) => ({ user, total: v.total }));
      for (let op = 0; op < 5000; op++) {
        const user = random() < 0.5 ? randomInt(random, 0, 300) : `u${randomInt(random, 0, 300)}`;
        const r = random();
        if (r < 0.4) {
          const total = randomInt(random, -30, 30);
          const prev = model.get(user);
          if (!prev || prev.total !== total) model.set(user, { total, seq: ++seq });
          expect(board.setTotal(user, total)).toEqual({ user, total });
        } else if (r < 0.8) {
          const delta = randomInt(random, -10, 10);
          const prev = model.get(user);
          const total = (prev?.total ?? 0) + delta;
          if (!prev || prev.total !== total) model.set(user, { total, seq: ++seq });
          expect(board.addScore(user, delta)).toEqual({ user, total });
        } else if (r < 0.9) {
          const all = ranked();
          const i = all.findIndex((e) => e.user === user);
          expect(board.get(user)).toEqual(i < 0 ? undefined : { ...all[i], rank: i + 1 });
        } else {
          const all = ranked();
          const p = randomInt(random, 1, all.length + 3);
          const s = randomInt(random, 0, 6);
          const from = Math.max(1, p - s);
          const to = Math.min(all.length, p + s);
          expect(board.around(p, s)).toEqual(to < from ? [] : all.slice(from - 1, to));
          const n = randomInt(random, 0, 20);
          expect(board.top(n)).toEqual(all.slice(0, n));
        }
        if (op % 500 === 499) board.checkValid();
      }
      expect(board.top(model.size)).toEqual(ranked());
    });
  }
});

describe('Leaderboard — watching the top for cached pages', () => {
  for (const seed of [5, 77]) {
    it(`never leaves a watched page stale, and ignores writes below it (seed ${seed})`, () => {
      const random = seededRandom(seed);
      const board = new Leaderboard({ random });
      for (let u = 0; u < 200; u++) board.setTotal(u, randomInt(random, 0, 1000));
      // Pages rendered while watching, with the version they were rendered at.
      let cached = new Map<number, Entry[]>();
      let version = board.topVersion;
      let kept = 0;
      let dropped = 0;
      for (let op = 0; op < 4000; op++) {
        if (board.topVersion !== version) {
          cached = new Map();
          version = board.topVersion;
          dropped++;
        }
        const n = randomInt(random, 0, 12);
        const page = cached.get(n);
        if (page) {
          expect(page).toEqual(board.top(n)); // the cached page is still the truth
          kept++;
        } else {
          cached.set(n, board.top(n));
          board.watchTop(n);
        }
        const user = randomInt(random, 0, 260);
        const r = random();
        if (r < 0.45) board.setTotal(user, randomInt(random, 0, 1000));
        else if (r < 0.9) board.addScore(user, randomInt(random, -20, 20));
        else if (r < 0.9005) board.reset();
      }
      // Most writes land below a top-12 page of ~200 users: pages must mostly survive them.
      expect(kept).toBeGreaterThan(dropped * 3);
    });
  }

  it('changes the version for a write inside the page, a move into it, a move out and a reset only', () => {
    const board = new Leaderboard({ random: seededRandom(8) });
    for (let u = 1; u <= 10; u++) board.setTotal(u, u * 10); // user 10 first … user 1 last
    board.watchTop(3); // users 10, 9, 8
    const v = board.topVersion;
    board.setTotal(2, 25); // stays below
    board.setTotal('new', 5); // joins below
    expect(board.topVersion).toBe(v);
    board.setTotal(3, 95); // moves in
    expect(board.topVersion).toBe(v + 1);
    board.setTotal(1, 1); // no watch now: nothing to report
    expect(board.topVersion).toBe(v + 1);
    board.watchTop(3); // users 10, 3, 9
    board.setTotal(9, 0); // moves out
    expect(board.topVersion).toBe(v + 2);
    board.watchTop(2); // users 10, 3
    board.addScore(10, 1); // changes inside
    expect(board.topVersion).toBe(v + 3);
    board.watchTop(20); // the whole board
    board.setTotal('late', -5); // joins last: inside a page longer than the board
    expect(board.topVersion).toBe(v + 4);
    board.watchTop(1);
    board.reset();
    expect(board.topVersion).toBe(v + 5);
  });
});
