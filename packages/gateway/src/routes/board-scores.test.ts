import { ErrorCode, MAX_TOTAL } from '@scoreboard/protocol';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { modelApp } from '../test-support/model-app.js';

let t = modelApp();
beforeEach(async () => {
  await t.send('PUT', '/boards/b', {});
  await t.send('PUT', '/boards/best', { operator: 'best', min: 0, max: 1000 });
});
afterEach(async () => {
  await t.app.close();
  t = modelApp();
});

describe('PUT /boards/:board/scores', () => {
  it('answers the total kept and the rank after the write', async () => {
    expect(await t.send('PUT', '/boards/b/scores', { user: 'a', total: 5 })).toMatchObject({
      status: 200,
      body: { user: 'a', total: 5, rank: 1 },
    });
    expect((await t.send('PUT', '/boards/b/scores', { user: '42', score: '+7' })).body).toEqual({
      user: 42,
      total: 7,
      rank: 1,
    });
    expect((await t.send('PUT', '/boards/best/scores', { user: 'a', total: 50 })).body).toEqual({
      user: 'a',
      total: 50,
      rank: 1,
    });
    expect((await t.send('PUT', '/boards/best/scores', { user: 'a', total: 40 })).body).toEqual({
      user: 'a',
      total: 50,
      rank: 1,
    });
  });

  it('takes an Idempotency-Key', async () => {
    const key = { 'idempotency-key': 'k1' };
    const first = await t.send('PUT', '/boards/b/scores', { user: 'a', score: '+5' }, key);
    const again = await t.send('PUT', '/boards/b/scores', { user: 'a', score: '+5' }, key);
    expect(again.body).toEqual(first.body);
    expect(await t.send('PUT', '/boards/b/scores', { user: 'a', score: '+6' }, key)).toMatchObject({
      status: 422,
      body: { error: { code: ErrorCode.IDEMPOTENCY_KEY_REUSED } },
    });
  });

  const bad: Array<[string, string, unknown, number, string]> = [
    ['an unknown board', '/boards/nope/scores', { user: 1, total: 1 }, 404, ErrorCode.BOARD_NOT_FOUND],
    ['a bad board id', '/boards/n%20o/scores', { user: 1, total: 1 }, 400, ErrorCode.HTTP_VALIDATION],
    [
      'a relative score on a best board',
      '/boards/best/scores',
      { user: 1, score: '+1' },
      422,
      ErrorCode.SCORE_RELATIVE_NOT_ALLOWED,
    ],
    ['a total above max', '/boards/best/scores', { user: 1, total: 1001 }, 422, ErrorCode.SCORE_OUT_OF_RANGE],
    ['a total below min', '/boards/best/scores', { user: 1, total: -1 }, 422, ErrorCode.SCORE_OUT_OF_RANGE],
    [
      'both total and score',
      '/boards/b/scores',
      { user: 1, total: 1, score: '+1' },
      400,
      ErrorCode.HTTP_VALIDATION,
    ],
    [
      'an extra field',
      '/boards/b/scores',
      { user: 1, total: 1, country: 'DE' },
      400,
      ErrorCode.HTTP_VALIDATION,
    ],
    ['a bad user', '/boards/b/scores', { user: 'a b', total: 1 }, 400, ErrorCode.HTTP_VALIDATION],
    ['an unsigned score', '/boards/b/scores', { user: 1, score: '10' }, 400, ErrorCode.HTTP_VALIDATION],
    [
      'a score past 2^53',
      '/boards/b/scores',
      { user: 1, score: '+9999999999999999' },
      400,
      ErrorCode.HTTP_VALIDATION,
    ],
    [
      'metadata over 1 KiB',
      '/boards/b/scores',
      { user: 1, total: 1, metadata: { replay: 'x'.repeat(1100) } },
      400,
      ErrorCode.METADATA_TOO_LARGE,
    ],
    [
      'metadata that is not an object',
      '/boards/b/scores',
      { user: 1, total: 1, metadata: 'r-1' },
      400,
      ErrorCode.HTTP_VALIDATION,
    ],
    [
      'null metadata',
      '/boards/b/scores',
      { user: 1, total: 1, metadata: null },
      400,
      ErrorCode.HTTP_VALIDATION,
    ],
    [
      'a body over 4 KiB',
      '/boards/b/scores',
      { user: 1, total: 1, pad: 'x'.repeat(5000) },
      413,
      ErrorCode.HTTP_BODY_TOO_LARGE,
    ],
  ];
  it.each(bad)('refuses %s with %i %s, changing nothing', async (_what, url, body, status, code) => {
    await t.send('PUT', '/boards/b/scores', { user: 'seed', total: MAX_TOTAL });
    const before = t.digest();
    expect(await t.send('PUT', url, body)).toMatchObject({ status, body: { error: { code } } });
    expect(t.digest()).toBe(before);
  });
});

describe('POST /boards/:board/scores', () => {
  it('applies 1–1 000 writes in order and answers each result', async () => {
    const res = await t.send('POST', '/boards/b/scores', {
      scores: [
        { user: 'x', total: 5 },
        { user: 'y', score: '+9' },
        { user: 'x', score: 10 },
      ],
    });
    expect(res).toMatchObject({
      status: 200,
      body: {
        results: [
          { user: 'x', total: 5, rank: 1 },
          { user: 'y', total: 9, rank: 1 },
          { user: 'x', total: 15, rank: 1 },
        ],
      },
    });
    const full = Array.from({ length: 1000 }, (_, i) => ({ user: `player-${i}`, total: i }));
    const big = await t.send('POST', '/boards/b/scores', { scores: full });
    expect(big.status).toBe(200);
    expect(big.body.results).toHaveLength(1000);
    expect((await t.send('GET', '/boards/b')).body.count).toBe(1002);
  });

  const bad: Array<[string, unknown, number, string, RegExp?]> = [
    ['an empty batch', { scores: [] }, 400, ErrorCode.HTTP_VALIDATION],
    [
      '1 001 writes',
      { scores: Array.from({ length: 1001 }, (_, i) => ({ user: i, total: 1 })) },
      400,
      ErrorCode.HTTP_VALIDATION,
    ],
    [
      'a bad item',
      {
        scores: [
          { user: 1, total: 1 },
          { user: 'a b', total: 1 },
        ],
      },
      400,
      ErrorCode.HTTP_VALIDATION,
      /scores\[1\]/,
    ],
    [
      'a bad relative score',
      {
        scores: [
          { user: 1, total: 1 },
          { user: 2, total: 2 },
          { user: 3, score: '+x' },
        ],
      },
      400,
      ErrorCode.HTTP_VALIDATION,
      /scores\[2\]/,
    ],
    ['an extra field', { scores: [{ user: 1, total: 1 }], extra: true }, 400, ErrorCode.HTTP_VALIDATION],
    ['not a list', { scores: { user: 1, total: 1 } }, 400, ErrorCode.HTTP_VALIDATION],
  ];
  it.each(bad)('refuses %s with %i %s, applying nothing', async (_what, body, status, code, message) => {
    const before = t.digest();
    const res = await t.send('POST', '/boards/b/scores', body);
    expect(res).toMatchObject({ status, body: { error: { code } } });
    if (message) expect(res.body.error.message).toMatch(message);
    expect(t.digest()).toBe(before);
  });

  it('refuses a batch whose later item breaks the board’s rules, naming it, applying nothing', async () => {
    const before = t.digest();
    const res = await t.send('POST', '/boards/best/scores', {
      scores: [
        { user: 1, total: 10 },
        { user: 2, total: 2000 },
      ],
    });
    expect(res).toMatchObject({ status: 422, body: { error: { code: ErrorCode.SCORE_OUT_OF_RANGE } } });
    expect(t.digest()).toBe(before);
  });
});
