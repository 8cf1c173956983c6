/**
 * The contract between the route tests' fake and the real thing: the same HTTP requests, sent to
 * an app over the reference model (what packages/gateway's route tests use) and to an app
 * over a real ranking server across a real ZeroMQ hop, get the same answers — status, content
 * type and body. If the fake drifts from the server, this fails, so the route tests keep meaning
 * what they say.
 */
import { settingsDefaults } from '@scoreboard/config';
import { KeyTable, RankingClient, buildApp, type RankingApi } from '@scoreboard/gateway';
import { ModelRanking } from '@scoreboard/model';
import { openRankingService, rankingServerSettings, type RankingService } from '@scoreboard/ranking-server';
import type { FastifyInstance, InjectOptions } from 'fastify';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seededRandom } from '@scoreboard/random';

const logger = pino({ level: 'silent' });
let service: RankingService;
let client: RankingClient;
let real: FastifyInstance;
let fake: FastifyInstance;
/** One clock for both, so periods and timestamps agree to the millisecond. */
const clock = { now: Date.UTC(2026, 10, 27, 12) };

beforeAll(async () => {
  service = openRankingService(
    {
      ...settingsDefaults(rankingServerSettings),
      endpoint: 'tcp://127.0.0.1:*',
      persist: false,
      game: false, // the model holds no game board
      metricsPort: 0,
      eventsEndpoint: 'tcp://127.0.0.1:*',
    },
    logger,
    { clock: () => clock.now },
  );
  await service.start();
  client = new RankingClient({ endpoint: service.server.endpoint, logger, timeoutMs: 5000 });
  client.start();
  real = buildApp({ ranking: client, logger, debug: true });
  fake = buildApp({ ranking: new ModelRanking(() => clock.now), logger, debug: true });
});

afterAll(async () => {
  await real.close();
  await fake.close();
  await client.stop();
  await service.stop();
});

/**
 * Sends one request to both apps; answers both answers, reduced to what a client can see. Error
 * messages are prose (the model answers codes only), so errors are compared by code.
 */
async function both(req: InjectOptions) {
  const see = async (app: FastifyInstance) => {
    const res = await app.inject(req);
    const body = res.body ? res.json() : undefined;
    if (body?.error) body.error.message = '…';
    return { status: res.statusCode, type: res.headers['content-type'], body };
  };
  return { real: await see(real), fake: await see(fake) };
}

/** A request as a line for a failure message. */
const show = (req: InjectOptions): string => JSON.stringify([req.method, req.url, req.payload]);

const put = (body: unknown, key?: string): InjectOptions => ({
  method: 'PUT',
  url: '/score',
  headers: { 'content-type': 'application/json', ...(key ? { 'idempotency-key': key } : {}) },
  payload: JSON.stringify(body),
});

describe('the route tests’ fake answers as the real ranking server does', () => {
  it('on the original scoreboard cases', async () => {
    const script: InjectOptions[] = [
      { method: 'DELETE', url: '/reset' },
      ...[100, 200, 150, 350, 225, 155, 60, 415, 190, 25].map((total, i) => put({ user: i + 1, total })),
      { method: 'GET', url: '/top/3' },
      { method: 'GET', url: '/top/5/2' },
      { method: 'GET', url: '/top/11/2' },
      { method: 'GET', url: '/top/14/2' },
      ...['+10', '-100', '+150', '-75', '+225'].map((score) => put({ user: 'rel', score })),
      { method: 'GET', url: '/users/rel' },
      { method: 'GET', url: '/users/nobody' },
      put({ user: 1, total: Number.MAX_SAFE_INTEGER }),
      put({ user: 1, score: '+1' }),
      put({ user: 'k', score: '+5' }, 'key-1'),
      put({ user: 'k', score: '+5' }, 'key-1'),
      put({ user: 'k', score: '+6' }, 'key-1'),
    ];
    for (const req of script) {
      const { real: r, fake: f } = await both(req);
      expect(f, show(req)).toEqual(r);
    }
  });

  it('on a seeded random mix of writes, reads, keys and bad input', async () => {
    const random = seededRandom(4242);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
    const int = (lo: number, hi: number) => lo + Math.floor(random() * (hi - lo + 1));
    const users = [1, 2, 3, '4', 'ann', 'bob', '007', 'x@y'];
    await both({ method: 'DELETE', url: '/reset' });
    for (let i = 0; i < 600; i++) {
      const r = random();
      let req: InjectOptions;
      if (r < 0.3) req = put({ user: pick(users), total: int(-50, 50) });
      else if (r < 0.55) req = put({ user: pick(users), score: pick(['+1', '-3', 7, '+0', -2]) });
      else if (r < 0.62) req = put({ user: pick(users), score: '+2' }, `k${int(0, 20)}`);
      else if (r < 0.7)
        req = put(pick([{ user: 'a' }, { user: 'a b', total: 1 }, { user: 1, total: 1.5 }, [1]]));
      else if (r < 0.8) req = { method: 'GET', url: `/top/${int(0, 10)}` };
      else if (r < 0.88) req = { method: 'GET', url: `/top/${int(1, 10)}/${int(0, 3)}` };
      else if (r < 0.97) req = { method: 'GET', url: `/users/${pick([...users, 'nobody'])}` };
      else if (r < 0.985) req = { method: 'GET', url: pick(['/top/-1', '/top/x', '/nope']) };
      else req = { method: 'DELETE', url: '/reset' };
      const { real: a, fake: b } = await both(req);
      expect(b, `step ${i}: ${show(req)}`).toEqual(a);
    }
  });

  it('on a seeded random mix of the product’s routes: boards, players, countries, rank styles', async () => {
    const random = seededRandom(777);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
    const int = (lo: number, hi: number) => lo + Math.floor(random() * (hi - lo + 1));
    const users = ['1', '2', 'ann', 'bob', 'x.y', '0042'];
    const boards = ['default', 'wk', 'golf', 'gone'];
    const rank = () => pick(['', '?rank=standard', '?rank=dense', '?rank=ordinal']);
    const json = (method: 'PUT' | 'POST', url: string, body: unknown): InjectOptions => ({
      method,
      url,
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify(body),
    });
    await both(json('PUT', '/boards/golf', { order: 'asc', operator: 'best', max: 200 }));
    await both(json('PUT', '/boards/wk', {}));
    // A tournament: joins, a cap on players, a cap on attempts.
    await both(json('PUT', '/boards/cup', { join: true, maxPlayers: 3, maxAttempts: 2 }));
    await both(json('PUT', '/boards/wk', { bucket: { size: 3 } }));
    for (let i = 0; i < 700; i++) {
      const board = pick(boards);
      const user = pick(users);
      const r = random();
      let req: InjectOptions;
      if (r < 0.2) req = json('PUT', `/boards/${board}/scores`, { user, total: int(-10, 250) });
      else if (r < 0.25)
        req = json('PUT', `/boards/${board}/scores`, {
          user,
          total: int(-10, 250),
          metadata: pick([{ run: int(1, 9) }, { replay: 'x'.repeat(1100) }, { nested: { a: [1] } }]),
        });
      else if (r < 0.35) req = json('PUT', `/boards/${board}/scores`, { user, score: pick(['+3', '-2', 5]) });
      else if (r < 0.4) {
        req = json('POST', `/boards/${board}/scores`, {
          scores: Array.from({ length: int(1, 4) }, () => ({ user: pick(users), total: int(0, 300) })),
        });
      } else if (r < 0.5) {
        req = json(
          'PUT',
          `/players/${user}`,
          pick([
            { country: pick(['de', 'FR', 'us', 'XX']) },
            { name: pick(['A', ' B ', '']) },
            { country: null },
          ]),
        );
      } else if (r < 0.51) req = { method: 'DELETE', url: `/players/${user}` };
      else if (r < 0.52) req = { method: 'DELETE', url: `/boards/${board}/users/${user}` };
      else if (r < 0.535) req = json('POST', `/boards/${pick([board, 'cup'])}/join`, { user });
      else if (r < 0.54)
        req = { method: 'GET', url: `/boards/${pick([board, 'cup'])}/players/${user}/attempts` };
      else if (r < 0.543) req = { method: 'GET', url: `/boards/${board}/buckets/${user}` };
      else if (r < 0.546)
        req = { method: 'GET', url: `/boards/${board}/buckets/${int(1, 4)}/top/${int(0, 4)}` };
      else if (r < 0.55) req = { method: 'GET', url: `/players/${user}` };
      else if (r < 0.62) req = { method: 'GET', url: `/boards/${board}/top/${int(0, 8)}${rank()}` };
      else if (r < 0.68) req = { method: 'GET', url: `/boards/${board}/users/${user}${rank()}` };
      else if (r < 0.73) req = { method: 'GET', url: `/boards/${board}/around/${user}?size=${int(0, 3)}` };
      else if (r < 0.77)
        req = {
          method: 'GET',
          url: `/boards/${board}/users?ids=${[pick(users), pick(users), 'none'].join(',')}`,
        };
      else if (r < 0.8)
        req = {
          method: 'GET',
          url: `/boards/${board}/range?min=${int(-5, 100)}&max=${int(50, 300)}&limit=${int(0, 4)}`,
        };
      else if (r < 0.83) req = { method: 'GET', url: `/boards/${board}/countries` };
      else if (r < 0.87)
        req = { method: 'GET', url: `/boards/${board}/countries/${pick(['de', 'FR', 'jp'])}/top/5${rank()}` };
      else if (r < 0.9)
        req = {
          method: 'GET',
          url: `/boards/${board}/countries/${pick(['DE', 'fr'])}/around/${user}?size=1`,
        };
      else if (r < 0.93)
        req = json(
          'PUT',
          `/boards/${board}`,
          pick([{ max: int(100, 400) }, { operator: 'best' }, { min: 10, max: 5 }]),
        );
      else if (r < 0.95) req = { method: 'GET', url: '/boards' };
      else if (r < 0.97) req = { method: 'DELETE', url: `/boards/${pick(['gone', 'default'])}` };
      else req = json('PUT', '/boards/gone', {});
      const { real: a, fake: b } = await both(req);
      expect(b, `step ${i}: ${show(req)}`).toEqual(a);
    }
  });

  it('on the count of a board and the standing of a total (GET /boards/:board/count)', async () => {
    const json = (url: string, body: unknown): InjectOptions => ({
      method: 'PUT',
      url,
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify(body),
    });
    await both(json('/boards/cnt-desc', {}));
    await both(json('/boards/cnt-asc', { order: 'asc' }));
    const get = async (url: string) => {
      const { real, fake } = await both({ method: 'GET', url });
      expect(fake, url).toEqual(real);
      return real;
    };
    expect((await get('/boards/cnt-desc/count?total=5')).body).toEqual({
      count: 0,
      total: 5,
      atLeast: 0,
      percentile: 0,
    });
    for (const [user, total] of [
      ['a', 10],
      ['b', 20],
      ['c', 20],
      ['d', 30],
      ['e', 40],
    ] as const) {
      await both(json('/boards/cnt-desc/scores', { user, total }));
      await both(json('/boards/cnt-asc/scores', { user, total }));
    }
    expect((await get('/boards/cnt-desc/count')).body).toEqual({ count: 5 });
    // Higher is better: 30 and 40 are above 25; the three others are worse.
    expect((await get('/boards/cnt-desc/count?total=25')).body).toEqual({
      count: 5,
      total: 25,
      atLeast: 2,
      percentile: 60,
    });
    // Ties count as at least as good.
    expect((await get('/boards/cnt-desc/count?total=20')).body).toMatchObject({ atLeast: 4, percentile: 20 });
    // Lower is better: 10 and 20, 20 are at least as good as 20.
    expect((await get('/boards/cnt-asc/count?total=20')).body).toMatchObject({ atLeast: 3, percentile: 40 });
    expect((await get('/boards/cnt-asc/count?total=-3')).body).toMatchObject({ atLeast: 0, percentile: 100 });
    for (const bad of [
      '/boards/cnt-desc/count?total=1.5',
      '/boards/cnt-desc/count?total=x',
      '/boards/cnt-desc/count?top=1',
    ]) {
      expect((await get(bad)).status, bad).toBe(400);
    }
    expect((await get('/boards/nowhere/count')).body.error.code).toBe('SCOREBOARD_ERR_BOARD_NOT_FOUND');
  });

  it('on API keys: made, listed, refused, revoked', async () => {
    const ADMIN = 'contract-admin-key-000001';
    const withKeys = (ranking: RankingApi) =>
      buildApp({ ranking, logger, debug: true, keys: new KeyTable(ranking, ADMIN, logger) });
    const realKeys = withKeys(client);
    const fakeKeys = withKeys(new ModelRanking(() => clock.now));
    const admin = { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' };
    const script: InjectOptions[] = [
      {
        method: 'POST',
        url: '/keys',
        headers: admin,
        payload: JSON.stringify({ name: 'game', scopes: ['write'], boards: ['default'], rate: 50 }),
      },
      {
        method: 'POST',
        url: '/keys',
        headers: admin,
        payload: JSON.stringify({ name: 'game', scopes: ['read'] }),
      },
      {
        method: 'POST',
        url: '/keys',
        headers: admin,
        payload: JSON.stringify({ name: 'x y', scopes: ['read'] }),
      },
      { method: 'POST', url: '/keys', headers: admin, payload: JSON.stringify({ name: 'site', scopes: [] }) },
      { method: 'POST', url: '/keys', payload: '{}', headers: { 'content-type': 'application/json' } },
      { method: 'GET', url: '/keys', headers: admin },
      { method: 'DELETE', url: '/keys/game', headers: admin },
      { method: 'DELETE', url: '/keys/game', headers: admin },
      { method: 'GET', url: '/keys', headers: admin },
    ];
    for (const req of script) {
      const see = async (app: FastifyInstance) => {
        const res = await app.inject(req);
        const body = res.body ? res.json() : undefined;
        if (body?.error) body.error.message = '…';
        if (body?.secret) body.secret = 'sb_…'; // random on each side
        return { status: res.statusCode, body };
      };
      expect(await see(fakeKeys), show(req)).toEqual(await see(realKeys));
    }
    await realKeys.close();
    await fakeKeys.close();
  });

  it('on a seeded random mix of periods, open windows and history, with a clock that moves', async () => {
    const random = seededRandom(99);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
    const int = (lo: number, hi: number) => lo + Math.floor(random() * (hi - lo + 1));
    const json = (method: 'PUT' | 'POST', url: string, body: unknown, key?: string): InjectOptions => ({
      method,
      url,
      headers: { 'content-type': 'application/json', ...(key ? { 'idempotency-key': key } : {}) },
      payload: JSON.stringify(body),
    });
    const iso = (ms: number) => new Date(ms).toISOString();
    const users = ['ann', 'bob', '7', 'x.y'];
    const boards = ['sprint', 'daily', 'event', 'office'];
    await both(json('PUT', '/boards/sprint', { reset: { everySeconds: 120 }, keep: 3, history: 2 }));
    await both(
      json('PUT', '/boards/daily', {
        reset: { every: 'day', at: '02:30', timezone: 'Europe/Berlin' },
        operator: 'best',
      }),
    );
    await both(
      json('PUT', '/boards/event', {
        start: iso(clock.now + 20_000),
        end: iso(clock.now + 30 * 86400_000),
        history: 3,
      }),
    );
    await both(
      json('PUT', '/boards/office', {
        hours: { from: '13:00', to: '13:02', days: [5, 6], timezone: 'Europe/London' },
      }),
    );
    const seen = { closed: 0, finished: 0, history: 0, gone: 0 };
    /** Each board's period ids as its last `GET …/periods` listed them. */
    const known = new Map<string, number[]>();
    for (let i = 0; i < 500; i++) {
      clock.now += random() < 0.02 ? int(1, 30) * 3600_000 : int(0, 4000);
      const board = pick(boards);
      const user = pick(users);
      const ids = known.get(board) ?? [];
      const period = ids.length > 0 && random() < 0.8 ? pick(ids) : int(1, 12);
      const r = random();
      let req: InjectOptions;
      if (r < 0.35) req = json('PUT', `/boards/${board}/scores`, { user, total: int(0, 99) });
      else if (r < 0.4)
        req = json('POST', `/boards/${board}/scores`, { scores: [{ user, total: int(0, 99) }] });
      else if (r < 0.45)
        req = json('POST', `/boards/${board}/reset`, {}, random() < 0.5 ? `r${int(0, 5)}` : undefined);
      else if (r < 0.52) req = { method: 'GET', url: `/boards/${board}` };
      else if (r < 0.6) req = { method: 'GET', url: `/boards/${board}/periods` };
      else if (r < 0.7)
        req = {
          method: 'GET',
          url: `/boards/${board}/periods/${period}/top/${int(0, 5)}?rank=${pick(['dense', 'standard', 'ordinal'])}`,
        };
      else if (r < 0.75)
        req = { method: 'GET', url: `/boards/${board}/periods/${period}/top/${int(1, 4)}/1` };
      else if (r < 0.82) req = { method: 'GET', url: `/boards/${board}/periods/${period}/users/${user}` };
      else if (r < 0.86)
        req = { method: 'GET', url: `/boards/${board}/periods/${period}/around/${user}?size=1` };
      else if (r < 0.94)
        req = {
          method: 'GET',
          url: `/boards/${pick(['sprint', 'event', board])}/users/${user}/history${random() < 0.7 ? '' : `?period=${period}`}`,
        };
      else if (r < 0.97) req = { method: 'DELETE', url: `/players/${user}` };
      else
        req = json(
          'PUT',
          `/boards/${board}`,
          pick([{ keep: int(0, 3) }, { history: int(1, 3) }, { reset: { every: 'week', weekday: 8 } }]),
        );
      const { real: a, fake: b } = await both(req);
      expect(b, `step ${i}: ${show(req)}`).toEqual(a);
      const url = req.url as string;
      if (url.endsWith('/periods') && a.status === 200)
        known.set(
          board,
          a.body.map((p: { id: number }) => p.id),
        );
      if (a.status === 403) seen.closed++;
      if (/periods\/\d+\/top/.test(url) && Array.isArray(a.body) && a.body.length > 0) seen.finished++;
      if (url.includes('/history') && Array.isArray(a.body) && a.body.length > 0) seen.history++;
      if (a.status === 404 && a.body.error.code === 'SCOREBOARD_ERR_PERIOD_NOT_FOUND') seen.gone++;
    }
    // The mix reached the interesting answers, not only the easy ones.
    for (const [what, n] of Object.entries(seen)) expect(n, what).toBeGreaterThan(5);
  });
});
