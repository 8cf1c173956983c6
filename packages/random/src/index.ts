/**
 * One seeded generator (mulberry32: 32 bits of state, a full period of 2^32, fast) for everything
 * that must replay exactly — randomized tests, benchmarks, chaos runs, sample data. Not for
 * secrets: those come from node:crypto.
 */

/** O(1) per draw. Uniform numbers in [0, 1) from a 32-bit seed; same seed, same sequence. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** O(1). A uniform integer in [lo, hi] from `random`. */
export function randomInt(random: () => number, lo: number, hi: number): number {
  return lo + Math.floor(random() * (hi - lo + 1));
}

/** O(1). A uniform pick of one of `items` (which must not be empty). */
export function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)]!;
}
