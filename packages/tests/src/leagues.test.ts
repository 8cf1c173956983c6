/**
 * The README's weekly league, played through nginx on two shards with real processes: three tiers,
 * buckets of 10, the top and bottom 20% moving, a reward for each bucket's winner. 25 players write
 * at once; the week ends; the results promote the best of each bucket; the next week places each
 * tier in its own buckets, every read says the tier, a restart of the whole system changes nothing,
 * and the second week's results move players up to gold and back down to bronze.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { http, startCluster, type Cluster } from './harness.js';

let cluster: Cluster | undefined;

afterAll(async () => {
  await cluster?.stop();
});

interface Result {
  user: string;
  rank: number;
  total: number;
  bucket: number;
  tier: string;
  nextTier: string;
  reward: unknown;
}

const PLAYERS = Array.from({ length: 25 }, (_, i) => `p${i}`);

/** Every result of a period, page by page (pages of 7), with each player's own read at once. */
async function resultsOf(url: string, period: number): Promise<Result[]> {
  const ones = Promise.all(PLAYERS.map((p) => http(`${url}/boards/league/periods/${period}/results/${p}`)));
  const out: Result[] = [];
  for (let after: string | null = ''; after !== null;) {
    const page = await http(
      `${url}/boards/league/periods/${period}/results?limit=7${after ? `&after=${after}` : ''}`,
    );
    expect(page.status).toBe(200);
    out.push(...(page.body.results as Result[]));
    after = page.body.next as string | null;
  }
  const mine = await ones;
  expect(mine.map((r) => r.status)).toEqual(PLAYERS.map(() => 200));
  expect(new Map(mine.map((r) => [r.body.user, r.body]))).toEqual(new Map(out.map((r) => [r.user, r])));
  return out;
}

/** Everyone writes at once; answers each player's bucket view. */
async function playWeek(url: string, totalOf: (i: number) => number) {
  const writes = await Promise.all(
    PLAYERS.map((user, i) =>
      http(`${url}/boards/league/scores`, { method: 'PUT', body: { user, total: totalOf(i) } }),
    ),
  );
  expect(writes.map((w) => w.status)).toEqual(PLAYERS.map(() => 200));
}

/** Each player's bucket and tier, read at once. */
async function placements(url: string): Promise<Map<string, { bucket: number; tier: string }>> {
  const views = await Promise.all(PLAYERS.map((p) => http(`${url}/boards/league/buckets/${p}`)));
  return new Map(views.map((v, i) => [PLAYERS[i]!, { bucket: v.body.bucket, tier: v.body.tier }]));
}

describe('a weekly league with three tiers', () => {
  it('promotes and relegates through two weeks, with the same answers after a restart', async () => {
    cluster = await startCluster({ clients: 2, nginx: true, shards: 2 });
    const runDir = cluster.runDir;
    let url = cluster.endpoints.url;
    const made = await http(`${url}/boards/league`, {
      method: 'PUT',
      body: {
        reset: { every: 'week' },
        bucket: { size: 10 },
        tiers: [{ name: 'bronze' }, { name: 'silver' }, { name: 'gold' }],
        promote: '20%',
        relegate: '20%',
        rewards: [{ ranks: [1, 1], reward: { gems: 100 } }],
      },
    });
    expect(made.status).toBe(201);

    // Week 1: everyone in bronze, buckets of 10, 10 and 5 (first come, first filled).
    await playWeek(url, (i) => 1000 - i * 7);
    const week1 = await placements(url);
    expect([...week1.values()].every((p) => p.tier === 'bronze')).toBe(true);
    const sizes = [1, 2, 3].map((b) => [...week1.values()].filter((p) => p.bucket === b).length);
    expect(sizes).toEqual([10, 10, 5]);
    expect((await http(`${url}/boards/league/reset`, { method: 'POST' })).status).toBe(200);

    // Its results: by bucket, then rank; 20% of 10 is 2, of 5 is 1; bronze relegates nobody.
    const one = await resultsOf(url, 1);
    expect(one).toHaveLength(25);
    expect(one.map((r) => r.bucket)).toEqual([...one.map((r) => r.bucket)].sort((a, b) => a - b));
    for (const r of one) {
      expect(r.tier).toBe('bronze');
      expect(r.nextTier).toBe(r.rank <= (r.bucket === 3 ? 1 : 2) ? 'silver' : 'bronze');
      expect(r.reward).toEqual(r.rank === 1 ? { gems: 100 } : null);
    }
    const silver = new Set(one.filter((r) => r.nextTier === 'silver').map((r) => r.user));
    expect(silver.size).toBe(5);

    // Week 2: the five promoted play in a silver bucket of their own; every read says the tier.
    await playWeek(url, (i) => 10 + i);
    const week2 = await placements(url);
    for (const [user, p] of week2) expect(p.tier).toBe(silver.has(user) ? 'silver' : 'bronze');
    const silverBuckets = new Set([...week2].filter(([u]) => silver.has(u)).map(([, p]) => p.bucket));
    expect(silverBuckets.size).toBe(1);
    const top = (await http(`${url}/boards/league/top/25`)).body as Array<{ user: string; tier: string }>;
    expect(top.map((r) => [r.user, r.tier])).toEqual(top.map((r) => [r.user, week2.get(r.user)!.tier]));
    const someone = [...silver][0]!;
    expect((await http(`${url}/players/${someone}`)).body).toMatchObject({
      boards: { league: { tier: 'silver', bucket: [...silverBuckets][0] } },
    });

    // The whole system restarts on the same data folder mid-week: the same placements.
    await cluster.stop();
    cluster = await startCluster({ clients: 2, nginx: true, shards: 2, runDir });
    url = cluster.endpoints.url;
    expect(await placements(url)).toEqual(week2);
    expect(await resultsOf(url, 1)).toEqual(one);

    expect((await http(`${url}/boards/league/reset`, { method: 'POST' })).status).toBe(200);
    const two = await resultsOf(url, 2);
    // The silver bucket of 5 (not full): 20% is 1 up to gold and 1 down to bronze; it comes after
    // bronze's buckets (by tier).
    const silverResults = two.filter((r) => r.tier === 'silver');
    expect(silverResults.map((r) => r.nextTier)).toEqual(['gold', 'silver', 'silver', 'silver', 'bronze']);
    expect(two.slice(-5)).toEqual(silverResults);
    expect(two.filter((r) => r.nextTier === 'silver' && r.tier === 'bronze')).toHaveLength(4);
  }, 90_000);
});
