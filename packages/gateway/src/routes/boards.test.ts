import { ErrorCode } from '@scoreboard/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { modelApp } from '../test-support/model-app.js';

let t = modelApp();
afterEach(async () => {
  await t.app.close();
  t = modelApp();
});

const view = { board: 'weekly', order: 'desc', operator: 'set', min: null, max: null, count: 0 };

describe('boards', () => {
  it('are created with 201, updated with 200, read, listed by id and deleted with 204', async () => {
    expect(await t.send('PUT', '/boards/weekly', {})).toMatchObject({ status: 201, body: view });
    expect(await t.send('PUT', '/boards/weekly', { max: 9, order: 'asc' })).toMatchObject({
      status: 200,
      body: { ...view, max: 9, order: 'asc' },
    });
    await t.send('PUT', '/boards/A.b_c-1', { operator: 'best' });
    expect((await t.send('GET', '/boards')).body.map((b: { board: string }) => b.board)).toEqual([
      'A.b_c-1',
      'default',
      'weekly',
    ]);
    expect(await t.send('GET', '/boards/weekly')).toMatchObject({ status: 200, body: { max: 9 } });
    const gone = await t.send('DELETE', '/boards/weekly');
    expect(gone.status).toBe(204);
    expect(gone.body).toBeUndefined();
    expect(await t.send('GET', '/boards/weekly')).toMatchObject({
      status: 404,
      body: { error: { code: ErrorCode.BOARD_NOT_FOUND } },
    });
  });

  it('take a PUT without a body as the defaults', async () => {
    const res = await t.app.inject({ method: 'PUT', url: '/boards/bare' });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toEqual({
      ...view,
      board: 'bare',
      reset: null,
      keep: 10,
      history: 0,
      start: null,
      end: null,
      hours: null,
      period: { id: 1, start: expect.stringMatching(/Z$/), end: null },
      open: true,
      nextChange: null,
      join: false,
      maxPlayers: null,
      maxAttempts: null,
      players: 0,
      bucket: null,
      tiers: null,
      promote: 0,
      relegate: 0,
      rewards: null,
      subscore: null,
    });
  });

  it('refuse reward bands that overlap, run backwards, lack a reward or are too large, changing nothing', async () => {
    expect(
      (await t.send('PUT', '/boards/prizes', { rewards: [{ ranks: [1, 3], reward: 'gold' }] })).status,
    ).toBe(201);
    const bad = [
      [
        { ranks: [1, 2], reward: 1 },
        { ranks: [2, 4], reward: 2 },
      ],
      [{ ranks: [3, 1], reward: 1 }],
      [{ ranks: [1, 1], reward: null }],
      [{ ranks: [1, 1] }],
      [{ ranks: [1, 1], reward: 'x'.repeat(1100) }], // one reward past 1 KiB, the body within 8 KiB
      [{ ranks: [0, 1], reward: 1 }],
      [{ ranks: [1], reward: 1 }],
    ];
    for (const rewards of bad) {
      const res = await t.send('PUT', '/boards/prizes', { rewards });
      expect(res.status, JSON.stringify(rewards)).toBe(400);
      expect(res.body.error.code).toMatch(/BOARD_INVALID_CONFIG|HTTP_VALIDATION/);
    }
    expect((await t.send('GET', '/boards/prizes')).body).toMatchObject({
      rewards: [{ ranks: [1, 3], reward: 'gold' }],
    });
  });

  it('take joins on a tournament board: 201 the first time, 200 after; refuse the unjoined, the full and the spent', async () => {
    expect((await t.send('PUT', '/boards/cup', { join: true, maxPlayers: 2, maxAttempts: 1 })).status).toBe(
      201,
    );
    expect(await t.send('PUT', '/boards/cup/scores', { user: 'ann', total: 5 })).toMatchObject({
      status: 403,
      body: { error: { code: ErrorCode.NOT_JOINED } },
    });
    const first = await t.send('POST', '/boards/cup/join', { user: 'ann' });
    expect(first).toMatchObject({
      status: 201,
      body: { board: 'cup', user: 'ann', period: 1, created: true, players: 1 },
    });
    expect(await t.send('POST', '/boards/cup/join', { user: 'ann' })).toMatchObject({
      status: 200,
      body: { created: false, players: 1 },
    });
    expect((await t.send('POST', '/boards/cup/join', { user: 'bob' })).status).toBe(201);
    const before = t.digest();
    expect(await t.send('POST', '/boards/cup/join', { user: 'cy' })).toMatchObject({
      status: 409,
      body: { error: { code: ErrorCode.BOARD_FULL } },
    });
    expect(t.digest()).toEqual(before);
    expect((await t.send('PUT', '/boards/cup/scores', { user: 'ann', total: 5 })).status).toBe(200);
    expect(await t.send('PUT', '/boards/cup/scores', { user: 'ann', total: 6 })).toMatchObject({
      status: 409,
      body: { error: { code: ErrorCode.ATTEMPTS_USED } },
    });
    expect(await t.send('GET', '/boards/cup/players/ann/attempts')).toMatchObject({
      status: 200,
      body: { board: 'cup', user: 'ann', period: 1, joined: true, attempts: 1, maxAttempts: 1, remaining: 0 },
    });
    // Bad input: a JSON 400 that changes nothing.
    for (const body of [{}, { user: 'a b' }, { user: 'ann', extra: 1 }]) {
      expect(await t.send('POST', '/boards/cup/join', body)).toMatchObject({
        status: 400,
        body: { error: { code: ErrorCode.HTTP_VALIDATION } },
      });
    }
    expect(await t.send('PUT', '/boards/plain', { maxPlayers: 3 })).toMatchObject({
      status: 400,
      body: { error: { code: ErrorCode.BOARD_INVALID_CONFIG } },
    });
    expect(await t.send('POST', '/boards/wk/join', { user: 'ann' })).toMatchObject({ status: 404 });
    // Joining is open before the event starts (registration); writes wait for the window.
    const start = new Date(Date.now() + 3_600_000).toISOString();
    expect((await t.send('PUT', '/boards/later', { join: true, start })).status).toBe(201);
    expect((await t.send('POST', '/boards/later/join', { user: 'ann' })).status).toBe(201);
    expect(await t.send('PUT', '/boards/later/scores', { user: 'ann', total: 1 })).toMatchObject({
      status: 403,
      body: { error: { code: ErrorCode.BOARD_CLOSED } },
    });
  });

  it('place players in buckets, read a bucket and a player’s bucket, and refuse bad bucket input', async () => {
    for (const bucket of [{ size: 1 }, { size: 10_001 }, { size: 'x' }, { count: 3 }, 5]) {
      expect(await t.send('PUT', '/boards/lg', { bucket })).toMatchObject({
        status: 400,
        body: { error: { code: ErrorCode.HTTP_VALIDATION } },
      });
    }
    expect(await t.send('GET', '/boards/default/buckets/1/top/3')).toMatchObject({
      status: 404,
      body: { error: { code: ErrorCode.BUCKET_NOT_FOUND } },
    });
    expect((await t.send('PUT', '/boards/lg', { bucket: { size: 2 } })).body).toMatchObject({
      bucket: { size: 2 },
    });
    for (const [user, total] of [
      ['a', 5],
      ['b', 9],
      ['c', 7],
    ] as const)
      expect((await t.send('PUT', '/boards/lg/scores', { user, total })).status).toBe(200);
    expect(await t.send('GET', '/boards/lg/buckets/a')).toMatchObject({
      status: 200,
      body: {
        bucket: 1,
        tier: null,
        rank: 2,
        entries: [
          { user: 'b', total: 9, rank: 1, bucket: 1 },
          { user: 'a', total: 5, rank: 2, bucket: 1 },
        ],
      },
    });
    expect((await t.send('GET', '/boards/lg/buckets/2/top/5')).body).toEqual([
      { user: 'c', total: 7, rank: 1, bucket: 2 },
    ]);
    expect((await t.send('GET', '/boards/lg/buckets/3/top/5')).status).toBe(404);
    expect((await t.send('GET', '/boards/lg/buckets/nobody')).body.error.code).toBe(ErrorCode.USER_NOT_FOUND);
    expect((await t.send('GET', '/boards/lg/buckets/1/top/10001')).status).toBe(400);
  });

  it('keep the default board, and refuse to change order or operator of a board with entries', async () => {
    expect(await t.send('DELETE', '/boards/default')).toMatchObject({
      status: 409,
      body: { error: { code: ErrorCode.BOARD_PROTECTED } },
    });
    await t.send('PUT', '/boards/b', {});
    await t.send('PUT', '/boards/b/scores', { user: 1, total: 5 });
    const before = t.digest();
    expect(await t.send('PUT', '/boards/b', { operator: 'best' })).toMatchObject({
      status: 409,
      body: { error: { code: ErrorCode.BOARD_CONFLICT } },
    });
    expect(await t.send('PUT', '/boards/b', { min: 3, max: 2 })).toMatchObject({
      status: 400,
      body: { error: { code: ErrorCode.BOARD_INVALID_CONFIG } },
    });
    expect(t.digest()).toBe(before);
  });

  const bad: Array<[string, string, unknown, number, string]> = [
    ['an id with a space', '/boards/a%20b', {}, 400, ErrorCode.HTTP_VALIDATION],
    ['an id of 65 characters', `/boards/${'x'.repeat(65)}`, {}, 400, ErrorCode.HTTP_VALIDATION],
    ['an id with a colon', '/boards/a:b', {}, 400, ErrorCode.HTTP_VALIDATION],
    ['an unknown field', '/boards/b', { color: 'red' }, 400, ErrorCode.HTTP_VALIDATION],
    ['an unknown order', '/boards/b', { order: 'up' }, 400, ErrorCode.HTTP_VALIDATION],
    ['an unknown operator', '/boards/b', { operator: 'sum' }, 400, ErrorCode.HTTP_VALIDATION],
    ['a float bound', '/boards/b', { min: 1.5 }, 400, ErrorCode.HTTP_VALIDATION],
    ['a string bound', '/boards/b', { max: '10' }, 400, ErrorCode.HTTP_VALIDATION],
    ['a bound past 2^53', '/boards/b', { max: 2 ** 53 }, 400, ErrorCode.HTTP_VALIDATION],
    ['an array body', '/boards/b', [], 400, ErrorCode.HTTP_VALIDATION],
    ['malformed JSON', '/boards/b', '{"order":', 400, ErrorCode.HTTP_BAD_JSON],
    [
      'a body over 8 KiB',
      '/boards/b',
      { order: 'desc', pad: 'x'.repeat(9000) },
      413,
      ErrorCode.HTTP_BODY_TOO_LARGE,
    ],
  ];
  it.each(bad)('refuse %s with %i %s, changing nothing', async (_what, url, body, status, code) => {
    const before = t.digest();
    const res = await t.send('PUT', url, body);
    expect(res).toMatchObject({ status, body: { error: { code } } });
    expect(t.digest()).toBe(before);
  });

  it('past MAX_BOARDS, answer 409 and create nothing', async () => {
    const { ReferenceModel } = await import('@scoreboard/model');
    Object.assign(t.ranking, { model: new ReferenceModel({ maxBoards: 2, maxPlayers: 10 }) });
    expect((await t.send('PUT', '/boards/one', {})).status).toBe(201);
    expect(await t.send('PUT', '/boards/two', {})).toMatchObject({
      status: 409,
      body: { error: { code: ErrorCode.BOARD_LIMIT_REACHED } },
    });
  });
});
