import type { Entry, UserId } from '@scoreboard/protocol';
import { describe, expect, it } from 'vitest';
import { Leaderboards } from '../board/leaderboards.js';
import { randomInt, seededRandom } from '@scoreboard/random';
import { TopPages } from './top-pages.js';
import { submit } from '../board/direct-writes.js';

/** The default board with the first version's write and read calls, for these tests. */
function boardFor(random: () => number) {
  const data = new Leaderboards({ maxBoards: 10, maxPlayers: 10_000, random });
  const board = data.defaultBoard;
  const slot = (u: UserId) => data.players.acquire(u);
  return {
    data,
    board,
    setTotal: (u: UserId, total: number) => submit(data, board, slot(u), { total }),
    addScore: (u: UserId, delta: number) => submit(data, board, slot(u), { delta }),
    reset: () => board.reset(),
    top: (n: number): Entry[] => board.plain(1, n),
    sortKeyAt: (rank: number) => board.sortKeyAt(rank),
    setChangeHook: board.setChangeHook.bind(board),
  };
}

describe('TopPages — watching the top for cached pages', () => {
  for (const seed of [5, 77]) {
    it(`never leaves a watched page stale, and ignores writes below it (seed ${seed})`, () => {
      const random = seededRandom(seed);
      const board = boardFor(random);
      const pages = new TopPages(board);
      for (let u = 0; u < 200; u++) board.setTotal(u, randomInt(random, 0, 1000));
      // Pages rendered while watching, with the version they were rendered at.
      let cached = new Map<number, Entry[]>();
      let version = pages.version;
      let kept = 0;
      let dropped = 0;
      for (let op = 0; op < 4000; op++) {
        if (pages.version !== version) {
          cached = new Map();
          version = pages.version;
          dropped++;
        }
        const n = randomInt(random, 0, 12);
        const page = cached.get(n);
        if (page) {
          expect(page).toEqual(board.top(n)); // the cached page is still the truth
          kept++;
        } else {
          cached.set(n, board.top(n));
          pages.watchTop(n);
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
    const board = boardFor(seededRandom(8));
    const pages = new TopPages(board);
    for (let u = 1; u <= 10; u++) board.setTotal(u, u * 10); // user 10 first … user 1 last
    pages.watchTop(3); // users 10, 9, 8
    const v = pages.version;
    board.setTotal(2, 25); // stays below
    board.setTotal('new', 5); // joins below
    expect(pages.version).toBe(v);
    board.setTotal(3, 95); // moves in
    expect(pages.version).toBe(v + 1);
    board.setTotal(1, 1); // no watch now: nothing to report
    expect(pages.version).toBe(v + 1);
    pages.watchTop(3); // users 10, 3, 9
    board.setTotal(9, 0); // moves out
    expect(pages.version).toBe(v + 2);
    pages.watchTop(2); // users 10, 3
    board.addScore(10, 1); // changes inside
    expect(pages.version).toBe(v + 3);
    pages.watchTop(20); // the whole board
    board.setTotal('late', -5); // joins last: inside a page longer than the board
    expect(pages.version).toBe(v + 4);
    pages.watchTop(1);
    board.reset();
    expect(pages.version).toBe(v + 5);
  });
});

describe('TopPages — the cache', () => {
  it('answers the same bytes until a write touches the page, and renders again after', () => {
    const board = boardFor(seededRandom(12));
    const pages = new TopPages(board);
    const page = (n: number) => pages.page(`p${n}`, n, () => board.top(n));
    for (let u = 1; u <= 20; u++) board.setTotal(u, u);
    const first = page(5);
    expect(JSON.parse(first.toString())).toEqual(board.top(5));
    board.setTotal(1, 0); // far below the page
    expect(page(5)).toBe(first);
    board.setTotal(2, 100); // into the page
    const second = page(5);
    expect(second).not.toBe(first);
    expect(JSON.parse(second.toString())).toEqual(board.top(5));
  });

  it('renders a page again when a player on it is shown differently, not when one below is', () => {
    const board = boardFor(seededRandom(14));
    const pages = new TopPages(board);
    for (let u = 1; u <= 20; u++) board.setTotal(u, u); // user 20 first
    const render = () => board.board.top(3, 'dense');
    const first = pages.page('dense:3', 3, render);
    board.data.writeProfile(1, { name: 'Last' }); // rank 20: below the page
    expect(pages.page('dense:3', 3, render)).toBe(first);
    board.data.writeProfile(19, { name: 'Second' }); // rank 2: on the page
    const second = pages.page('dense:3', 3, render);
    expect(second).not.toBe(first);
    expect(JSON.parse(second.toString())[1]).toMatchObject({ user: 19, name: 'Second', rank: 2 });
  });

  it('keeps at most `keep` pages', () => {
    const board = boardFor(seededRandom(13));
    const pages = new TopPages(board, 2);
    const page = (n: number) => pages.page(`p${n}`, n, () => board.top(n));
    for (let u = 1; u <= 20; u++) board.setTotal(u, u);
    const one = page(1);
    page(2);
    expect(page(1)).toBe(one);
    page(3); // a third page: the cache starts over
    expect(page(1)).not.toBe(one);
    expect(JSON.parse(page(1).toString())).toEqual(board.top(1));
  });
});
