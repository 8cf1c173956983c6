import { afterEach, describe, expect, it, vi } from 'vitest';
import { ClientMetrics } from './metrics.js';
import { modelApp } from './test-support/model-app.js';
import { get, type IncomingMessage } from 'node:http';

let apps: Array<ReturnType<typeof modelApp>> = [];
afterEach(async () => {
  for (const t of apps) await t.app.close();
  apps = [];
});

/** O(metrics). The value of the sample `name{labels}` in a registry, or undefined. */
async function sample(
  metrics: ClientMetrics,
  name: string,
  labels: Record<string, string> = {},
): Promise<number | undefined> {
  const metric = (await metrics.registry.getMetricsAsJSON()).find(
    (m) => m.name === name.replace(/_(count|sum|bucket)$/, ''),
  );
  const values = (metric?.values ?? []) as Array<{ value: number; labels: object; metricName?: string }>;
  return values.find(
    (v) =>
      (v.metricName ?? metric!.name) === name &&
      Object.entries(labels).every(([k, want]) => (v.labels as Record<string, unknown>)[k] === want),
  )?.value;
}

describe('GET /metrics', () => {
  it('counts requests by route pattern, method and status, and times them', async () => {
    const hop = { inFlight: 3, queued: 2 };
    const metrics = new ClientMetrics(hop);
    const t = modelApp({ metrics });
    apps.push(t);
    for (let i = 0; i < 3; i++) await t.send('PUT', '/score', { user: i, total: 10 + i });
    await t.send('PUT', '/score', { user: 'not an id', total: 1 });
    await t.send('GET', '/top/2');
    await t.send('GET', '/no/such/route');
    await t.send('GET', '/another/unknown');
    const res = await t.app.inject({ method: 'GET', url: '/metrics' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(res.body).toContain('# TYPE scoreboard_http_requests_total counter');
    const count = (route: string, method: string, status: string) =>
      sample(metrics, 'scoreboard_http_requests_total', { route, method, status });
    expect(await count('/score', 'PUT', '200')).toBe(3);
    expect(await count('/score', 'PUT', '400')).toBe(1);
    expect(await count('/top/:n', 'GET', '200')).toBe(1);
    // Unknown paths share one label, so no one can grow the page by asking for new paths.
    expect(await count('unknown', 'GET', '404')).toBe(2);
    expect(
      await sample(metrics, 'scoreboard_http_request_duration_seconds_count', {
        route: '/score',
        method: 'PUT',
      }),
    ).toBe(4);
    // Buckets are cumulative and end with +Inf at the count; the sum is the time spent.
    const buckets = [
      ...res.body.matchAll(
        /^scoreboard_http_request_duration_seconds_bucket\{route="\/score",method="PUT",le="([^"]+)"\} (\d+)$/gm,
      ),
    ];
    expect(buckets.length).toBe(14);
    expect(buckets.at(-1)!.slice(1)).toEqual(['+Inf', '4']);
    const counts = buckets.map((b) => Number(b[2]));
    expect(counts).toEqual([...counts].sort((a, b) => a - b));
    expect(
      await sample(metrics, 'scoreboard_http_request_duration_seconds_sum', {
        route: '/score',
        method: 'PUT',
      }),
    ).toBeGreaterThan(0);
    expect(await sample(metrics, 'scoreboard_hop_in_flight')).toBe(3);
    expect(await sample(metrics, 'scoreboard_hop_queued')).toBe(2);
    // Only the /metrics request itself was in flight while its page was rendered; none is now.
    expect(res.body).toMatch(/^scoreboard_http_requests_in_flight 1$/m);
    expect(await sample(metrics, 'scoreboard_http_requests_in_flight')).toBe(0);
    expect(await sample(metrics, 'process_resident_memory_bytes')).toBeGreaterThan(0);
    expect(await sample(metrics, 'nodejs_eventloop_lag_seconds')).toBeGreaterThanOrEqual(0);
  });

  it('keeps a live stream in flight until its socket closes, and never counts a refused request', async () => {
    const metrics = new ClientMetrics();
    const t = modelApp({ metrics, adminKey: 'a'.repeat(32), publicReads: true });
    apps.push(t);
    // Refused by the guard before reaching the route: counted as answered, never in flight.
    for (let i = 0; i < 3; i++)
      expect((await t.send('PUT', '/score', { user: i, total: 1 })).status).toBe(401);
    expect(
      await sample(metrics, 'scoreboard_http_requests_total', {
        route: '/score',
        method: 'PUT',
        status: '401',
      }),
    ).toBe(3);
    expect(await sample(metrics, 'scoreboard_http_requests_in_flight')).toBe(0);
    const admin = { authorization: `Bearer ${'a'.repeat(32)}` };
    expect((await t.send('PUT', '/boards/live', {}, admin)).status).toBe(201);
    const address = await t.app.listen({ port: 0, host: '127.0.0.1' });
    const stream = await new Promise<IncomingMessage>((resolve, reject) =>
      get(`${address}/boards/live/events`, { agent: false }, resolve).on('error', reject),
    );
    expect(stream.statusCode).toBe(200);
    await vi.waitFor(
      async () => expect(await sample(metrics, 'scoreboard_http_requests_in_flight')).toBe(1),
      { timeout: 5000 },
    );
    stream.destroy();
    await vi.waitFor(
      async () => expect(await sample(metrics, 'scoreboard_http_requests_in_flight')).toBe(0),
      { timeout: 5000 },
    );
  });

  it('is open with keys on, and not rate limited', async () => {
    const t = modelApp({
      adminKey: 'a'.repeat(32),
      rateLimits: { perAddress: 1, burst: 1, clients: 1 },
    });
    apps.push(t);
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await t.send('GET', '/metrics')).status);
    expect(statuses).toEqual([200, 200, 200]);
    expect((await t.send('POST', '/metrics')).status).toBe(405);
  });
});
