/**
 * API keys with real processes: a key made through one client works through the other at once, a
 * revoked one stops working on every client within a second, and keys outlive a restart of the
 * whole system (the ranking server keeps them; the clients read them back).
 */
import { ErrorCode } from '@scoreboard/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { http, startCluster, waitFor, type Cluster } from './harness.js';

const ADMIN_KEY = 'integration-admin-key-0001';
const admin = { authorization: `Bearer ${ADMIN_KEY}` };

let cluster: Cluster | undefined;
afterEach(async () => {
  await cluster?.stop();
  cluster = undefined;
});

describe('API keys across clients', () => {
  it('work on every client, are revoked everywhere within a second, and outlive a restart', async () => {
    cluster = await startCluster({ clients: 2, nginx: true, env: { ADMIN_KEY } });
    const [a, b] = cluster.endpoints.clients as [string, string];
    const url = cluster.endpoints.url;
    expect(await http(`${url}/score`, { method: 'PUT', body: { user: 1, total: 1 } })).toMatchObject({
      status: 401,
      body: { error: { code: ErrorCode.AUTH_REQUIRED } },
    });
    const made = await http(`${a}/keys`, {
      method: 'POST',
      body: { name: 'game', scopes: ['write'] },
      headers: admin,
    });
    expect(made.status).toBe(201);
    const game = { authorization: `Bearer ${made.body.secret as string}` };
    // Straight away through the other client.
    expect(
      (await http(`${b}/score`, { method: 'PUT', body: { user: 1, total: 5 }, headers: game })).status,
    ).toBe(200);
    await http(`${a}/keys`, { method: 'POST', body: { name: 'spare', scopes: ['read'] }, headers: admin });

    const runDir = cluster.runDir;
    await cluster.stop();
    cluster = await startCluster({ clients: 2, nginx: true, env: { ADMIN_KEY }, runDir });
    const [a2, b2] = cluster.endpoints.clients as [string, string];
    expect(
      (await http(`${b2}/score`, { method: 'PUT', body: { user: 1, total: 6 }, headers: game })).status,
    ).toBe(200);
    expect((await http(`${a2}/keys`, { headers: admin })).body.map((k: { name: string }) => k.name)).toEqual([
      'game',
      'spare',
    ]);

    expect((await http(`${a2}/keys/game`, { method: 'DELETE', headers: admin })).status).toBe(204);
    const revoked = Date.now();
    await waitFor(
      async () =>
        (await http(`${b2}/score`, { method: 'PUT', body: { user: 1, total: 7 }, headers: game })).status ===
        401,
      2000,
      'the other client to refuse the revoked key',
    );
    expect(Date.now() - revoked).toBeLessThan(1000);
    // On the client that revoked it, at once.
    expect(
      (await http(`${a2}/score`, { method: 'PUT', body: { user: 1, total: 8 }, headers: game })).status,
    ).toBe(401);
  });

  it('takes every fresh key at once on the other client: 20 rounds of 3 keys, concurrent', async () => {
    cluster = await startCluster({ clients: 2, env: { ADMIN_KEY } });
    const [a, b] = cluster.endpoints.clients as [string, string];
    const refused: string[] = [];
    for (let round = 0; round < 20; round++) {
      const made = await Promise.all(
        [0, 1, 2].map((i) =>
          http(`${a}/keys`, {
            method: 'POST',
            body: { name: `fresh-${round}-${i}`, scopes: ['write'] },
            headers: admin,
          }),
        ),
      );
      const used = await Promise.all(
        made.map((m, i) =>
          http(`${b}/boards/default/scores`, {
            method: 'PUT',
            body: { user: `u${round}-${i}`, total: 1 },
            headers: { authorization: `Bearer ${m.body.secret as string}` },
          }),
        ),
      );
      for (const [i, u] of used.entries()) if (u.status !== 200) refused.push(`${round}-${i}: ${u.status}`);
    }
    expect(refused).toEqual([]);
    // An unknown key is still refused (after its one look-up).
    const bogus = await http(`${b}/boards/default/scores`, {
      method: 'PUT',
      body: { user: 'x', total: 1 },
      headers: { authorization: 'Bearer sb_not-a-key-at-all' },
    });
    expect([bogus.status, bogus.body.error.code]).toEqual([401, ErrorCode.AUTH_INVALID]);
  });
});
