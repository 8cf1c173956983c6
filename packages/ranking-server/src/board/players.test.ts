import { ErrorCode } from '@scoreboard/protocol';
import { describe, expect, it } from 'vitest';
import { randomInt, seededRandom } from '@scoreboard/random';
import { Leaderboards } from './leaderboards.js';
import { putBoard, submit } from './direct-writes.js';

const NOW = Date.UTC(2026, 10, 27, 12);

describe('players left by a board that empties at once', () => {
  it('are freed a budget at a time, count as gone at once, and come back to the same slot', () => {
    const data = new Leaderboards({ maxBoards: 10, maxPlayers: 5, random: seededRandom(1) });
    const board = putBoard(data, 'b', {}, NOW).board;
    const other = putBoard(data, 'o', {}, NOW).board;
    for (const user of ['a', 'b', 'c', 'd']) submit(data, board, data.players.acquire(user), { total: 1 });
    submit(data, other, data.players.slotOf('a')!, { total: 2 }); // `a` stays: it is on another board
    const slotOfC = data.players.slotOf('c')!;
    board.reset();
    data.checkValid();
    expect(data.players.count).toBe(1);
    expect(['a', 'b', 'c', 'd'].map((u) => data.players.slotOf(u) !== undefined)).toEqual([
      true,
      false,
      false,
      false,
    ]);
    // Room for four newcomers, though none of the three slots is freed yet.
    for (const user of ['e', 'f', 'g']) submit(data, board, data.players.acquire(user), { total: 1 });
    expect(data.players.acquire('c')).toBe(slotOfC); // back before being freed: its old slot
    submit(data, board, slotOfC, { total: 3 });
    expect(data.players.count).toBe(5);
    expect(() => data.players.acquire('b')).toThrow(
      expect.objectContaining({ code: ErrorCode.PLAYER_LIMIT_REACHED }),
    );
    data.checkValid();
    expect(data.players.drain(1)).toBe(2);
    expect(data.players.drain(10)).toBe(0);
    data.checkValid();
    expect(data.players.slotOf('c')).toBe(slotOfC);
    expect(data.players.count).toBe(5);
  });

  it('agree with a plain count over seeded random resets, writes, profiles and drains', () => {
    const random = seededRandom(7);
    const data = new Leaderboards({ maxBoards: 10, maxPlayers: 40, random });
    const boards = ['x', 'y'].map((id) => putBoard(data, id, {}, NOW).board);
    const users = Array.from({ length: 60 }, (_, i) => `u${i}`);
    for (let step = 0; step < 3000; step++) {
      const r = random();
      const user = users[randomInt(random, 0, users.length - 1)]!;
      const board = boards[randomInt(random, 0, 1)]!;
      try {
        if (r < 0.5) submit(data, board, data.players.acquire(user), { total: randomInt(random, 0, 9) });
        else if (r < 0.6) data.writeProfile(user, { name: 'N' });
        else if (r < 0.65) data.erase(user);
        else if (r < 0.7) board.reset();
        else if (r < 0.8) data.players.drain(randomInt(random, 0, 3));
        else {
          const slot = data.players.slotOf(user);
          if (slot !== undefined) board.remove(slot);
        }
      } catch (err) {
        expect((err as { code?: string }).code).toBe(ErrorCode.PLAYER_LIMIT_REACHED);
      }
      // A player is someone with a profile or an entry: count it the plain way.
      const held = users.filter((u) => {
        const slot = data.players.slotOf(u);
        return slot !== undefined && (data.players.hasProfile(slot) || boards.some((b) => b.has(slot)));
      });
      expect(data.players.count, `step ${step}`).toBe(held.length);
      expect(data.players.count).toBeLessThanOrEqual(40);
      if (step % 100 === 0) data.checkValid();
    }
  });
});

describe("a snapshot's walk of the profiles", () => {
  it('yields every profile as it was when the walk began, whatever changes, comes or goes meanwhile', () => {
    const data = new Leaderboards({ maxBoards: 10, maxPlayers: 100, random: seededRandom(1) });
    const write = (user: string, country: string | null) =>
      data.writeProfile(user, { name: user.toUpperCase(), country, metadata: null });
    for (const user of ['a', 'b', 'c', 'd']) write(user, 'FR');
    const walk = data.players.profiles();
    expect(walk.next().value).toEqual(['a', { name: 'A', country: 'FR', metadata: null }]);
    write('a', 'DE'); // walked already: nothing kept
    write('c', 'DE'); // not walked yet: the walk yields it as it was
    write('c', 'IT');
    data.erase('d'); // gone since: still yielded
    write('e', 'US'); // new since: not yielded
    const rest = [...walk];
    expect(rest).toEqual([
      ['b', { name: 'B', country: 'FR', metadata: null }],
      ['c', { name: 'C', country: 'FR', metadata: null }],
      ['d', { name: 'D', country: 'FR', metadata: null }],
    ]);
    // The next walk sees everything as it is now.
    expect([...data.players.profiles()].map(([u, p]) => [u, p.country])).toEqual([
      ['a', 'DE'],
      ['b', 'FR'],
      ['c', 'IT'],
      ['e', 'US'],
    ]);
  });
});

describe('a banned player', () => {
  it('keeps their slot while hidden, with nothing else held (no profile, one board), and shows again as they were', () => {
    const data = new Leaderboards({ maxBoards: 10, maxPlayers: 100, random: seededRandom(1) });
    const board = putBoard(data, 'b', {}, NOW).board;
    submit(data, board, data.players.acquire('x'), { total: 7 });
    submit(data, board, data.players.acquire('y'), { total: 9 });
    const slot = data.players.slotOf('x')!;
    expect(data.ban('x', 'cheating', NOW)).toEqual(['b']);
    data.players.drain(100);
    data.checkValid();
    expect(data.players.slotOf('x')).toBe(slot);
    expect(board.has(slot)).toBe(false);
    expect(board.top(10, 'ordinal').map((r) => [r.user, r.rank])).toEqual([['y', 1]]);
    expect(data.unban('x')).toEqual(['b']);
    data.checkValid();
    expect(board.top(10, 'ordinal').map((r) => [r.user, r.total, r.rank])).toEqual([
      ['y', 9, 1],
      ['x', 7, 2],
    ]);
  });
});
