import { describe, expect, it } from 'vitest';
import type { UserId } from '@scoreboard/protocol';
import { IdIndex } from './id-index.js';
import { randomInt, seededRandom } from '@scoreboard/random';

describe('IdIndex', () => {
  for (const seed of [3, 31, 314]) {
    it(`answers like a Map over mixed ids, growing over ids the Map held (seed ${seed})`, () => {
      const random = seededRandom(seed);
      const index = new IdIndex();
      const model = new Map<UserId, number>();
      const anId = (): UserId => {
        const r = random();
        if (r < 0.4) return randomInt(random, 0, 3000); // dense from the start
        if (r < 0.6) return randomInt(random, 60_000, 400_000); // dense once enough ids are held
        if (r < 0.7) return randomInt(random, 0, 2 ** 40); // sparse
        if (r < 0.75) return -randomInt(random, 1, 50);
        if (r < 0.8) return randomInt(random, 0, 100) + 0.5;
        return `u${randomInt(random, 0, 3000)}`;
      };
      for (let op = 0; op < 40_000; op++) {
        const user = anId();
        if (random() < 0.7) {
          const slot = randomInt(random, 0, 1 << 20);
          index.set(user, slot);
          model.set(user, slot);
        } else {
          expect(index.delete(user)).toBe(model.delete(user));
        }
        expect(index.get(user)).toBe(model.get(user));
        if (op % 5000 === 4999) {
          expect(index.size).toBe(model.size);
          expect(new Map(index.entries())).toEqual(model);
          for (let k = 0; k < 200; k++) {
            const probe = anId();
            expect(index.get(probe)).toBe(model.get(probe));
          }
        }
      }
      expect(index.byteSize()).toBeLessThanOrEqual(4 * (4 * 40_000 + (1 << 16)) * 2);
    });
  }

  it('keeps a sparse integer id in the Map until enough ids are held, then moves it', () => {
    const index = new IdIndex();
    index.set(1_000_000, 7);
    expect(index.byteSize()).toBe(0);
    for (let id = 0; id < 300_000; id++) index.set(id, id);
    expect(index.byteSize()).toBeLessThan(4 * 1_000_000); // not grown over it yet
    expect(index.get(1_000_000)).toBe(7);
    index.set(900_000, 1); // within four times the ids held: the array grows over both
    expect(index.byteSize()).toBeGreaterThan(4 * 1_000_000);
    expect(index.get(1_000_000)).toBe(7);
    expect(index.size).toBe(300_002);
    expect(new Map(index.entries()).get(1_000_000)).toBe(7);
    expect(index.delete(1_000_000)).toBe(true);
    expect(index.get(1_000_000)).toBeUndefined();
  });
});
