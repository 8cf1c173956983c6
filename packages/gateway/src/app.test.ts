import { ErrorCode, MAX_TOTAL } from '@scoreboard/protocol';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildApp } from './app.js';
import { ModelRanking } from '@scoreboard/model';

const logger = pino({ level: 'silent' });
let ranking: ModelRanking;
let app: FastifyInstance;

beforeEach(async () => {
  ranking = new ModelRanking();
  app = buildApp({ ranking, logger, debug: true });
  await app.ready();
});
afterEach(async () => app.close());

function put(body: unknown, headers: Record<string, string> = {}): Promise<LightMyRequestResponse> {
  return app.inject({
    method: 'PUT',
    url: '/score',
    headers: { 'content-type': 'application/json', ...headers },
    payload: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

const get = (url: string): Promise<LightMyRequestResponse> => app.inject({ method: 'GET', url });

/** Everything observable about the board, to prove a refused request changed nothing. */
const snapshot = (): unknown => ({ size: ranking.model.size, all: ranking.model.ranked() });

describe('successful answers', () => {
  it('are JSON with the content type Fastify would give, whatever the route', async () => {
    await put({ user: 'ann', total: 9 });
    await put({ user: 'bob', total: 7 });
    const answers = [
      [await put({ user: 'cy', score: '+3' }), { user: 'cy', total: 3 }],
      [await put({ user: 'cy', total: 8 }), { user: 'cy', total: 8 }],
      [
        await get('/top/2'),
        [
          { user: 'ann', total: 9 },
          { user: 'cy', total: 8 },
        ],
      ],
      [await get('/top/3/0'), [{ user: 'bob', total: 7 }]],
      [await get('/users/bob'), { user: 'bob', total: 7, rank: 3 }],
    ] as const;
    for (const [res, body] of answers) {
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
      expect(res.json()).toEqual(body);
    }
  });
});

describe('PUT /score', () => {
  it('sets absolute totals and applies relative scores', async () => {
    expect((await put({ user: 123, total: 250 })).json()).toEqual({ user: 123, total: 250 });
    expect((await put({ user: 456, score: '+10' })).json()).toEqual({ user: 456, total: 10 });
    expect((await put({ user: 456, score: '-115' })).json()).toEqual({ user: 456, total: -105 });
    expect((await put({ user: 456, score: 5 })).json()).toEqual({ user: 456, total: -100 });
    const res = await put({ user: 'ann', score: '+0' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ user: 'ann', total: 0 });
  });

  it('treats "123" and 123 as one user, answered as the integer, and "0123" as another', async () => {
    await put({ user: '123', total: 5 });
    expect((await put({ user: 123, score: '+1' })).json()).toEqual({ user: 123, total: 6 });
    expect((await put({ user: '0123', score: '+1' })).json()).toEqual({ user: '0123', total: 1 });
    expect((await get('/users/123')).json()).toEqual({ user: 123, total: 6, rank: 1 });
    expect(ranking.model.size).toBe(2);
  });

  it('answers a repeated Idempotency-Key with the first result and applies it once', async () => {
    const first = await put({ user: 'k', score: '+5' }, { 'idempotency-key': 'abc-1' });
    const again = await put({ user: 'k', score: '+5' }, { 'idempotency-key': 'abc-1' });
    expect(first.json()).toEqual({ user: 'k', total: 5 });
    expect(again.statusCode).toBe(200);
    expect(again.json()).toEqual({ user: 'k', total: 5 });
    const before = snapshot();
    const reused = await put({ user: 'k', score: '+6' }, { 'idempotency-key': 'abc-1' });
    expect(reused.statusCode).toBe(422);
    expect(reused.json().error.code).toBe(ErrorCode.IDEMPOTENCY_KEY_REUSED);
    expect(snapshot()).toEqual(before);
    for (const bad of ['x'.repeat(129), 'has space']) {
      const res = await put({ user: 'k', score: '+1' }, { 'idempotency-key': bad });
      expect(res.statusCode).toBe(400);
      expect(res.json().error.code).toBe(ErrorCode.HTTP_VALIDATION);
    }
    expect(snapshot()).toEqual(before);
  });

  it('refuses a result outside ±(2^53−1) with 422 and changes nothing', async () => {
    await put({ user: 1, total: MAX_TOTAL });
    const before = snapshot();
    const res = await put({ user: 1, score: '+1' });
    expect(res.statusCode).toBe(422);
    expect(res.json().error.code).toBe(ErrorCode.SCORE_OUT_OF_RANGE);
    expect(snapshot()).toEqual(before);
  });

  const tooLong = 'x'.repeat(65);
  const cases: Array<[string, unknown, number, string]> = [
    ['malformed JSON', '{"user": 1,', 400, ErrorCode.HTTP_BAD_JSON],
    ['an empty body', '', 400, ErrorCode.HTTP_BAD_JSON],
    ['a JSON array', [1, 2], 400, ErrorCode.HTTP_VALIDATION],
    ['JSON null', 'null', 400, ErrorCode.HTTP_VALIDATION],
    ['a missing score', { user: 1 }, 400, ErrorCode.HTTP_VALIDATION],
    ['a missing user', { total: 1 }, 400, ErrorCode.HTTP_VALIDATION],
    ['both total and score', { user: 1, total: 1, score: '+1' }, 400, ErrorCode.HTTP_VALIDATION],
    ['an extra field', { user: 1, total: 1, country: 'x' }, 400, ErrorCode.HTTP_VALIDATION],
    ['a boolean user', { user: true, total: 1 }, 400, ErrorCode.HTTP_VALIDATION],
    ['a float user', { user: 1.5, total: 1 }, 400, ErrorCode.HTTP_VALIDATION],
    ['a negative user', { user: -1, total: 1 }, 400, ErrorCode.HTTP_VALIDATION],
    ['a user beyond 2^53−1', { user: 2 ** 53, total: 1 }, 400, ErrorCode.HTTP_VALIDATION],
    ['an empty user', { user: '', total: 1 }, 400, ErrorCode.HTTP_VALIDATION],
    ['a 65-character user', { user: tooLong, total: 1 }, 400, ErrorCode.HTTP_VALIDATION],
    ['a user with a space', { user: 'a b', total: 1 }, 400, ErrorCode.HTTP_VALIDATION],
    ['a float total', { user: 1, total: 1.5 }, 400, ErrorCode.HTTP_VALIDATION],
    ['a string total', { user: 1, total: '100' }, 400, ErrorCode.HTTP_VALIDATION],
    ['a total beyond 2^53−1', { user: 1, total: 2 ** 53 }, 400, ErrorCode.HTTP_VALIDATION],
    ['score "+1xaY50"', { user: 1, score: '+1xaY50' }, 400, ErrorCode.HTTP_VALIDATION],
    ['score "10" without a sign', { user: 1, score: '10' }, 400, ErrorCode.HTTP_VALIDATION],
    ['score "+"', { user: 1, score: '+' }, 400, ErrorCode.HTTP_VALIDATION],
    ['a float score', { user: 1, score: 1.5 }, 400, ErrorCode.HTTP_VALIDATION],
    ['a score of 17 digits', { user: 1, score: '+12345678901234567' }, 400, ErrorCode.HTTP_VALIDATION],
    ['a score beyond 2^53−1', { user: 1, score: '+9999999999999999' }, 400, ErrorCode.HTTP_VALIDATION],
    [
      'a body over the limit',
      { user: 'a', total: 1, pad: 'x'.repeat(5000) },
      413,
      ErrorCode.HTTP_BODY_TOO_LARGE,
    ],
  ];

  it.each(cases)('refuses %s (%j) with %i %s and changes nothing', async (_what, body, status, code) => {
    await put({ user: 'seed', total: 7 });
    const before = snapshot();
    const res = await put(body);
    expect(res.statusCode).toBe(status);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.json()).toEqual({ error: { code, message: expect.any(String) } });
    expect(snapshot()).toEqual(before);
  });

  it('refuses a content type other than JSON with 415 and changes nothing', async () => {
    const before = snapshot();
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'application/xml']) {
      const res = await put('{"user": 1, "total": 5}', { 'content-type': type });
      expect(res.statusCode).toBe(415);
      expect(res.json().error.code).toBe(ErrorCode.HTTP_UNSUPPORTED_MEDIA_TYPE);
    }
    expect(snapshot()).toEqual(before);
    expect(ranking.calls).toEqual([]);
  });

  it('answers 503 with Retry-After when the ranking server does not answer', async () => {
    ranking.down = true;
    const res = await put({ user: 1, total: 5 });
    expect(res.statusCode).toBe(503);
    expect(res.headers['retry-after']).toBe('1');
    expect(res.json().error.code).toBe(ErrorCode.RANKING_UNAVAILABLE);
  });
});

describe('GET /top', () => {
  beforeEach(async () => {
    const totals = [100, 200, 150, 350, 225, 155, 60, 415, 190, 25];
    for (const [i, total] of totals.entries()) await put({ user: i + 1, total });
  });

  it('answers the N best, best first', async () => {
    const res = await get('/top/3');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual([
      { user: 8, total: 415 },
      { user: 4, total: 350 },
      { user: 5, total: 225 },
    ]);
    expect((await get('/top/0')).json()).toEqual([]);
    expect((await get('/top/50')).json()).toHaveLength(10);
  });

  it.each([
    [5, 2, 5],
    [11, 2, 2],
    [1, 2, 3],
    [5, 8, 10],
    [14, 2, 0],
  ])('answers the window /top/%i/%i with %i entries', async (p, s, count) => {
    const res = await get(`/top/${p}/${s}`);
    expect(res.statusCode).toBe(200);
    const all = (await get('/top/10')).json();
    const from = Math.max(1, p - s);
    expect(res.json()).toEqual(all.slice(from - 1, from - 1 + count));
    expect(res.json()).toHaveLength(count);
  });

  it.each([
    '/top/-1',
    '/top/abc',
    '/top/1.5',
    '/top/1e3',
    '/top/10001',
    '/top/0/1',
    '/top/1/10001',
    '/top/1/-1',
    '/top/x/1',
    '/top/99999999999999999/1',
  ])('refuses %s with 400 and a JSON error', async (url) => {
    const res = await get(url);
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe(ErrorCode.HTTP_VALIDATION);
  });
});

describe('GET /users/:id', () => {
  it('answers a user with its rank, or 404', async () => {
    await put({ user: 'a@b.c', total: 10 });
    await put({ user: 'z', total: 20 });
    expect((await get('/users/a@b.c')).json()).toEqual({ user: 'a@b.c', total: 10, rank: 2 });
    const missing = await get('/users/nobody');
    expect(missing.statusCode).toBe(404);
    expect(missing.json().error.code).toBe(ErrorCode.USER_NOT_FOUND);
    const bad = await get('/users/a%20b');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe(ErrorCode.HTTP_VALIDATION);
  });
});

describe('operations', () => {
  it('reports health from the ranking server', async () => {
    const ok = await get('/health-check');
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toEqual({ status: 'ok' });
    ranking.down = true;
    const down = await get('/health-check');
    expect(down.statusCode).toBe(503);
    expect(down.json()).toMatchObject({
      status: 'unavailable',
      error: { code: ErrorCode.RANKING_UNAVAILABLE },
    });
  });

  it('resets the board in debug mode only', async () => {
    await put({ user: 1, total: 1 });
    const res = await app.inject({ method: 'DELETE', url: '/reset' });
    expect(res.json()).toEqual({ removed: 1 });
    expect(ranking.model.size).toBe(0);

    const prod = buildApp({ ranking, logger });
    await put({ user: 1, total: 1 });
    const refused = await prod.inject({ method: 'DELETE', url: '/reset' });
    expect(refused.statusCode).toBe(404);
    expect(refused.json().error.code).toBe(ErrorCode.HTTP_NOT_FOUND);
    expect(ranking.model.size).toBe(1);
    await prod.close();
  });

  it('answers unknown routes with a JSON 404 (a known route with another method is a 405)', async () => {
    for (const [method, url] of [
      ['GET', '/nope'],
      ['POST', '/scores'],
      ['GET', '/top'],
    ] as const) {
      const res = await app.inject({ method, url });
      expect(res.statusCode).toBe(404);
      expect(res.json().error.code).toBe(ErrorCode.HTTP_NOT_FOUND);
    }
  });

  it('answers a path that is not percent-encoded UTF-8 with a JSON 400, changing nothing', async () => {
    const before = snapshot();
    for (const url of ['/users/%E2%82', '/boards/%C3/top/1', '/players/%FF']) {
      const res = await app.inject({ method: 'GET', url });
      expect(res.statusCode, url).toBe(400);
      expect(res.json().error.code).toBe(ErrorCode.HTTP_VALIDATION);
    }
    expect((await app.inject({ method: 'PUT', url: '/players/%E2%82', payload: {} })).statusCode).toBe(400);
    expect(snapshot()).toEqual(before);
  });

  it('carries the x-request-id header to the ranking server', async () => {
    const seen: Array<string | undefined> = [];
    const spy = ranking.callRaw.bind(ranking);
    ranking.callRaw = async (cmd: never, args: never, options?: { rid?: string }) => {
      seen.push(options?.rid);
      return spy(cmd, args, options);
    };
    await app.inject({ method: 'GET', url: '/top/1', headers: { 'x-request-id': 'abc-123' } });
    await app.inject({ method: 'GET', url: '/top/1', headers: { 'x-request-id': 'bad id with spaces' } });
    expect(seen[0]).toBe('abc-123');
    expect(seen[1]).toMatch(/^[a-z0-9]+-[a-z0-9]+$/);
  });
});

describe('the README', () => {
  it('lists every route the app serves, and serves every route it lists', async () => {
    const readme = readFileSync(resolve(import.meta.dirname, '../../../README.md'), 'utf8');
    const api = readme.slice(readme.indexOf('\n## API'), readme.indexOf('\n## Errors'));
    // A route's shape: parameter names aside (the README says :p/:s where the code says :position/:scope).
    const shape = (route: string) =>
      route
        .replace(/\?.*$/, '')
        .replace(/:[A-Za-z]+/g, ':')
        .replace(/\/[A-Z](?=\/|$)/g, '/:'); // the original routes' /top/N and /top/P/S
    const listed = new Set(
      [...api.matchAll(/`(GET|PUT|POST|DELETE) (\/[^`\s]*)`/g)]
        .filter((m) => !m[2]!.startsWith('/debug')) // test-mode routes, described but not the API
        .map((m) => `${m[1]} ${shape(m[2]!)}`),
    );
    const served = new Set<string>();
    const fresh = buildApp({ ranking: new ModelRanking(), logger, debug: true }); // with DELETE /reset
    fresh.addHook('onRoute', (route) => {
      for (const method of [route.method].flat()) {
        if (method !== 'HEAD' && !/^\/(debug|docs|assets)\b/.test(route.url))
          served.add(`${method} ${shape(route.url)}`);
      }
    });
    await fresh.ready();
    await fresh.close();
    expect(
      [...served].filter((r) => !listed.has(r)),
      'served, not in the README',
    ).toEqual([]);
    expect(
      [...listed].filter((r) => !served.has(r)),
      'in the README, not served',
    ).toEqual([]);
  });
});

describe('methods', () => {
  it('answer 405 with Allow on a known path, 204 with Allow to OPTIONS, 404 on an unknown path', async () => {
    const del = await app.inject({ method: 'DELETE', url: '/score' });
    expect(del.statusCode).toBe(405);
    expect(del.headers['allow']).toBe('PUT');
    expect(del.json()).toMatchObject({ error: { code: ErrorCode.HTTP_METHOD_NOT_ALLOWED } });
    const board = await app.inject({ method: 'PATCH', url: '/boards/weekly' });
    expect(board.statusCode).toBe(405);
    expect(board.headers['allow']).toBe('DELETE, GET, HEAD, PUT');
    const options = await app.inject({ method: 'OPTIONS', url: '/boards/weekly/top/10' });
    expect(options.statusCode).toBe(204);
    expect(options.headers['allow']).toBe('GET, HEAD');
    // A method nginx forwards in a header because Node's parser cannot read it.
    const foo = await app.inject({
      method: 'OPTIONS',
      url: '/score',
      headers: { 'x-scoreboard-method': 'FOO' },
    });
    expect(foo.statusCode).toBe(405);
    expect(foo.json().error.message).toMatch(/not FOO/);
    expect((await app.inject({ method: 'DELETE', url: '/nope' })).statusCode).toBe(404);
  });
});
