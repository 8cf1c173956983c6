/**
 * Buckets through nginx with real processes on two shards: 100 players write at once to a board
 * with buckets of 30; every player lands in exactly one bucket, the buckets hold 30, 30, 30 and 10,
 * each bucket's rows are ranked inside it and agree with the player's own view, placements outlive a
 * restart of the whole system, and the period's end writes each bucket's results (read back the
 * same after another restart) and starts everyone over.
 */
import { ErrorCode } from '@scoreboard/protocol';
import { afterAll, describe, expect, it } from 'vitest';
import { http, startCluster, type Cluster } from './harness.js';

let cluster: Cluster | undefined;

afterAll(async () => {
  await cluster?.stop();
});

const PLAYERS = 100;
const SIZE = 30;

interface Row {
  user: string;
  total: number;
  rank: number;
  bucket: number;
  tier?: string;
}

/** Every bucket's rows, and each player's own view, read at once. */
async function readAll(url: string) {
  const tops = await Promise.all(
    [1, 2, 3, 4].map(async (b) => (await http(`${url}/boards/league/buckets/${b}/top/100`)).body as Row[]),
  );
  const views = await Promise.all(
    Array.from({ length: PLAYERS }, (_, i) => http(`${url}/boards/league/buckets/p${i}`)),
  );
  return { tops, views };
}

describe('a board with buckets', () => {
  it('places concurrent writers first come, first filled, ranks inside each bucket, and outlives a restart', async () => {
    cluster = await startCluster({ clients: 2, nginx: true, shards: 2 });
    const runDir = cluster.runDir;
    let url = cluster.endpoints.url;
    expect(
      (
        await http(`${url}/boards/league`, {
          method: 'PUT',
          body: { bucket: { size: SIZE }, rewards: [{ ranks: [1, 1], reward: { gems: 100 } }] },
        })
      ).status,
    ).toBe(201);
    const writes = await Promise.all(
      Array.from({ length: PLAYERS * 2 }, (_, i) =>
        http(`${url}/boards/league/scores`, {
          method: 'PUT',
          body: { user: `p${i % PLAYERS}`, total: (i * 7919) % 1000 },
        }),
      ),
    );
    expect(writes.every((w) => w.status === 200)).toBe(true);

    const check = async (): Promise<string> => {
      const { tops, views } = await readAll(url);
      expect(tops.map((t) => t.length)).toEqual([SIZE, SIZE, SIZE, PLAYERS - 3 * SIZE]);
      const seen = new Set<string>();
      tops.forEach((rows, b) => {
        rows.forEach((row, i) => {
          expect(row).toMatchObject({ bucket: b + 1, rank: i + 1 });
          expect(row).not.toHaveProperty('tier'); // no tiers on this board
          if (i > 0) expect(row.total).toBeLessThanOrEqual(rows[i - 1]!.total);
          expect(seen.has(row.user)).toBe(false);
          seen.add(row.user);
        });
      });
      expect(seen.size).toBe(PLAYERS);
      // The board's own reads say each row's bucket too.
      const bucketOf = new Map(tops.flatMap((rows) => rows.map((r) => [r.user, r.bucket] as const)));
      const board = (await http(`${url}/boards/league/top/${PLAYERS}`)).body as Row[];
      expect(board).toHaveLength(PLAYERS);
      for (const row of board) expect([row.bucket, row.tier]).toEqual([bucketOf.get(row.user), undefined]);
      expect((await http(`${url}/boards/league/users/p3`)).body).toMatchObject({
        bucket: bucketOf.get('p3'),
      });
      for (const [i, view] of views.entries()) {
        expect(view.status).toBe(200);
        const rows = tops[view.body.bucket - 1]!;
        expect(view.body.entries).toEqual(rows);
        expect(rows[view.body.rank - 1]!.user).toBe(`p${i}`);
      }
      return JSON.stringify(tops);
    };
    const before = await check();
    expect(await http(`${url}/boards/league/buckets/5/top/3`)).toMatchObject({
      status: 404,
      body: { error: { code: ErrorCode.BUCKET_NOT_FOUND } },
    });

    // The whole system restarts on the same data folder: the same buckets, the same rows.
    await cluster.stop();
    cluster = await startCluster({ clients: 2, nginx: true, shards: 2, runDir });
    url = cluster.endpoints.url;
    expect(await check()).toBe(before);

    // A newcomer fills the last bucket; then the period ends and everyone starts over.
    expect(
      (await http(`${url}/boards/league/scores`, { method: 'PUT', body: { user: 'late', total: 1 } })).status,
    ).toBe(200);
    expect((await http(`${url}/boards/league/buckets/late`)).body).toMatchObject({ bucket: 4 });
    const last = JSON.parse(before) as Row[][];
    last[3] = (await http(`${url}/boards/league/buckets/4/top/100`)).body as Row[];
    expect((await http(`${url}/boards/league/reset`, { method: 'POST' })).status).toBe(200);

    // Right after the end, the period's results are every bucket's rows, read in pages and one by
    // one at once; the best of each bucket has the reward. A restart reads them back the same.
    const expected = last.flat().map((r) => ({
      user: r.user,
      rank: r.rank,
      total: r.total,
      bucket: r.bucket,
      tier: null,
      nextTier: null,
      reward: r.rank === 1 ? { gems: 100 } : null,
    }));
    const results = async (): Promise<unknown[]> => {
      const out: unknown[] = [];
      const ones = Promise.all(expected.map((r) => http(`${url}/boards/league/periods/1/results/${r.user}`)));
      for (let after: string | null = ''; after !== null;) {
        const page = await http(
          `${url}/boards/league/periods/1/results?limit=40${after ? `&after=${after}` : ''}`,
        );
        expect(page.status).toBe(200);
        out.push(...(page.body.results as unknown[]));
        after = page.body.next as string | null;
      }
      expect((await ones).map((r) => r.body)).toEqual(expected);
      return out;
    };
    expect(await results()).toEqual(expected);
    await cluster.stop();
    cluster = await startCluster({ clients: 2, nginx: true, shards: 2, runDir });
    url = cluster.endpoints.url;
    expect(await results()).toEqual(expected);

    expect(await http(`${url}/boards/league/buckets/p0`)).toMatchObject({
      status: 404,
      body: { error: { code: ErrorCode.USER_NOT_FOUND } },
    });
    expect(
      (await http(`${url}/boards/league/scores`, { method: 'PUT', body: { user: 'p7', total: 5 } })).status,
    ).toBe(200);
    expect((await http(`${url}/boards/league/buckets/p7`)).body).toMatchObject({ bucket: 1, rank: 1 });
  }, 60_000);
});
