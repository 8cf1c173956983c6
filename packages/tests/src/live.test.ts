/**
 * Live boards through nginx: a server-sent event stream sends the top N and a watched player's
 * standing at once, then pushes changes — coalesced, durable, only what changed — as scores are
 * written through other clients; an unknown board is a JSON 404; streams end when the service stops.
 */
import { ErrorCode } from '@scoreboard/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listen as listenAt, type Events } from './events.js';
import { http, startCluster, waitFor, type Cluster } from './harness.js';

let cluster: Cluster;
let url: string;

/** O(1). Opens `path` of the service as an event stream. */
const listen = (path: string): Promise<Events> => listenAt(`${url}${path}`);

const write = (board: string, user: string, total: number) =>
  http(`${url}/boards/${board}/scores`, { method: 'PUT', body: { user, total } });
const tops = (s: Events) =>
  s.events.filter((e) => e.event === 'top').map((e) => e.data as Array<{ user: string }>);
const players = (s: Events) => s.events.filter((e) => e.event === 'player').map((e) => e.data);

beforeAll(async () => {
  cluster = await startCluster({ clients: 2, nginx: true });
  url = cluster.endpoints.url;
  expect((await http(`${url}/boards/live`, { method: 'PUT', body: {} })).status).toBe(201);
}, 60_000);
afterAll(() => cluster?.stop());

describe('GET /boards/:board/events', () => {
  it('sends the top and the watched player at once, then their changes as they happen', async () => {
    const s = await listen('/boards/live/events?n=3&user=ann');
    expect(s.res.statusCode).toBe(200);
    expect(s.res.headers['content-type']).toMatch(/^text\/event-stream/);
    await waitFor(async () => s.events.length === 2, 5000, 'the first two events');
    expect(s.events).toEqual([
      { event: 'top', data: [] },
      { event: 'player', data: null },
    ]);
    // Writes go through nginx to either client; the stream is on one of them.
    for (const [user, total] of [
      ['bob', 30],
      ['cy', 20],
      ['ann', 10],
    ] as const)
      await write('live', user, total);
    await waitFor(
      async () =>
        JSON.stringify(players(s).at(-1)) ===
        JSON.stringify({ user: 'ann', total: 10, rank: 3, count: 3, percentile: 0 }),
      5000,
      "ann's standing",
    );
    await waitFor(async () => tops(s).at(-1)?.length === 3, 5000, 'the top three');
    expect(
      tops(s)
        .at(-1)!
        .map((r) => r.user),
    ).toEqual(['bob', 'cy', 'ann']);
    // A write below the top three leaves the top as it is; ann's rank too, but not her count.
    const before = tops(s).length;
    await write('live', 'dan', 1);
    await waitFor(
      async () => (players(s).at(-1) as { count: number }).count === 4,
      5000,
      'the count of four',
    );
    await new Promise((r) => setTimeout(r, 500));
    expect(tops(s).length).toBe(before);
    expect(players(s).at(-1)).toMatchObject({ rank: 3, count: 4 });
    // ann climbs: both change.
    await write('live', 'ann', 99);
    await waitFor(async () => tops(s).at(-1)?.[0]?.user === 'ann', 5000, 'ann on top');
    expect(players(s).at(-1)).toMatchObject({ user: 'ann', total: 99, rank: 1 });
    s.close();
  });

  it('coalesces a burst of writes into a few updates', async () => {
    const s = await listen('/boards/live/events?n=5');
    await waitFor(async () => s.events.length === 1, 5000, 'the first top');
    await Promise.all(Array.from({ length: 300 }, (_, i) => write('live', `burst-${i}`, 1000 + i)));
    await waitFor(async () => tops(s).at(-1)?.[0]?.user === 'burst-299', 5000, 'the last write on top');
    // At most five notices a second per board: the 300 writes took well under a few seconds.
    expect(tops(s).length).toBeLessThan(40);
    s.close();
  });

  it('answers an unknown board and a bad n with JSON errors, not a stream', async () => {
    const missing = await http(`${url}/boards/nope/events`);
    expect(missing).toMatchObject({ status: 404, body: { error: { code: ErrorCode.BOARD_NOT_FOUND } } });
    const head = await fetch(`${url}/boards/live/events`, {
      method: 'HEAD',
      signal: AbortSignal.timeout(5000),
    });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const bad = await http(`${url}/boards/live/events?n=0`);
    expect(bad).toMatchObject({ status: 400, body: { error: { code: ErrorCode.HTTP_VALIDATION } } });
  });

  it('ends the streams when the service stops', async () => {
    const s = await listen('/boards/live/events');
    await waitFor(async () => s.events.length === 1, 5000, 'the first top');
    const ended = new Promise((r) => s.res.once('close', r));
    await cluster.stop();
    await ended;
  });
});
