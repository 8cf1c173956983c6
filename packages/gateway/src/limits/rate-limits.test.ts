import { ErrorCode } from '@scoreboard/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { modelApp } from '../test-support/model-app.js';

let apps: Array<ReturnType<typeof modelApp>> = [];
const open = (options: Parameters<typeof modelApp>[0]) => {
  const t = modelApp(options);
  apps.push(t);
  return t;
};
afterEach(async () => {
  for (const t of apps) await t.app.close();
  apps = [];
});
const from = (ip: string) => ({ 'x-forwarded-for': ip });

describe('rate limits', () => {
  it('answer 429 with Retry-After past an address’s burst, before any work, and spare the health check', async () => {
    const t = open({ rateLimits: { perAddress: 1, burst: 3, clients: 1 } });
    for (let i = 0; i < 3; i++)
      expect((await t.send('PUT', '/score', { user: i, total: 1 }, from('10.0.0.1'))).status).toBe(200);
    const before = t.digest();
    const calls = t.ranking.calls.length;
    const over = await t.send('PUT', '/score', { user: 9, total: 1 }, from('10.0.0.1'));
    expect(over).toMatchObject({ status: 429, body: { error: { code: ErrorCode.RATE_LIMITED } } });
    expect(Number(over.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(t.ranking.calls.length).toBe(calls); // nothing reached the ranking server
    expect(t.digest()).toBe(before);
    expect((await t.send('GET', '/top/1', undefined, from('10.0.0.2'))).status).toBe(200); // another address
    expect((await t.send('GET', '/health-check', undefined, from('10.0.0.1'))).status).toBe(200);
  });

  it('give each of N clients its share of the limit', async () => {
    const t = open({ rateLimits: { perAddress: 10, burst: 10, clients: 2 } });
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++)
      statuses.push((await t.send('GET', '/top/1', undefined, from('10.0.0.3'))).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429]);
  });

  it('hold a key to its own rate', async () => {
    const ADMIN = 'rate-admin-key-0123456789';
    const t = open({ adminKey: ADMIN });
    const made = await t.send(
      'POST',
      '/keys',
      { name: 'slow', scopes: ['write'], rate: 2 },
      { authorization: `Bearer ${ADMIN}` },
    );
    const slow = { authorization: `Bearer ${made.body.secret as string}` };
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++)
      statuses.push((await t.send('PUT', '/score', { user: 1, total: i }, slow)).status);
    expect(statuses).toEqual([200, 200, 429]);
    // The admin key has no rate of its own.
    for (let i = 0; i < 5; i++) {
      expect(
        (await t.send('PUT', '/score', { user: 2, total: i }, { authorization: `Bearer ${ADMIN}` })).status,
      ).toBe(200);
    }
  });
});
