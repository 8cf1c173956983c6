import { describe, expect, it } from 'vitest';
import { TokenBuckets } from './token-buckets.js';

describe('token buckets', () => {
  it('allow a burst, then refill at the rate, and say how long to wait', () => {
    const b = new TokenBuckets();
    const t0 = 1_000_000;
    expect([0, 1, 2].map(() => b.take('a', 2, 3, t0))).toEqual([0, 0, 0]);
    expect(b.take('a', 2, 3, t0)).toBe(1); // empty: half a second to a token, rounded up
    expect(b.take('b', 2, 3, t0)).toBe(0); // another id has its own bucket
    expect(b.take('a', 2, 3, t0 + 500)).toBe(0); // one token back after 500 ms
    expect(b.take('a', 2, 3, t0 + 500)).toBe(1);
    expect(b.take('a', 0.1, 3, t0 + 500)).toBe(10); // at 0.1/s a token is 10 s away
    // Never more than the burst, however long the wait.
    expect([0, 1, 2, 3].map(() => b.take('a', 2, 3, t0 + 3_600_000))).toEqual([0, 0, 0, 1]);
  });

  it('keep at most maxIds ids, dropping the one used longest ago', () => {
    const b = new TokenBuckets(3);
    for (const id of ['a', 'b', 'c']) b.take(id, 1, 1, 0);
    b.take('a', 1, 1, 0); // a is used again: b is now the oldest
    b.take('d', 1, 1, 0);
    expect(b.size).toBe(3);
    expect(b.take('a', 1, 1, 0)).toBe(1); // still known, still empty
    expect(b.take('b', 1, 1, 0)).toBe(0); // forgotten: a fresh, full bucket
  });
});
