import { ErrorCode } from '@scoreboard/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { modelApp } from '../test-support/model-app.js';
import Fastify from 'fastify';
import { requireRouteFacts } from '../routes/facts.js';
import { allows } from './guard.js';

const ADMIN = 'admin-secret-0123456789';
const admin = { authorization: `Bearer ${ADMIN}` };
const bearer = (secret: string) => ({ authorization: `Bearer ${secret}` });
const refused = (status: number, code: string) => ({ status, body: { error: { code } } });

let apps: Array<ReturnType<typeof modelApp>> = [];
const open = (options: Parameters<typeof modelApp>[0] = {}) => {
  const t = modelApp({ adminKey: ADMIN, ...options });
  apps.push(t);
  return t;
};
afterEach(async () => {
  for (const t of apps) {
    t.keys.stop();
    await t.app.close();
  }
  apps = [];
});

describe('route facts', () => {
  it('make a route without a scope, or without its words, a start-up error', async () => {
    const app = Fastify();
    requireRouteFacts(app);
    const words = { summary: 's', operationId: 'a', tags: ['t'] };
    app.get('/said', { config: { scope: 'read' }, schema: words }, async () => 'ok');
    app.get('/hidden', { config: { scope: 'read' }, schema: { hide: true } }, async () => 'ok');
    app.get('/silent', async () => 'ok');
    app.put('/wordless', { config: { scope: 'write' } }, async () => 'ok');
    await expect(app.ready()).rejects.toThrow(/GET \/silent: no scope[\s\S]*PUT \/wordless: no summary/);
  });

  it('give every route its scope and board, and the guard reads them', async () => {
    const t = open();
    const made = await t.send('POST', '/keys', { name: 'w', scopes: ['write'], boards: ['w'] }, admin);
    const writer = bearer(made.body.secret as string);
    await t.send('PUT', '/boards/w', {}, admin);
    const expectations: Array<[string, 'GET' | 'PUT' | 'POST' | 'DELETE', string, unknown, number]> = [
      ['a read of its board', 'GET', '/boards/w/top/3', undefined, 200],
      ['a write to its board', 'PUT', '/boards/w/scores', { user: 'a', total: 1 }, 200],
      ['a board it is not limited to', 'PUT', '/boards/x/scores', { user: 'a', total: 1 }, 403],
      ['the default board (/score)', 'PUT', '/score', { user: 'a', total: 1 }, 403],
      ['an admin route', 'PUT', '/boards/w', {}, 403],
      ['an erasure', 'DELETE', '/players/a', undefined, 403],
      ['a profile: not about one board', 'PUT', '/players/a', { name: 'A' }, 403],
      ['the health check', 'GET', '/health-check', undefined, 200],
    ];
    for (const [what, method, url, body, status] of expectations) {
      expect((await t.send(method, url, body, writer)).status, what).toBe(status);
    }
    const limited = { name: 'k', scopes: ['write'] as const, boards: ['w'], rate: null };
    expect(allows(limited, 'read', 'w')).toBe(true);
    expect(allows(limited, 'write', 'x')).toBe(false);
    expect(allows(limited, 'write', null)).toBe(false); // profiles: not one of its boards
    expect(allows(limited, 'read', null)).toBe(true);
  });
});

describe('with keys off', () => {
  it('leaves every route open and refuses to make keys', async () => {
    const t = modelApp();
    apps.push(t);
    expect((await t.send('PUT', '/boards/w', {})).status).toBe(201);
    expect(await t.send('POST', '/keys', { name: 'k', scopes: ['read'] })).toMatchObject(
      refused(403, ErrorCode.AUTH_FORBIDDEN),
    );
  });
});

describe('with keys on', () => {
  it('asks for a key where one is needed, and refuses an unknown one, changing nothing', async () => {
    const t = open();
    await t.keys.sync();
    const before = t.digest();
    const missing = await t.send('PUT', '/score', { user: 1, total: 1 });
    expect(missing).toMatchObject(refused(401, ErrorCode.AUTH_REQUIRED));
    expect(missing.headers['www-authenticate']).toBe('Bearer');
    expect(await t.send('PUT', '/score', { user: 1, total: 1 }, bearer('sb_nope'))).toMatchObject(
      refused(401, ErrorCode.AUTH_INVALID),
    );
    expect(await t.send('PUT', '/score', { user: 1, total: 1 }, { authorization: 'Basic x' })).toMatchObject(
      refused(401, ErrorCode.AUTH_INVALID),
    );
    expect(await t.send('DELETE', '/players/1')).toMatchObject(refused(401, ErrorCode.AUTH_REQUIRED));
    expect(t.digest()).toBe(before);
    // Reads are public; the health check always is.
    expect((await t.send('GET', '/top/10')).status).toBe(200);
    expect((await t.send('GET', '/health-check')).status).toBe(200);
    expect((await t.send('PUT', '/score', { user: 1, total: 1 }, admin)).status).toBe(200);
  });

  it('makes keys whose secret is answered once, and holds them to their scopes and boards', async () => {
    const t = open();
    await t.send('PUT', '/boards/weekly', {}, admin);
    await t.send('PUT', '/boards/other', {}, admin);
    const made = await t.send(
      'POST',
      '/keys',
      { name: 'game', scopes: ['write'], boards: ['weekly'] },
      admin,
    );
    expect(made).toMatchObject({
      status: 201,
      body: {
        name: 'game',
        scopes: ['write'],
        boards: ['weekly'],
        rate: null,
        secret: expect.stringMatching(/^sb_[\w-]{32}$/),
      },
    });
    const game = bearer(made.body.secret as string);
    const listed = await t.send('GET', '/keys', undefined, admin);
    expect(listed.body).toEqual([
      { name: 'game', scopes: ['write'], boards: ['weekly'], rate: null, created: expect.any(String) },
    ]);
    expect(JSON.stringify(listed.body)).not.toContain(made.body.secret);

    expect(await t.send('PUT', '/boards/weekly/scores', { user: 'ann', total: 5 }, game)).toMatchObject({
      status: 200,
    });
    const before = t.digest();
    for (const [method, url, body] of [
      ['PUT', '/boards/other/scores', { user: 'ann', total: 5 }],
      ['PUT', '/score', { user: 'ann', total: 5 }],
      ['PUT', '/boards/weekly', { max: 9 }],
      ['POST', '/boards/weekly/reset', undefined],
      ['PUT', '/players/ann', { name: 'Ann' }],
      ['POST', '/keys', { name: 'mine', scopes: ['admin'] }],
    ] as const) {
      expect(await t.send(method, url, body, game), `${method} ${url}`).toMatchObject(
        refused(403, ErrorCode.AUTH_FORBIDDEN),
      );
    }
    expect(t.digest()).toBe(before);
    expect(await t.send('POST', '/keys', { name: 'game', scopes: ['read'] }, admin)).toMatchObject(
      refused(409, ErrorCode.KEY_EXISTS),
    );
    expect(await t.send('POST', '/keys', { name: 'bad name', scopes: ['read'] }, admin)).toMatchObject(
      refused(400, ErrorCode.HTTP_VALIDATION),
    );
    expect(await t.send('POST', '/keys', { name: 'x', scopes: ['root'] }, admin)).toMatchObject(
      refused(400, ErrorCode.HTTP_VALIDATION),
    );
  });

  it('keeps reads behind a key with PUBLIC_READS=0', async () => {
    const t = open({ publicReads: false });
    expect(await t.send('GET', '/top/10')).toMatchObject(refused(401, ErrorCode.AUTH_REQUIRED));
    const reader = await t.send('POST', '/keys', { name: 'site', scopes: ['read'] }, admin);
    expect((await t.send('GET', '/top/10', undefined, bearer(reader.body.secret as string))).status).toBe(
      200,
    );
    expect(
      await t.send('PUT', '/score', { user: 1, total: 1 }, bearer(reader.body.secret as string)),
    ).toMatchObject(refused(403, ErrorCode.AUTH_FORBIDDEN));
  });

  it('revokes a key on this client at once and on another at its next look at the table', async () => {
    const a = open();
    const b = open({ ranking: a.ranking });
    const made = await a.send('POST', '/keys', { name: 'game', scopes: ['write'] }, admin);
    const game = bearer(made.body.secret as string);
    // Unknown to b until now: b looks at the table again and takes it.
    expect((await b.send('PUT', '/score', { user: 1, total: 1 }, game)).status).toBe(200);
    expect((await a.send('DELETE', '/keys/game', undefined, admin)).status).toBe(204);
    expect(await a.send('PUT', '/score', { user: 1, total: 2 }, game)).toMatchObject(
      refused(401, ErrorCode.AUTH_INVALID),
    );
    await b.keys.sync(); // what b's half-second timer does
    expect(await b.send('PUT', '/score', { user: 1, total: 2 }, game)).toMatchObject(
      refused(401, ErrorCode.AUTH_INVALID),
    );
    expect(await a.send('DELETE', '/keys/game', undefined, admin)).toMatchObject(
      refused(404, ErrorCode.KEY_NOT_FOUND),
    );
  });
});
