/**
 * Subscores through nginx with real processes and two shards: concurrent writes order by total,
 * then by subscore in its own direction; `standard` and `dense` ranks tie only on both; a `best`
 * board keeps the better pair; a relative write adds its subscore; bad subscores are JSON errors
 * that change nothing; and the order survives a restart of the whole system and a period's end.
 */
import { ErrorCode } from '@scoreboard/protocol';
import { afterAll, describe, expect, it } from 'vitest';
import { http, startCluster, type Cluster } from './harness.js';

let cluster: Cluster | undefined;
afterAll(async () => {
  await cluster?.stop();
});

interface Row {
  user: string;
  total: number;
  subscore?: number;
  rank: number;
}

/** 60 players: totals 0–3 (desc), subscores −5…5 (asc), so many share a total and some share both. */
const PLAYERS = Array.from({ length: 60 }, (_, i) => ({
  user: `p${i}`,
  total: i % 4,
  subscore: ((i * 37) % 11) - 5,
}));

/** The rank each player should have in a style, by counting (ties: equal total and subscore). */
function expectedRanks(style: 'standard' | 'dense'): Map<string, number> {
  const ahead = (a: (typeof PLAYERS)[number], b: (typeof PLAYERS)[number]): boolean =>
    a.total > b.total || (a.total === b.total && a.subscore < b.subscore);
  const ranks = new Map<string, number>();
  for (const p of PLAYERS) {
    const better = PLAYERS.filter((q) => ahead(q, p));
    const rank =
      style === 'standard' ? better.length : new Set(better.map((q) => `${q.total}/${q.subscore}`)).size;
    ranks.set(p.user, rank + 1);
  }
  return ranks;
}

describe('subscores', () => {
  it('order equal totals, tie ranks only on both, refuse bad input, and outlive a restart', async () => {
    cluster = await startCluster({ clients: 2, nginx: true, shards: 2 });
    let url = cluster.endpoints.url;
    const put = (path: string, body: unknown) => http(`${url}${path}`, { method: 'PUT', body });
    const created = await put('/boards/speedrun', { subscore: { order: 'asc' } });
    expect([created.status, created.body.subscore]).toEqual([201, { order: 'asc' }]);
    expect((await put('/boards/trial', { operator: 'best', subscore: { order: 'desc' } })).status).toBe(201);
    expect((await put('/boards/plain', {})).body.subscore).toBeNull();

    // Every player at once, through nginx and both clients; each write answers its subscore.
    const writes = await Promise.all(PLAYERS.map((p) => put('/boards/speedrun/scores', p)));
    for (const [i, w] of writes.entries()) {
      expect(w.status).toBe(200);
      expect(w.body).toMatchObject({
        user: PLAYERS[i]!.user,
        total: PLAYERS[i]!.total,
        subscore: PLAYERS[i]!.subscore,
      });
    }

    const reads = async (): Promise<Record<string, unknown>> => {
      const [ordinal, standard, dense, around, one] = await Promise.all([
        http(`${url}/boards/speedrun/top/100`),
        http(`${url}/boards/speedrun/top/100?rank=standard`),
        http(`${url}/boards/speedrun/top/100?rank=dense`),
        http(`${url}/boards/speedrun/around/p7?size=2&rank=dense`),
        http(`${url}/boards/speedrun/users/p7?rank=standard`),
      ]);
      return {
        ordinal: ordinal.body,
        standard: standard.body,
        dense: dense.body,
        around: around.body,
        one: one.body,
      };
    };
    const check = async (): Promise<Record<string, unknown>> => {
      const got = await reads();
      const ordinal = got['ordinal'] as Row[];
      expect(ordinal).toHaveLength(60);
      // Best first: higher total, then lower subscore; ordinal ranks 1…60.
      for (let i = 1; i < ordinal.length; i++) {
        const [a, b] = [ordinal[i - 1]!, ordinal[i]!];
        expect(
          a.total > b.total || (a.total === b.total && a.subscore! <= b.subscore!),
          `${a.user} before ${b.user}`,
        ).toBe(true);
        expect(b.rank).toBe(i + 1);
      }
      for (const style of ['standard', 'dense'] as const) {
        const want = expectedRanks(style);
        for (const row of got[style] as Row[])
          expect(row.rank, `${style} ${row.user}`).toBe(want.get(row.user));
      }
      expect((got['one'] as Row).rank).toBe(expectedRanks('standard').get('p7'));
      for (const row of got['around'] as Row[]) expect(row.rank).toBe(expectedRanks('dense').get(row.user));
      return got;
    };
    const before = await check();

    // A `best` board keeps the better pair: a worse subscore on the same total, an equal pair and
    // a worse total stay out; a better subscore on the same total comes in.
    const trial = (total: number, subscore: number) =>
      put('/boards/trial/scores', { user: 'ann', total, subscore });
    expect((await trial(10, 5)).body).toEqual({ user: 'ann', total: 10, subscore: 5, rank: 1 });
    expect((await trial(10, 3)).body).toMatchObject({ total: 10, subscore: 5 });
    expect((await trial(9, 100)).body).toMatchObject({ total: 10, subscore: 5 });
    expect((await trial(10, 7)).body).toMatchObject({ total: 10, subscore: 7 });
    expect((await put('/boards/trial/scores', { user: 'bob', total: 10, subscore: 7 })).body).toMatchObject({
      rank: 2, // the same pair, later
    });
    const tied = await http(`${url}/boards/trial/top/2?rank=standard`);
    expect(tied.body.map((r: Row) => [r.user, r.rank])).toEqual([
      ['ann', 1],
      ['bob', 1],
    ]);

    // A relative write adds its subscore, like the score; without one it adds nothing.
    const rel = await put('/boards/speedrun/scores', { user: 'x', score: '+2', subscore: -3 });
    expect(rel.body).toMatchObject({ user: 'x', total: 2, subscore: -3 });
    expect(
      (await put('/boards/speedrun/scores', { user: 'x', score: '+1', subscore: -1 })).body,
    ).toMatchObject({
      total: 3,
      subscore: -4,
    });
    expect((await put('/boards/speedrun/scores', { user: 'x', score: '+1' })).body).toMatchObject({
      total: 4,
      subscore: -4,
    });
    expect((await http(`${url}/boards/speedrun/users/x`, { method: 'DELETE' })).status).toBe(204);

    // Bad input: a JSON error each, and nothing changes.
    const refused = async (path: string, body: unknown, status: number, code: string, method = 'PUT') => {
      const r = await http(`${url}${path}`, { method, body });
      expect([r.status, r.body.error?.code], JSON.stringify(body)).toEqual([status, code]);
    };
    await refused(
      '/boards/plain/scores',
      { user: 'p1', total: 1, subscore: 1 },
      400,
      ErrorCode.SUBSCORE_NOT_ALLOWED,
    );
    await refused('/score', { user: 'p1', total: 1, subscore: 1 }, 400, ErrorCode.SUBSCORE_NOT_ALLOWED);
    await refused(
      '/boards/speedrun/scores',
      { user: 'p1', total: 1, subscore: 2 ** 53 },
      400,
      ErrorCode.HTTP_VALIDATION,
    );
    await refused(
      '/boards/speedrun/scores',
      { user: 'p1', total: 1, subscore: 1.5 },
      400,
      ErrorCode.HTTP_VALIDATION,
    );
    await refused(
      '/boards/speedrun/scores',
      { user: 'p1', total: 1, subscore: { x: 1 } },
      400,
      ErrorCode.HTTP_VALIDATION,
    );
    await refused(
      '/boards/speedrun/scores',
      { user: 'p2', score: '+0', subscore: 2 ** 53 - 1 },
      422,
      ErrorCode.SCORE_OUT_OF_RANGE,
    );
    const batch = {
      scores: [
        { user: 'p1', total: 3, subscore: -5 },
        { user: 'p2', total: 1, subscore: 'x' },
      ],
    };
    await refused('/boards/speedrun/scores', batch, 400, ErrorCode.HTTP_VALIDATION, 'POST');
    const onPlain = {
      scores: [
        { user: 'p1', total: 3 },
        { user: 'p2', total: 1, subscore: 2 },
      ],
    };
    await refused('/boards/plain/scores', onPlain, 400, ErrorCode.SUBSCORE_NOT_ALLOWED, 'POST');
    expect((await http(`${url}/boards/plain`)).body.count).toBe(0);
    // A board with entries keeps its subscore; a new board may not configure a bad one.
    await refused('/boards/speedrun', { subscore: null }, 409, ErrorCode.BOARD_CONFLICT);
    await refused('/boards/speedrun', { subscore: { order: 'desc' } }, 409, ErrorCode.BOARD_CONFLICT);
    await refused('/boards/other', { subscore: { order: 'up' } }, 400, ErrorCode.HTTP_VALIDATION);
    expect(await reads()).toEqual(before);

    // A restart of the whole system on the same data folder: the same answers.
    const runDir = cluster.runDir;
    await cluster.stop();
    cluster = await startCluster({ clients: 2, nginx: true, shards: 2, runDir });
    url = cluster.endpoints.url;
    expect(await check()).toEqual(before);

    // The period's end: the finished period ranks the same way, and says each subscore.
    expect((await http(`${url}/boards/speedrun/reset`, { method: 'POST' })).status).toBe(200);
    const finished = await http(`${url}/boards/speedrun/periods/1/top/100?rank=dense`);
    expect(finished.body).toEqual(before['dense']);
    // Its results say each subscore, in the same order, ranked by ordinal.
    const results = await http(`${url}/boards/speedrun/periods/1/results?limit=100`);
    expect(results.body.results.map((r: Row) => [r.user, r.total, r.subscore, r.rank])).toEqual(
      (before['ordinal'] as Row[]).map((r) => [r.user, r.total, r.subscore, r.rank]),
    );
  });
});
