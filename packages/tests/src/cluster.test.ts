/**
 * Integration: the real ranking server and two real client processes on free ports, no nginx.
 */
import { ErrorCode } from '@scoreboard/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { http, startCluster, waitFor, type Cluster } from './harness.js';

let cluster: Cluster | undefined;
afterEach(async () => {
  await cluster?.stop();
  cluster = undefined;
});

describe('two clients and one ranking server', () => {
  it('shows writes through one client to the other', async () => {
    cluster = await startCluster({ clients: 2 });
    const [a, b] = cluster.endpoints.clients as [string, string];
    expect((await http(`${a}/score`, { method: 'PUT', body: { user: 'ann', total: 300 } })).status).toBe(200);
    expect((await http(`${b}/score`, { method: 'PUT', body: { user: 'bob', score: '+400' } })).status).toBe(
      200,
    );
    expect((await http(`${b}/top/2`)).body).toEqual([
      { user: 'bob', total: 400 },
      { user: 'ann', total: 300 },
    ]);
    expect((await http(`${a}/users/bob`)).body).toEqual({ user: 'bob', total: 400, rank: 1 });
    expect((await http(`${a}/top/2/0`)).body).toEqual([{ user: 'ann', total: 300 }]);
  });

  it('adds up 1 000 concurrent relative updates over both clients exactly', async () => {
    cluster = await startCluster({ clients: 2 });
    const urls = cluster.endpoints.clients;
    const results = await Promise.all(
      Array.from({ length: 1000 }, (_, i) =>
        http(`${urls[i % 2]}/score`, { method: 'PUT', body: { user: 77, score: '+1' } }),
      ),
    );
    expect(results.filter((r) => r.status !== 200)).toEqual([]);
    // Applied one at a time: each answer saw a distinct running total, 1 … 1000.
    const totals = results.map((r) => r.body.total as number).sort((x, y) => x - y);
    expect(totals).toEqual(Array.from({ length: 1000 }, (_, i) => i + 1));
    expect((await http(`${urls[1]}/users/77`)).body).toEqual({ user: 77, total: 1000, rank: 1 });

    const deltas = Array.from({ length: 400 }, (_, i) => ((i * 7919) % 201) - 100);
    await Promise.all(
      deltas.map((d, i) =>
        http(`${urls[i % 2]}/score`, {
          method: 'PUT',
          body: { user: 'mix', score: d < 0 ? `${d}` : `+${d}` },
        }),
      ),
    );
    const sum = deltas.reduce((s, d) => s + d, 0);
    expect((await http(`${urls[0]}/users/mix`)).body.total).toBe(sum);
  });

  it('answers 503 within the timeout while the ranking server is down, and recovers', async () => {
    const timeoutMs = 500;
    cluster = await startCluster({ clients: 2, requestTimeoutMs: timeoutMs });
    const [a, b] = cluster.endpoints.clients as [string, string];
    await http(`${a}/score`, { method: 'PUT', body: { user: 1, total: 5 } });

    await cluster.launcher.children.server!.stop();
    for (const url of [a, b]) {
      const started = Date.now();
      const res = await http(`${url}/score`, { method: 'PUT', body: { user: 1, score: '+1' } });
      const elapsed = Date.now() - started;
      expect(res.status).toBe(503);
      expect(res.headers.get('retry-after')).toBe('1');
      expect(res.body.error.code).toBe(ErrorCode.RANKING_UNAVAILABLE);
      expect(elapsed).toBeLessThan(timeoutMs + 1000);
      const health = await http(`${url}/health-check`);
      expect(health.status).toBe(503);
      expect(health.body.status).toBe('unavailable');
    }

    await cluster.launcher.children.server!.start();
    for (const url of [a, b]) {
      await waitFor(
        async () => (await http(`${url}/health-check`)).status === 200,
        5000,
        `${url} to recover`,
      );
    }
    const res = await http(`${b}/score`, { method: 'PUT', body: { user: 2, score: '+3' } });
    expect(res).toMatchObject({ status: 200, body: { user: 2, total: 3 } });
  });
});
