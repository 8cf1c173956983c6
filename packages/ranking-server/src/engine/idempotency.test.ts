import { describe, expect, it } from 'vitest';
import { IdempotencyStore, fingerprintOf } from './idempotency.js';

const ref = (key: string, answer = `{"user":"u","total":1}`) => ({ key, fingerprint: `fp-${key}`, answer });

describe('IdempotencyStore', () => {
  it('remembers a key with its fingerprint and answer', () => {
    const keys = new IdempotencyStore();
    keys.remember(ref('a'), 1000);
    expect(keys.get('a', 1000)).toEqual({ fingerprint: 'fp-a', answer: '{"user":"u","total":1}', at: 1000 });
    expect(keys.get('b', 1000)).toBeUndefined();
  });

  it('evicts the oldest keys past the count bound', () => {
    const keys = new IdempotencyStore(3, 1e12);
    for (let i = 0; i < 5; i++) keys.remember(ref(`k${i}`), 1000 + i);
    expect(keys.size).toBe(3);
    expect(keys.get('k0', 2000)).toBeUndefined();
    expect(keys.get('k1', 2000)).toBeUndefined();
    expect([...keys.entries()].map(([k]) => k)).toEqual(['k2', 'k3', 'k4']);
  });

  it('counts a remembered-again key as new, so it outlives older ones', () => {
    const keys = new IdempotencyStore(2, 1e12);
    keys.remember(ref('a'), 1);
    keys.remember(ref('b'), 2);
    keys.remember(ref('a'), 3);
    keys.remember(ref('c'), 4);
    expect([...keys.entries()].map(([k]) => k)).toEqual(['a', 'c']);
  });

  it('answers nothing for a key older than the age bound, and drops such keys on the next write', () => {
    const keys = new IdempotencyStore(100, 1000);
    keys.remember(ref('old'), 0);
    keys.remember(ref('mid'), 600);
    expect(keys.get('old', 1000)).toBeDefined(); // exactly at the bound: still known
    expect(keys.get('old', 1001)).toBeUndefined();
    expect(keys.size).toBe(2);
    keys.remember(ref('new'), 1500);
    expect([...keys.entries()].map(([k]) => k)).toEqual(['mid', 'new']);
  });

  it('evicts the oldest past the byte bound, and keeps its byte count exact', () => {
    const keys = new IdempotencyStore(100, 1e12, 200);
    const big = 'x'.repeat(80);
    keys.remember(ref('a', big), 1);
    keys.remember(ref('b', big), 2);
    expect(keys.size).toBe(2);
    keys.remember(ref('c', big), 3);
    expect([...keys.entries()].map(([k]) => k)).toEqual(['b', 'c']);
    expect(keys.bytes).toBe(2 * (1 + 4 + 80));
    keys.remember(ref('c', 'y'), 4); // replaced: its old bytes no longer count
    expect(keys.bytes).toBe(1 + 4 + 80 + (1 + 4 + 1));
  });

  it('forgets every key whose answer shows an erased user, and only those', () => {
    const keys = new IdempotencyStore();
    keys.remember(ref('one', '{"user":1,"total":5,"rank":1}'), 1);
    keys.remember(ref('twelve', '{"user":12,"total":5,"rank":1}'), 1);
    keys.remember(
      ref('batch', '{"results":[{"user":"x","total":1,"rank":1},{"user":1,"total":2,"rank":1}]}'),
      1,
    );
    keys.remember(ref('named', '{"user":"1","total":5}'), 1);
    keys.remember(
      {
        key: 'asked',
        fingerprint: 'player.batch:{"players":[{"user":1,"name":"x"}]}',
        answer: '{"created":1,"updated":0}',
      },
      1,
    );
    keys.forgetUser(1);
    expect([...keys.entries()].map(([k]) => k)).toEqual(['twelve', 'named']);
  });
});

describe('fingerprintOf', () => {
  it('is the command and its arguments, hashed when the arguments are long', () => {
    expect(fingerprintOf('add', { user: 'p', delta: 5 })).toBe('add:{"user":"p","delta":5}');
    const long = { scores: Array.from({ length: 50 }, (_, i) => ({ user: i, total: i })) };
    const fp = fingerprintOf('score.batch', long);
    expect(fp).toMatch(/^score\.batch:sha256:[A-Za-z0-9_-]{43}$/);
    expect(fingerprintOf('score.batch', structuredClone(long))).toBe(fp);
    expect(fingerprintOf('score.batch', { ...long, scores: long.scores.slice(1) })).not.toBe(fp);
  });
});
