/**
 * Score metadata through nginx with real processes and two shards: written with scores (one, a
 * batch, the original route), read back on every route that answers entries right after the
 * writes, kept by the run that earned the total, refused when too large (changing nothing), and
 * kept across a restart of the whole system. (That it moves with its board: moves.test.ts.)
 */
import { ErrorCode } from '@scoreboard/protocol';
import { afterAll, describe, expect, it } from 'vitest';
import { http, startCluster, type Cluster } from './harness.js';

let cluster: Cluster | undefined;
afterAll(async () => {
  await cluster?.stop();
});

const meta = (i: number): Record<string, unknown> => ({ replay: `r-${i}`, car: i % 2 ? 'mk2' : 'gt' });

describe('score metadata', () => {
  it('is kept with the run that earned the total, on every read, across a restart', async () => {
    cluster = await startCluster({ clients: 2, nginx: true, shards: 2 });
    let url = cluster.endpoints.url;
    const put = (path: string, body: unknown) => http(`${url}${path}`, { method: 'PUT', body });
    expect((await put('/boards/race', { order: 'asc', operator: 'best', history: 2 })).status).toBe(201);
    expect((await put('/players/p1', { name: 'One', country: 'IE' })).status).toBe(201);

    // 30 players, concurrently through nginx: odd ones with metadata, even ones without.
    await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        put('/boards/race/scores', {
          user: `p${i}`,
          total: 100 + i,
          ...(i % 2 ? { metadata: meta(i) } : {}),
        }).then((r) => expect(r.status).toBe(200)),
      ),
    );
    // A worse run on a `best` board keeps the best run's metadata; a better one replaces it.
    expect(
      (await put('/boards/race/scores', { user: 'p1', total: 150, metadata: { replay: 'worse' } })).status,
    ).toBe(200);
    expect(
      (await put('/boards/race/scores', { user: 'p3', total: 90, metadata: { replay: 'best' } })).status,
    ).toBe(200);
    // Too large, alone or in a batch: a 400 that changes nothing.
    const big = { replay: 'x'.repeat(1100) };
    const refused = await put('/boards/race/scores', { user: 'p5', total: 1, metadata: big });
    expect([refused.status, refused.body.error.code]).toEqual([400, ErrorCode.METADATA_TOO_LARGE]);
    const batch = await http(`${url}/boards/race/scores`, {
      method: 'POST',
      body: {
        scores: [
          { user: 'p7', total: 1 },
          { user: 'p9', total: 1, metadata: big },
        ],
      },
    });
    expect([batch.status, batch.body.error.code]).toEqual([400, ErrorCode.METADATA_TOO_LARGE]);
    expect(batch.body.error.message).toContain('scores[1]');
    const notObject = await put('/boards/race/scores', { user: 'p5', total: 1, metadata: [1] });
    expect([notObject.status, notObject.body.error.code]).toEqual([400, ErrorCode.HTTP_VALIDATION]);

    const check = async (): Promise<void> => {
      const [top, user, around, window] = await Promise.all([
        http(`${url}/boards/race/top/5`),
        http(`${url}/boards/race/users/p1`),
        http(`${url}/boards/race/around/p3?size=1`),
        http(`${url}/boards/race/top/1/1`),
      ]);
      expect(top.body.slice(0, 3)).toEqual([
        { user: 'p3', total: 90, rank: 1, metadata: { replay: 'best' } },
        { user: 'p0', total: 100, rank: 2 },
        { user: 'p1', total: 101, rank: 3, name: 'One', country: 'IE', metadata: meta(1) },
      ]);
      expect(user.body).toMatchObject({ user: 'p1', total: 101, metadata: meta(1) });
      // The best-results history keeps each run's metadata.
      const history = await http(`${url}/boards/race/users/p3/history`);
      expect(history.body).toMatchObject([
        { total: 90, metadata: { replay: 'best' } },
        { total: 103, metadata: meta(3) },
      ]);
      expect(around.body[0]).toEqual({ user: 'p3', total: 90, rank: 1, metadata: { replay: 'best' } });
      expect(window.body[0]).toEqual({ user: 'p3', total: 90, rank: 1, metadata: { replay: 'best' } });
      // The refused writes changed nothing.
      const five = await http(`${url}/boards/race/users/p5`);
      expect(five.body).toMatchObject({ total: 105, metadata: meta(5) });
      expect((await http(`${url}/boards/race/users/p7`)).body).toMatchObject({
        total: 107,
        metadata: meta(7),
      });
    };
    await check();

    // The original routes: metadata on PUT /score, back on GET /top/N; a new total without it drops it.
    expect((await put('/score', { user: 9, total: 900, metadata: { build: '1.2' } })).status).toBe(200);
    expect((await http(`${url}/top/1`)).body).toEqual([{ user: 9, total: 900, metadata: { build: '1.2' } }]);
    expect((await http(`${url}/users/9`)).body).toEqual({
      user: 9,
      total: 900,
      rank: 1,
      metadata: { build: '1.2' },
    });
    expect((await put('/score', { user: 9, score: '+1' })).status).toBe(200);
    expect((await http(`${url}/top/1`)).body).toEqual([{ user: 9, total: 901 }]);
    expect((await http(`${url}/users/9`)).body).toEqual({ user: 9, total: 901, rank: 1 });

    // A restart of the whole system on the same data folder.
    const runDir = cluster.runDir;
    await cluster.stop();
    cluster = await startCluster({ clients: 2, nginx: true, shards: 2, runDir });
    url = cluster.endpoints.url;
    await check();

    // A finished period's rows keep the metadata their entries had when it ended, across a restart.
    expect((await http(`${url}/boards/race/reset`, { method: 'POST' })).status).toBe(200);
    const finished = async () => (await http(`${url}/boards/race/periods/1/top/1`)).body;
    const best = [{ user: 'p3', total: 90, rank: 1, metadata: { replay: 'best' } }];
    expect(await finished()).toEqual(best);
    await cluster.stop();
    cluster = await startCluster({ clients: 2, nginx: true, shards: 2, runDir });
    url = cluster.endpoints.url;
    expect(await finished()).toEqual(best);
  });
});
