import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { commandTable, type CommandName } from './commands/index.js';
import { shardOf, shardRoute } from './shards.js';

const boardIds = fc.stringMatching(/^[a-z0-9][a-z0-9_-]{0,63}$/);

describe('shardOf', () => {
  it('is 0 for one shard and always within range', () => {
    fc.assert(
      fc.property(boardIds, fc.integer({ min: 1, max: 64 }), (id, n) => {
        const s = shardOf(id, n);
        expect(s).toBeGreaterThanOrEqual(0);
        expect(s).toBeLessThan(n);
        if (n === 1) expect(s).toBe(0);
        expect(shardOf(id, n)).toBe(s);
      }),
    );
  });

  it('moves a board only to the shard that was added (and back when it is removed)', () => {
    fc.assert(
      fc.property(boardIds, fc.integer({ min: 1, max: 63 }), (id, n) => {
        const before = shardOf(id, n);
        const after = shardOf(id, n + 1);
        expect(after === before || after === n).toBe(true);
      }),
    );
  });

  it('spreads boards evenly and moves about 1/(n+1) of them when a shard is added', () => {
    const ids = Array.from({ length: 30_000 }, (_, i) => `board-${i}`);
    for (const n of [2, 3, 5]) {
      const counts = new Array<number>(n).fill(0);
      for (const id of ids) counts[shardOf(id, n)]!++;
      for (const c of counts) expect(Math.abs(c - ids.length / n)).toBeLessThan(0.05 * (ids.length / n));
      const moved = ids.filter((id) => shardOf(id, n) !== shardOf(id, n + 1)).length;
      expect(Math.abs(moved / ids.length - 1 / (n + 1))).toBeLessThan(0.02);
    }
  });

  it('keeps known placements (the hash is part of the wire contract)', () => {
    expect(['default', 'runner', 'weekly', 'season-7'].map((b) => shardOf(b, 3))).toMatchInlineSnapshot(`
      [
        0,
        0,
        1,
        0,
      ]
    `);
  });
});

describe('shardRoute', () => {
  it('sends every command somewhere: by board, to every shard, or to the first', () => {
    const routes = Object.fromEntries(
      Object.keys(commandTable).map((c) => [c, shardRoute(c as CommandName, { board: 'b' }).to]),
    );
    expect(routes['score.put']).toBe('board');
    expect(routes['board.list']).toBe('every');
    expect(routes['player.delete']).toBe('every');
    expect(routes['key.sync']).toBe('first');
    // Every command routed by board has a board argument, or acts on the default board.
    for (const [name, spec] of Object.entries(commandTable)) {
      if (routes[name] !== 'board') continue;
      const props = Object.keys((spec.args as { properties?: object }).properties ?? {});
      if (!props.includes('board'))
        expect(shardRoute(name as CommandName, {})).toEqual({ to: 'board', board: 'default' });
    }
  });
});
