import { ErrorCode } from '@scoreboard/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { modelApp } from '../test-support/model-app.js';

const t = modelApp();
beforeAll(async () => {
  await t.send('PUT', '/boards/b', {});
  await t.send('PUT', '/players/a', { name: 'Ann', country: 'IE' });
  // a 10, b 8, c 8, d 5, e 1: ranks 12345 ordinal, 1224… standard, 1223… dense
  for (const [user, total] of [
    ['a', 10],
    ['b', 8],
    ['c', 8],
    ['d', 5],
    ['e', 1],
  ] as const) {
    await t.send('PUT', '/boards/b/scores', { user, total });
  }
});
afterAll(() => t.app.close());

const ranks = (rows: Array<{ rank: number }>) => rows.map((r) => r.rank);
const users = (rows: Array<{ user: string }>) => rows.map((r) => r.user);

describe('reads of a named board', () => {
  it('answer the top with names, countries and the asked rank style', async () => {
    const top = await t.send('GET', '/boards/b/top/3');
    expect(top).toMatchObject({
      status: 200,
      headers: { 'content-type': 'application/json; charset=utf-8' },
    });
    expect(top.body[0]).toEqual({ user: 'a', total: 10, rank: 1, name: 'Ann', country: 'IE' });
    expect(ranks((await t.send('GET', '/boards/b/top/5')).body)).toEqual([1, 2, 3, 4, 5]);
    expect(ranks((await t.send('GET', '/boards/b/top/5?rank=standard')).body)).toEqual([1, 2, 2, 4, 5]);
    expect(ranks((await t.send('GET', '/boards/b/top/5?rank=dense')).body)).toEqual([1, 2, 2, 3, 4]);
    expect(users((await t.send('GET', '/boards/b/top/3/1')).body)).toEqual(['b', 'c', 'd']);
  });

  it('answer a user’s standing with count, percentile and country rank', async () => {
    expect((await t.send('GET', '/boards/b/users/a')).body).toEqual({
      user: 'a',
      total: 10,
      rank: 1,
      name: 'Ann',
      country: 'IE',
      count: 5,
      percentile: 80,
      countryRank: 1,
    });
    expect((await t.send('GET', '/boards/b/users/c?rank=dense')).body).toMatchObject({
      rank: 2,
      percentile: 40,
    });
    expect(await t.send('GET', '/boards/b/users/zed')).toMatchObject({
      status: 404,
      body: { error: { code: ErrorCode.USER_NOT_FOUND } },
    });
  });

  it('answer the window around a user, shifted at the ends', async () => {
    expect(users((await t.send('GET', '/boards/b/around/c?size=1')).body)).toEqual(['b', 'c', 'd']);
    expect(users((await t.send('GET', '/boards/b/around/a?size=1')).body)).toEqual(['a', 'b', 'c']);
    expect(users((await t.send('GET', '/boards/b/around/e?size=1')).body)).toEqual(['c', 'd', 'e']);
    expect((await t.send('GET', '/boards/b/around/c')).body).toHaveLength(5); // default size 5: all of them
    expect(users((await t.send('GET', '/boards/b/around/c?size=0')).body)).toEqual(['c']);
  });

  it('answer friends best first with their ranks on the whole board, skipping absent ones', async () => {
    const res = await t.send('GET', '/boards/b/users?ids=e,zed,c,a,c&rank=standard');
    expect(res.body.map((r: { user: string; rank: number }) => [r.user, r.rank])).toEqual([
      ['a', 1],
      ['c', 2],
      ['e', 5],
    ]);
  });

  it('answer a range of totals: how many, and the first `limit`', async () => {
    expect((await t.send('GET', '/boards/b/range?min=5&max=8&limit=2')).body).toMatchObject({
      count: 3,
      entries: [{ user: 'b' }, { user: 'c' }],
    });
    expect((await t.send('GET', '/boards/b/range?min=-3&max=1')).body).toMatchObject({
      count: 1,
      entries: [{ user: 'e' }],
    });
    expect((await t.send('GET', '/boards/b/range')).body.count).toBe(5);
    expect((await t.send('GET', '/boards/b/range?min=9&max=2')).body).toEqual({ count: 0, entries: [] });
  });

  const bad: Array<[string, number, string]> = [
    ['/boards/nope/top/3', 404, ErrorCode.BOARD_NOT_FOUND],
    ['/boards/b/top/3?rank=olympic', 400, ErrorCode.HTTP_VALIDATION],
    ['/boards/b/top/3?color=red', 400, ErrorCode.HTTP_VALIDATION],
    ['/boards/b/top/-1', 400, ErrorCode.HTTP_VALIDATION],
    ['/boards/b/top/10001', 400, ErrorCode.HTTP_VALIDATION],
    ['/boards/b/top/0/1', 400, ErrorCode.HTTP_VALIDATION],
    ['/boards/b/users/a%20b', 400, ErrorCode.HTTP_VALIDATION],
    ['/boards/b/around/a?size=101', 400, ErrorCode.HTTP_VALIDATION],
    ['/boards/b/around/a?size=-1', 400, ErrorCode.HTTP_VALIDATION],
    ['/boards/b/around/zed', 404, ErrorCode.USER_NOT_FOUND],
    ['/boards/b/users', 400, ErrorCode.HTTP_VALIDATION],
    ['/boards/b/users?ids=', 400, ErrorCode.HTTP_VALIDATION],
    ['/boards/b/users?ids=a,,b', 400, ErrorCode.HTTP_VALIDATION],
    [
      `/boards/b/users?ids=${Array.from({ length: 101 }, (_, i) => i).join(',')}`,
      400,
      ErrorCode.HTTP_VALIDATION,
    ],
    ['/boards/b/range?min=1.5', 400, ErrorCode.HTTP_VALIDATION],
    ['/boards/b/range?limit=1001', 400, ErrorCode.HTTP_VALIDATION],
    ['/boards/b/range?max=99999999999999999', 400, ErrorCode.HTTP_VALIDATION],
  ];
  it.each(bad)('refuse %s with %i %s', async (url, status, code) => {
    const before = t.digest();
    expect(await t.send('GET', url)).toMatchObject({ status, body: { error: { code } } });
    expect(t.digest()).toBe(before);
  });
});
