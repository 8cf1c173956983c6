/**
 * Tournaments through nginx with real processes on two shards: a board that takes writes only from
 * players who joined (`join`), at most `maxPlayers` of them, each with at most `maxAttempts`
 * accepted writes per period. Under concurrent requests through both clients the caps hold
 * exactly; joins and attempts outlive a restart of the whole system on the same data folder; a
 * period's end gives everyone their attempts back and asks them to join again.
 */
import { ErrorCode } from '@scoreboard/protocol';
import { afterAll, describe, expect, it } from 'vitest';
import { http, startCluster, type Cluster } from './harness.js';

let cluster: Cluster | undefined;

afterAll(async () => {
  await cluster?.stop();
});

const PLAYERS = 30;
const MAX_PLAYERS = 12;
const MAX_ATTEMPTS = 3;

describe('a tournament board', () => {
  it('holds its caps exactly under concurrent requests, outlives a restart, and starts over each period', async () => {
    cluster = await startCluster({ clients: 2, nginx: true, shards: 2 });
    const runDir = cluster.runDir;
    let url = cluster.endpoints.url;
    const boards = ['cup', 'open-cup']; // one with a cap on players, one on attempts only
    expect(
      (
        await http(`${url}/boards/cup`, {
          method: 'PUT',
          body: { join: true, maxPlayers: MAX_PLAYERS, maxAttempts: MAX_ATTEMPTS },
        })
      ).status,
    ).toBe(201);
    expect(
      (await http(`${url}/boards/open-cup`, { method: 'PUT', body: { maxAttempts: MAX_ATTEMPTS } })).status,
    ).toBe(201);

    // 30 players join at once, twice each: exactly 12 are in; the second join of each is a 200.
    const joins = await Promise.all(
      Array.from({ length: PLAYERS * 2 }, (_, i) =>
        http(`${url}/boards/cup/join`, { method: 'POST', body: { user: `p${i % PLAYERS}` } }),
      ),
    );
    const statuses = joins.map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(MAX_PLAYERS);
    expect(statuses.every((s) => [200, 201, 409].includes(s))).toBe(true);
    for (const r of joins.filter((j) => j.status === 409))
      expect(r.body.error.code).toBe(ErrorCode.BOARD_FULL);
    const joined = new Set(joins.filter((r) => r.status === 201).map((r) => r.body.user as string));
    expect((await http(`${url}/boards/cup`)).body).toMatchObject({ players: MAX_PLAYERS, join: true });

    // Every player writes 5 times at once on both boards: the joined get exactly 3 accepted on cup,
    // the others none (403); on open-cup everyone gets exactly 3.
    const writes = await Promise.all(
      boards.flatMap((board) =>
        Array.from({ length: PLAYERS * 5 }, (_, i) =>
          http(`${url}/boards/${board}/scores`, {
            method: 'PUT',
            body: { user: `p${i % PLAYERS}`, total: i },
          }).then((r) => ({ board, user: `p${i % PLAYERS}`, status: r.status, code: r.body?.error?.code })),
        ),
      ),
    );
    for (let p = 0; p < PLAYERS; p++) {
      const user = `p${p}`;
      const mine = (board: string) => writes.filter((w) => w.board === board && w.user === user);
      const cup = mine('cup');
      const accepted = cup.filter((w) => w.status === 200).length;
      expect(accepted, user).toBe(joined.has(user) ? MAX_ATTEMPTS : 0);
      for (const w of cup.filter((x) => x.status !== 200))
        expect(w.code).toBe(joined.has(user) ? ErrorCode.ATTEMPTS_USED : ErrorCode.NOT_JOINED);
      expect(mine('open-cup').filter((w) => w.status === 200).length, user).toBe(MAX_ATTEMPTS);
    }
    expect((await http(`${url}/boards/cup`)).body.count).toBe(MAX_PLAYERS);

    // The whole system restarts on the same data folder: joins and attempts are still there.
    await cluster.stop();
    cluster = await startCluster({ clients: 2, nginx: true, shards: 2, runDir });
    url = cluster.endpoints.url;
    const member = [...joined][0]!;
    expect((await http(`${url}/boards/cup/players/${member}/attempts`)).body).toMatchObject({
      joined: true,
      attempts: MAX_ATTEMPTS,
      remaining: 0,
    });
    expect((await http(`${url}/boards/open-cup/players/p29/attempts`)).body).toMatchObject({
      joined: false,
      attempts: MAX_ATTEMPTS,
    });
    expect((await http(`${url}/boards/cup`)).body).toMatchObject({ players: MAX_PLAYERS });
    expect(
      (await http(`${url}/boards/cup/join`, { method: 'POST', body: { user: 'late' } })).body.error.code,
    ).toBe(ErrorCode.BOARD_FULL);

    // The period ends: nobody is joined, every attempt is back.
    expect((await http(`${url}/boards/cup/reset`, { method: 'POST' })).status).toBe(200);
    const after = await Promise.all([
      http(`${url}/boards/cup/players/${member}/attempts`),
      http(`${url}/boards/cup/scores`, { method: 'PUT', body: { user: member, total: 1 } }),
      http(`${url}/boards/cup`),
    ]);
    expect(after[0].body).toMatchObject({ period: 2, joined: false, attempts: 0 });
    expect(after[1].body.error.code).toBe(ErrorCode.NOT_JOINED);
    expect(after[2].body).toMatchObject({ players: 0, count: 0 });
    expect((await http(`${url}/boards/cup/join`, { method: 'POST', body: { user: 'late' } })).status).toBe(
      201,
    );
  }, 60_000);
});
