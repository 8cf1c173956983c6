import { describe, expect, it } from 'vitest';
import { MAX_TOTAL, canonicalUserId, isIdempotencyKey, isValidTotal, parseRelativeScore } from './values.js';

describe('user ids', () => {
  it.each([
    [0, 0],
    [123, 123],
    [MAX_TOTAL, MAX_TOTAL],
    ['123', 123],
    ['0', 0],
    ['9007199254740991', MAX_TOTAL],
    ['0123', '0123'],
    ['9007199254740992', '9007199254740992'], // past 2^53-1: stays a string, never rounds
    ['12345678901234567', '12345678901234567'],
    ['ann@x.io', 'ann@x.io'],
    ['a.b_c:d-e', 'a.b_c:d-e'],
    ['x'.repeat(64), 'x'.repeat(64)],
  ])('canonicalises %j to %j', (raw, canonical) => {
    expect(canonicalUserId(raw)).toBe(canonical);
  });

  it.each([-1, 1.5, MAX_TOTAL + 1, NaN, Infinity, '', 'a b', 'x'.repeat(65), 'é', true, null, {}, []])(
    'refuses %j',
    (raw) => {
      expect(canonicalUserId(raw)).toBeUndefined();
    },
  );
});

describe('totals', () => {
  it('accepts integers within ±(2^53-1) only', () => {
    for (const ok of [0, -1, MAX_TOTAL, -MAX_TOTAL]) expect(isValidTotal(ok)).toBe(true);
    for (const bad of [MAX_TOTAL + 1, -MAX_TOTAL - 1, 1.5, NaN, '1', null])
      expect(isValidTotal(bad)).toBe(false);
  });
});

describe('relative scores', () => {
  it.each([
    ['+10', 10],
    ['-115', -115],
    ['+0', 0],
    ['-0', -0],
    [5, 5],
    [-7, -7],
    ['+9007199254740991', MAX_TOTAL],
  ])('parses %j as %j', (raw, delta) => {
    expect(parseRelativeScore(raw)).toBe(delta);
  });

  it.each([
    '10',
    '+',
    '-',
    '+1x',
    '+1xaY50',
    ' +1',
    '+1.5',
    1.5,
    '+9999999999999999',
    '+12345678901234567',
    null,
  ])('refuses %j', (raw) => {
    expect(parseRelativeScore(raw)).toBeUndefined();
  });
});

describe('idempotency keys', () => {
  it('are 1–128 visible ASCII characters', () => {
    for (const ok of ['a', 'order-42', '!~', 'k'.repeat(128)]) expect(isIdempotencyKey(ok)).toBe(true);
    for (const bad of ['', 'k'.repeat(129), 'has space', 'tab\t', 'é', 1, null]) {
      expect(isIdempotencyKey(bad)).toBe(false);
    }
  });
});
