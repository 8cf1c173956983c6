/**
 * Moderation through nginx with real processes: `DELETE /boards/:board/users/:user` takes one
 * entry off one board — every client sees it at once, the profile and other boards stay, it needs
 * the admin scope, and it survives a restart of the whole system. The GDPR export. A ban hides a
 * player from every read (a finished period's too), both clients and the live stream at once, and
 * lifting it gives back exactly the reads of before.
 */
import { ErrorCode, shardOf } from '@scoreboard/protocol';
import { afterAll, describe, expect, it } from 'vitest';
import { listen } from './events.js';
import { http, keysOn, startCluster, type Cluster } from './harness.js';

const ADMIN = 'moderation-admin-key-0123456789';
keysOn(ADMIN); // every request below is made with the admin key unless it says otherwise
let cluster: Cluster | undefined;
/** The shard each board is placed on (two shards). */
const BOARDS_ON_SHARDS = (boards: string[]): number[] => boards.map((b) => shardOf(b, 2));

afterAll(async () => {
  await cluster?.stop();
});

describe('moderation: one entry off one board', () => {
  it('is seen by every client at once, leaves the rest, needs admin, and outlives a restart', async () => {
    cluster = await startCluster({ clients: 2, nginx: true, shards: 2 });
    const url = cluster.endpoints.url;
    const boards = ['cup', 'league', 'sprint'];
    for (const board of boards) {
      expect((await http(`${url}/boards/${board}`, { method: 'PUT', body: { order: 'desc' } })).status).toBe(
        201,
      );
    }
    expect(
      (await http(`${url}/players/cheat`, { method: 'PUT', body: { name: 'Cheat', country: 'FR' } })).status,
    ).toBe(201);
    // 40 players on every board, written concurrently; "cheat" is first everywhere.
    await Promise.all(
      boards.flatMap((board) =>
        Array.from({ length: 40 }, (_, i) =>
          http(`${url}/boards/${board}/scores`, {
            method: 'PUT',
            body: { user: i === 0 ? 'cheat' : `p${i}`, total: i === 0 ? 10_000 : 1000 - i },
          }).then((r) => expect(r.status).toBe(200)),
        ),
      ),
    );

    // Without a key: refused, nothing changes.
    const anonymous = await http(`${url}/boards/cup/users/cheat`, {
      method: 'DELETE',
      headers: { authorization: '' },
    });
    expect(anonymous.status).toBe(401);
    expect((await http(`${url}/boards/cup/users/cheat`)).body).toMatchObject({ rank: 1 });

    const removed = await http(`${url}/boards/cup/users/cheat`, { method: 'DELETE' });
    expect(removed.status).toBe(204);
    // Right after: concurrent reads through nginx (both clients) no longer show the player on cup.
    const reads = await Promise.all(
      Array.from({ length: 24 }, (_, i) =>
        i % 3 === 0
          ? http(`${url}/boards/cup/users/cheat`)
          : http(`${url}/boards/cup/top/${i % 2 ? 5 : 100}`),
      ),
    );
    for (const read of reads) {
      if (Array.isArray(read.body)) {
        expect(read.status).toBe(200);
        expect(read.body.map((e: { user: string }) => e.user)).not.toContain('cheat');
        expect(read.body[0]).toMatchObject({ user: 'p1', rank: 1 });
      } else {
        expect(read.status).toBe(404);
        expect(read.body.error.code).toBe(ErrorCode.USER_NOT_FOUND);
      }
    }
    expect((await http(`${url}/boards/cup`)).body).toMatchObject({ count: 39 });
    // Once only: the second removal is a 404; an unknown board is a 404 of its own.
    const again = await http(`${url}/boards/cup/users/cheat`, { method: 'DELETE' });
    expect([again.status, again.body.error.code]).toEqual([404, ErrorCode.USER_NOT_FOUND]);
    const noBoard = await http(`${url}/boards/nope/users/cheat`, { method: 'DELETE' });
    expect([noBoard.status, noBoard.body.error.code]).toEqual([404, ErrorCode.BOARD_NOT_FOUND]);

    const placements = async (): Promise<unknown> => (await http(`${url}/players/cheat`)).body;
    const expected = {
      name: 'Cheat',
      country: 'FR',
      boards: { league: { total: 10_000, rank: 1 }, sprint: { total: 10_000, rank: 1 } },
    };
    expect(await placements()).toMatchObject(expected);
    expect(((await placements()) as { boards: object }).boards).not.toHaveProperty('cup');

    // A restart of the whole system on the same data folder replays the removal.
    const runDir = cluster.runDir;
    await cluster.stop();
    cluster = await startCluster({ clients: 2, nginx: true, shards: 2, runDir });
    const after = cluster.endpoints.url;
    expect((await http(`${after}/boards/cup/users/cheat`)).status).toBe(404);
    expect((await http(`${after}/boards/cup/top/1`)).body).toMatchObject([{ user: 'p1', rank: 1 }]);
    expect((await http(`${after}/players/cheat`)).body).toMatchObject(expected);
  });

  it('exports everything held about a player, from every shard, to an admin only', async () => {
    const url = cluster!.endpoints.url;
    // The boards live on two shards; the player has entries on both, a finished period and results.
    await http(`${url}/boards/season`, { method: 'PUT', body: { history: 2, join: true, maxAttempts: 5 } });
    expect(
      (await http(`${url}/boards/season/join`, { method: 'POST', body: { user: 'cheat' } })).status,
    ).toBe(201);
    for (const total of [7, 9])
      expect(
        (
          await http(`${url}/boards/season/scores`, {
            method: 'PUT',
            body: { user: 'cheat', total, metadata: { run: total } },
          })
        ).status,
      ).toBe(200);
    expect((await http(`${url}/boards/sprint/reset`, { method: 'POST' })).status).toBe(200);

    const anonymous = await http(`${url}/players/cheat/export`, { headers: { authorization: '' } });
    expect(anonymous.status).toBe(401);
    const exported = await http(`${url}/players/cheat/export`);
    expect(exported.status).toBe(200);
    const body = exported.body as {
      user: string;
      profile: unknown;
      boards: Array<{
        board: string;
        entry: unknown;
        history: unknown[];
        joined: boolean;
        attempts: number;
        periods: unknown[];
      }>;
    };
    expect(body).toMatchObject({ user: 'cheat', profile: { name: 'Cheat', country: 'FR', metadata: null } });
    // By board id, across both shards: cup is gone (its entry was removed), sprint's entry is in its
    // finished period now.
    expect(body.boards.map((b) => b.board)).toEqual(['league', 'season', 'sprint']);
    const [league, season, sprint] = body.boards;
    expect(league).toMatchObject({
      entry: { total: 10_000, rank: 1 },
      joined: false,
      attempts: 0,
      periods: [],
    });
    expect(season).toMatchObject({
      entry: { total: 9, metadata: { run: 9 } },
      history: [
        { total: 9, metadata: { run: 9 } },
        { total: 7, metadata: { run: 7 } },
      ],
      joined: true,
      attempts: 2,
    });
    expect(sprint).toMatchObject({
      entry: null,
      periods: [{ period: { id: 1 }, entry: { total: 10_000, rank: 1 } }],
    });
    expect(new Set(BOARDS_ON_SHARDS(body.boards.map((b) => b.board))).size).toBe(2);

    const nobody = await http(`${url}/players/nobody/export`);
    expect([nobody.status, nobody.body.error.code]).toEqual([404, ErrorCode.PLAYER_NOT_FOUND]);
  });

  it('bans a player: gone from every read and rank at once, through every client and the stream, back exactly when lifted', async () => {
    const url = cluster!.endpoints.url;
    const [a, b] = cluster!.endpoints.clients as [string, string];
    await http(`${url}/boards/ranked`, { method: 'PUT', body: { order: 'desc' } });
    await http(`${url}/boards/lg`, { method: 'PUT', body: { bucket: { size: 5 } } });
    await http(`${url}/boards/finale`, { method: 'PUT', body: {} });
    await http(`${url}/players/villain`, { method: 'PUT', body: { name: 'Villain', country: 'FR' } });
    for (let i = 1; i <= 10; i++)
      await http(`${url}/players/q${i}`, { method: 'PUT', body: { country: i % 2 ? 'FR' : 'DE' } });
    // villain leads both boards; ten others follow.
    await Promise.all(
      ['ranked', 'lg', 'finale'].flatMap((board) => [
        http(`${url}/boards/${board}/scores`, { method: 'PUT', body: { user: 'villain', total: 5000 } }),
        ...Array.from({ length: 10 }, (_, i) =>
          http(`${url}/boards/${board}/scores`, {
            method: 'PUT',
            body: { user: `q${i + 1}`, total: 100 * (i + 1) },
          }),
        ),
      ]),
    );
    // finale's period 1 ends with villain on top: a finished period to hide them from.
    expect((await http(`${url}/boards/finale/reset`, { method: 'POST' })).status).toBe(200);
    /** Every read a board answers about its players, from one client. */
    const reads = async (base: string) => {
      const get = async (path: string) => {
        const r = await http(`${base}${path}`);
        return [r.status, r.body] as const;
      };
      return {
        top: await get('/boards/ranked/top/20'),
        window: await get('/boards/ranked/top/1/2'),
        standing: await get('/boards/ranked/users/q3'),
        around: await get('/boards/ranked/around/q3?size=2'),
        banned: await get('/boards/ranked/users/villain'),
        friends: await get('/boards/ranked/users?ids=villain,q1,q2'),
        country: await get('/boards/ranked/countries/FR/top/10'),
        countries: await get('/boards/ranked/countries'),
        range: await get('/boards/ranked/range?min=0&max=10000'),
        count: await get('/boards/ranked/count'),
        percentile: await get('/boards/ranked/count?total=350'),
        bucketTop: await get('/boards/lg/buckets/1/top/10'),
        bucketOfQ1: await get('/boards/lg/buckets/q1'),
        lgTop: await get('/boards/lg/top/20'),
        finishedTop: await get('/boards/finale/periods/1/top/20?rank=dense'),
        finishedUser: await get('/boards/finale/periods/1/users/q3'),
        finishedAround: await get('/boards/finale/periods/1/around/q9?size=1'),
        finishedBanned: await get('/boards/finale/periods/1/users/villain'),
        periods: await get('/boards/finale/periods'),
      };
    };
    const before = await reads(a);
    expect(before.banned[0]).toBe(200);
    const stream = await listen(`${url}/boards/ranked/events?n=3`);
    const tops = () =>
      stream.events.filter((e) => e.event === 'top').map((e) => e.data as Array<{ user: string }>);
    try {
      const shown = () =>
        tops()
          .at(-1)
          ?.some((r) => r.user === 'villain');
      await expect.poll(shown, { timeout: 5000 }).toBe(true);

      const ban = await http(`${url}/players/villain/ban`, {
        method: 'PUT',
        body: { reason: 'impossible scores' },
      });
      expect(ban).toMatchObject({ status: 200, body: { user: 'villain', reason: 'impossible scores' } });
      // At once, from both clients: nothing shows villain, and everyone ranks as if absent.
      const [fromA, fromB] = await Promise.all([reads(a), reads(b)]);
      expect(fromB).toEqual(fromA);
      const text = JSON.stringify(fromA);
      expect(text).not.toContain('villain');
      expect(fromA.banned[0]).toBe(404);
      expect(fromA.finishedBanned[0]).toBe(404);
      expect(fromA.finishedUser[1]).toMatchObject({ count: 10, rank: 8 });
      expect(fromA.periods[1]).toContainEqual(expect.objectContaining({ id: 1, count: 10 }));
      expect((fromA.top[1] as Array<{ user: string; rank: number }>).map((r) => r.rank)).toEqual(
        Array.from({ length: 10 }, (_, i) => i + 1),
      );
      expect(fromA.count[1]).toMatchObject({ count: 10 });
      // 350 would stand behind q10…q4 (7 of 10), as if villain were absent: percentile 30.
      expect(fromA.percentile[1]).toMatchObject({ count: 10, atLeast: 7, percentile: 30 });
      expect(fromA.standing[1]).toMatchObject({
        count: 10,
        rank: (before.standing[1] as { rank: number }).rank - 1,
      });
      expect(fromA.countries[1]).toContainEqual({ country: 'FR', count: 5 });
      expect(fromA.bucketOfQ1[1]).toMatchObject({ rank: expect.any(Number) });
      await expect.poll(shown, { timeout: 5000 }).toBe(false);

      // The ban shows to an admin key only.
      expect((await http(`${url}/players/villain`)).body).toMatchObject({
        ban: { reason: 'impossible scores' },
      });
      const reader = await http(`${url}/keys`, {
        method: 'POST',
        body: { name: 'mod-reader', scopes: ['read'] },
      });
      const asReader = await http(`${url}/players/villain`, {
        headers: { authorization: `Bearer ${reader.body.secret}` },
      });
      expect(asReader.status).toBe(200);
      expect(asReader.body).not.toHaveProperty('ban');
      expect(
        (await http(`${url}/players/villain`, { headers: { authorization: '' } })).body,
      ).not.toHaveProperty('ban');

      // A banned player's write is accepted (BAN_WRITES=accept) and stays hidden.
      const write = await http(`${url}/boards/ranked/scores`, {
        method: 'PUT',
        body: { user: 'villain', total: 5000 },
      });
      expect(write).toMatchObject({ status: 200, body: { user: 'villain', total: 5000, rank: 1 } });
      expect(JSON.stringify((await http(`${url}/boards/ranked/top/20`)).body)).not.toContain('villain');

      // Lifted: every read answers exactly as before the ban, the stream shows villain again.
      expect((await http(`${url}/players/villain/ban`, { method: 'DELETE' })).status).toBe(204);
      const [afterA, afterB] = await Promise.all([reads(a), reads(b)]);
      expect(afterA).toEqual(before);
      expect(afterB).toEqual(before);
      await expect.poll(shown, { timeout: 5000 }).toBe(true);
      const again = await http(`${url}/players/villain/ban`, { method: 'DELETE' });
      expect([again.status, again.body.error.code]).toEqual([404, ErrorCode.BAN_NOT_FOUND]);
      expect((await http(`${url}/players/villain`)).body).not.toHaveProperty('ban');
    } finally {
      stream.close();
    }
  }, 60_000);
});
