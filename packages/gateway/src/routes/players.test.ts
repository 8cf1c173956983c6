import { ErrorCode } from '@scoreboard/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { modelApp } from '../test-support/model-app.js';

let t = modelApp();
afterEach(async () => {
  await t.app.close();
  t = modelApp();
});

describe('players', () => {
  it('are created with 201 and updated with 200; fields left out stay, null clears', async () => {
    expect(
      await t.send('PUT', '/players/ann', { name: ' Ann ', country: 'ie', metadata: { avatar: 3 } }),
    ).toMatchObject({
      status: 201,
      body: { user: 'ann', name: 'Ann', country: 'IE', metadata: { avatar: 3 } },
    });
    expect(await t.send('PUT', '/players/ann', { country: null })).toMatchObject({
      status: 200,
      body: { user: 'ann', name: 'Ann', country: null, metadata: { avatar: 3 } },
    });
    expect((await t.send('PUT', '/players/0123', { name: 'zero' })).body.user).toBe('0123');
    expect((await t.send('PUT', '/players/123', { name: 'num' })).body.user).toBe(123);
  });

  it('are written in batches, counting created and updated', async () => {
    await t.send('PUT', '/players/old', { name: 'Old' });
    const players = [
      { user: 'old', country: 'FR' },
      ...Array.from({ length: 999 }, (_, i) => ({ user: i, name: `P${i}`, metadata: { i } })),
    ];
    expect(await t.send('POST', '/players', { players })).toMatchObject({
      status: 200,
      body: { created: 999, updated: 1 },
    });
  });

  it('answer the profile with a placement on every board, and 404 with neither profile nor entry', async () => {
    await t.send('PUT', '/boards/b', {});
    await t.send('PUT', '/players/p', { country: 'JP' });
    await t.send('PUT', '/boards/b/scores', { user: 'p', total: 7 });
    await t.send('PUT', '/score', { user: 'p', total: 3 });
    await t.send('PUT', '/score', { user: 'q', total: 4 });
    expect((await t.send('GET', '/players/p')).body).toEqual({
      user: 'p',
      name: null,
      country: 'JP',
      metadata: null,
      boards: { b: { total: 7, rank: 1, countryRank: 1 }, default: { total: 3, rank: 2, countryRank: 1 } },
    });
    expect((await t.send('GET', '/players/q')).body).toMatchObject({
      name: null,
      boards: { default: { total: 4, rank: 1 } },
    });
    expect(await t.send('GET', '/players/nobody')).toMatchObject({
      status: 404,
      body: { error: { code: ErrorCode.PLAYER_NOT_FOUND } },
    });
  });

  it('are erased everywhere with 204, whether or not they existed', async () => {
    await t.send('PUT', '/boards/b', {});
    await t.send('PUT', '/players/gone', { name: 'G' });
    await t.send('PUT', '/boards/b/scores', { user: 'gone', total: 1 });
    await t.send('PUT', '/score', { user: 'gone', total: 1 });
    expect((await t.send('DELETE', '/players/gone')).status).toBe(204);
    expect((await t.send('GET', '/players/gone')).status).toBe(404);
    expect((await t.send('GET', '/boards/b')).body.count).toBe(0);
    expect((await t.send('GET', '/users/gone')).status).toBe(404);
    expect((await t.send('DELETE', '/players/gone')).status).toBe(204);
  });

  const bad: Array<[string, string, 'PUT' | 'POST', unknown, number, string]> = [
    ['an empty body', '/players/x', 'PUT', {}, 400, ErrorCode.HTTP_VALIDATION],
    ['an unknown field', '/players/x', 'PUT', { name: 'a', level: 3 }, 400, ErrorCode.HTTP_VALIDATION],
    ['a bad user id', '/players/a%20b', 'PUT', { name: 'a' }, 400, ErrorCode.HTTP_VALIDATION],
    [
      'a name that trims to nothing',
      '/players/x',
      'PUT',
      { name: '   ' },
      400,
      ErrorCode.PLAYER_INVALID_NAME,
    ],
    [
      'a name of 33 characters',
      '/players/x',
      'PUT',
      { name: 'n'.repeat(33) },
      400,
      ErrorCode.PLAYER_INVALID_NAME,
    ],
    [
      'a name with a control character',
      '/players/x',
      'PUT',
      { name: 'bell\u0007' },
      400,
      ErrorCode.PLAYER_INVALID_NAME,
    ],
    [
      'a name with a zero-width space',
      '/players/x',
      'PUT',
      { name: 'a\u200bb' },
      400,
      ErrorCode.PLAYER_INVALID_NAME,
    ],
    ['a number as name', '/players/x', 'PUT', { name: 5 }, 400, ErrorCode.HTTP_VALIDATION],
    ['an unknown country', '/players/x', 'PUT', { country: 'XX' }, 400, ErrorCode.PLAYER_UNKNOWN_COUNTRY],
    ['UK for GB', '/players/x', 'PUT', { country: 'UK' }, 400, ErrorCode.PLAYER_UNKNOWN_COUNTRY],
    ['a three-letter country', '/players/x', 'PUT', { country: 'IRL' }, 400, ErrorCode.HTTP_VALIDATION],
    [
      'metadata over 1 KiB',
      '/players/x',
      'PUT',
      { metadata: { pad: 'x'.repeat(1020) } },
      400,
      ErrorCode.PLAYER_INVALID_METADATA,
    ],
    ['an array as metadata', '/players/x', 'PUT', { metadata: [1] }, 400, ErrorCode.HTTP_VALIDATION],
    [
      'a body over 4 KiB',
      '/players/x',
      'PUT',
      { metadata: { pad: 'x'.repeat(5000) } },
      413,
      ErrorCode.HTTP_BODY_TOO_LARGE,
    ],
    ['an empty batch', '/players', 'POST', { players: [] }, 400, ErrorCode.HTTP_VALIDATION],
    [
      '1 001 profiles',
      '/players',
      'POST',
      { players: Array.from({ length: 1001 }, (_, i) => ({ user: i, name: 'n' })) },
      400,
      ErrorCode.HTTP_VALIDATION,
    ],
    [
      'a batch item with a bad country',
      '/players',
      'POST',
      {
        players: [
          { user: 1, name: 'a' },
          { user: 2, country: 'QQ' },
        ],
      },
      400,
      ErrorCode.PLAYER_UNKNOWN_COUNTRY,
    ],
    [
      'a batch item without its user',
      '/players',
      'POST',
      { players: [{ name: 'a' }] },
      400,
      ErrorCode.HTTP_VALIDATION,
    ],
  ];
  it.each(bad)('refuse %s with %i %s, changing nothing', async (_what, url, method, body, status, code) => {
    await t.send('PUT', '/players/seed', { name: 'Seed' });
    const before = t.digest();
    expect(await t.send(method, url, body)).toMatchObject({ status, body: { error: { code } } });
    expect(t.digest()).toBe(before);
  });
});
