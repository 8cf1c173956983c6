import { ErrorCode, MAX_TOTAL, ScoreboardError, type Entry } from '@scoreboard/protocol';
import { describe, expect, it } from 'vitest';
import { Leaderboard } from './leaderboard.js';
import { randomInt, seededRandom } from '../test-support/seeded-random.js';

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
          expect(board.setTotal(user, total)).toEqual({ user, total, seq: model.get(user)!.seq });
        } else if (r < 0.8) {
          const delta = randomInt(random, -10, 10);
          const prev = model.get(user);
          const total = (prev?.total ?? 0) + delta;
          if (!prev || prev.total !== total) model.set(user, { total, seq: ++seq });
          expect(board.addScore(user, delta)).toEqual({ user, total, seq: model.get(user)!.seq });
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
