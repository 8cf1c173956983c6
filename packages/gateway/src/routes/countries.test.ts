import { ErrorCode } from '@scoreboard/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { modelApp } from '../test-support/model-app.js';

const t = modelApp();
beforeAll(async () => {
  await t.send('PUT', '/boards/b', {});
  await t.send('POST', '/players', {
    players: [
      { user: 'a', country: 'de' },
      { user: 'b', country: 'FR' },
      { user: 'c', country: 'DE' },
      { user: 'e', country: 'de' },
    ],
  });
  for (const [user, total] of [
    ['a', 50],
    ['b', 40],
    ['c', 40],
    ['d', 30],
    ['e', 20],
  ] as const) {
    await t.send('PUT', '/boards/b/scores', { user, total });
  }
});
afterAll(() => t.app.close());

describe('country routes', () => {
  it('count countries, largest first', async () => {
    expect((await t.send('GET', '/boards/b/countries')).body).toEqual([
      { country: 'DE', count: 3 },
      { country: 'FR', count: 1 },
    ]);
  });

  it('rank within the country, any case of code in', async () => {
    const top = (await t.send('GET', '/boards/b/countries/de/top/10')).body;
    expect(top.map((r: { user: string; rank: number }) => [r.user, r.rank])).toEqual([
      ['a', 1],
      ['c', 2],
      ['e', 3],
    ]);
    const around = (await t.send('GET', '/boards/b/countries/DE/around/e?size=1')).body;
    expect(around.map((r: { user: string }) => r.user)).toEqual(['a', 'c', 'e']);
  });

  const bad: Array<[string, number, string]> = [
    ['/boards/b/countries/XX/top/3', 400, ErrorCode.PLAYER_UNKNOWN_COUNTRY],
    ['/boards/b/countries/D/top/3', 400, ErrorCode.HTTP_VALIDATION],
    ['/boards/b/countries/de1/top/3', 400, ErrorCode.HTTP_VALIDATION],
    ['/boards/b/countries/FR/around/a', 404, ErrorCode.USER_NOT_FOUND],
    ['/boards/b/countries/DE/around/d', 404, ErrorCode.USER_NOT_FOUND],
    ['/boards/nope/countries', 404, ErrorCode.BOARD_NOT_FOUND],
  ];
  it.each(bad)('refuse %s with %i %s', async (url, status, code) => {
    expect(await t.send('GET', url)).toMatchObject({ status, body: { error: { code } } });
  });
});
