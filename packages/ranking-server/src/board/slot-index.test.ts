import { describe, expect, it } from 'vitest';
import { randomInt, seededRandom } from '../test-support/seeded-random.js';
import { SlotIndex } from './slot-index.js';

describe('SlotIndex', () => {
  it('agrees with a Map through the switch from sparse to dense', () => {
    const random = seededRandom(9);
    let capacity = 2000;
    const index = new SlotIndex(() => capacity);
    const model = new Map<number, number>();
    for (let op = 0; op < 20_000; op++) {
      const slot = randomInt(random, 0, capacity - 1);
      if (random() < 0.7) {
        const node = randomInt(random, 0, 1e6);
        index.set(slot, node);
        model.set(slot, node);
      } else {
        expect(index.delete(slot)).toBe(model.delete(slot));
      }
      if (op === 10_000) capacity = 5000; // the player table grew
      expect(index.get(slot)).toBe(model.get(slot));
      expect(index.size).toBe(model.size);
    }
    expect(new Map(index.entries())).toEqual(model);
    index.clear();
    expect(index.size).toBe(0);
    expect([...index.entries()]).toEqual([]);
  });
});
