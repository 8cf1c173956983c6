import { describe, expect, it } from 'vitest';
import { pick, randomInt, seededRandom } from './index.js';

describe('seededRandom', () => {
  it('replays a seed exactly, differs between seeds, and stays in [0, 1)', () => {
    const a = seededRandom(42);
    const b = seededRandom(42);
    const c = seededRandom(43);
    const xs = Array.from({ length: 1000 }, () => a());
    expect(Array.from({ length: 1000 }, () => b())).toEqual(xs);
    expect(Array.from({ length: 1000 }, () => c())).not.toEqual(xs);
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
    // Roughly uniform: each tenth of [0, 1) gets its share.
    const tenths = new Array<number>(10).fill(0);
    for (const x of xs) tenths[Math.floor(x * 10)]!++;
    expect(Math.min(...tenths)).toBeGreaterThan(60);
  });

  it('draws integers within bounds, both ends reached, and picks every item', () => {
    const r = seededRandom(7);
    const ints = Array.from({ length: 2000 }, () => randomInt(r, -2, 3));
    expect(new Set(ints)).toEqual(new Set([-2, -1, 0, 1, 2, 3]));
    const picked = new Set(Array.from({ length: 200 }, () => pick(r, ['a', 'b', 'c'])));
    expect(picked).toEqual(new Set(['a', 'b', 'c']));
  });
});
