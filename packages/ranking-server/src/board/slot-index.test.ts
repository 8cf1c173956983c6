import { describe, expect, it } from 'vitest';
import { randomInt, seededRandom } from '@scoreboard/random';
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

  it('goes dense at once on a hint of a big board, and stays a Map on a small one', () => {
    // A Map walks in insertion order, the array in slot order.
    const big = new SlotIndex(() => 2000);
    big.reserve(1000);
    const small = new SlotIndex(() => 2000);
    small.reserve(100);
    for (const index of [big, small]) {
      index.set(5, 50);
      index.set(3, 30);
    }
    expect([...big.entries()]).toEqual([
      [3, 30],
      [5, 50],
    ]);
    expect([...small.entries()]).toEqual([
      [5, 50],
      [3, 30],
    ]);
    expect(big.get(3)).toBe(30);
    expect(big.size).toBe(2);
  });
});
