import { describe, expect, it } from 'vitest';
import { IdempotencyStore } from './idempotency.js';

const ref = (key: string) => ({ key, fingerprint: `fp-${key}` });
const result = (total: number) => ({ user: 'u', total });

describe('IdempotencyStore', () => {
  it('remembers a key with its fingerprint and result', () => {
    const keys = new IdempotencyStore();
    keys.remember(ref('a'), result(1), 1000);
    expect(keys.get('a', 1000)).toEqual({ fingerprint: 'fp-a', result: result(1), at: 1000 });
    expect(keys.get('b', 1000)).toBeUndefined();
  });

  it('evicts the oldest keys past the count bound', () => {
    const keys = new IdempotencyStore(3, 1e12);
    for (let i = 0; i < 5; i++) keys.remember(ref(`k${i}`), result(i), 1000 + i);
    expect(keys.size).toBe(3);
    expect(keys.get('k0', 2000)).toBeUndefined();
    expect(keys.get('k1', 2000)).toBeUndefined();
    expect([...keys.entries()].map(([k]) => k)).toEqual(['k2', 'k3', 'k4']);
  });

  it('counts a remembered-again key as new, so it outlives older ones', () => {
    const keys = new IdempotencyStore(2, 1e12);
    keys.remember(ref('a'), result(1), 1);
    keys.remember(ref('b'), result(2), 2);
    keys.remember(ref('a'), result(3), 3);
    keys.remember(ref('c'), result(4), 4);
    expect([...keys.entries()].map(([k]) => k)).toEqual(['a', 'c']);
  });

  it('answers nothing for a key older than the age bound, and drops such keys on the next write', () => {
    const keys = new IdempotencyStore(100, 1000);
    keys.remember(ref('old'), result(1), 0);
    keys.remember(ref('mid'), result(2), 600);
    expect(keys.get('old', 1000)).toBeDefined(); // exactly at the bound: still known
    expect(keys.get('old', 1001)).toBeUndefined();
    expect(keys.size).toBe(2);
    keys.remember(ref('new'), result(3), 1500);
    expect([...keys.entries()].map(([k]) => k)).toEqual(['mid', 'new']);
  });
});
