/**
 * Moderation through nginx with real processes: `DELETE /boards/:board/users/:user` takes one
 * entry off one board — every client sees it at once, the profile and other boards stay, it needs
 * the admin scope, and it survives a restart of the whole system.
 */
import { ErrorCode } from '@scoreboard/protocol';
import { afterAll, describe, expect, it } from 'vitest';
import { http, keysOn, startCluster, type Cluster } from './harness.js';

const ADMIN = 'moderation-admin-key-0123456789';
keysOn(ADMIN); // every request below is made with the admin key unless it says otherwise
let cluster: Cluster | undefined;

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
});
