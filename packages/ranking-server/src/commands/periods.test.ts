import { Command, ErrorCode, type Reply } from '@scoreboard/protocol';
import { describe, expect, it } from 'vitest';
import { RankingState } from '../engine/state.js';
import { RankingEngine } from '../engine/engine.js';
import { recordingEngine, requester, silent, TEST_LIMITS } from '../test-support/engine-harness.js';
import { RecordingJournal } from '../test-support/recording-journal.js';

const ok = (reply: Reply): unknown => {
  expect(reply).toMatchObject({ ok: true });
  return (reply as { result: unknown }).result;
};

/** A state rebuilt from `records`, and a sender to it. */
function rebuilt(records: Iterable<unknown>) {
  const state = new RankingState(TEST_LIMITS);
  for (const rec of records) state.replay(rec as never);
  const engine = new RankingEngine({ state, journal: new RecordingJournal(), logger: silent });
  return requester(engine);
}

interface Result {
  user: string;
  rank: number;
  bucket: number;
  tier: string;
  nextTier: string;
  reward: unknown;
}

describe('period results', () => {
  it('are written at the end of a period, bucket by bucket with rewards, paged by cursor, and read back the same after replay and from a snapshot', () => {
    const { engine, journal, state } = recordingEngine();
    const send = requester(engine);
    const gems = { gems: 50 };
    send(Command.BoardPut, {
      board: 'lg',
      bucket: { size: 2 },
      rewards: [
        { ranks: [1, 1], reward: gems },
        { ranks: [2, 3], reward: 'badge' },
      ],
    });
    // ann and bob fill bucket 1, cy and dee bucket 2, eve opens bucket 3.
    for (const [user, total] of [
      ['ann', 5],
      ['bob', 9],
      ['cy', 1],
      ['dee', 2],
      ['eve', 7],
    ] as const)
      ok(send(Command.ScorePut, { board: 'lg', user, total }));
    expect(send(Command.PeriodResults, { board: 'lg', period: 1, limit: 10 })).toMatchObject({
      ok: false,
      error: { code: ErrorCode.PERIOD_NOT_FOUND },
    });
    ok(send(Command.BoardReset, { board: 'lg' }));
    // A later change of the bands does not rewrite a finished period's results.
    ok(send(Command.BoardPut, { board: 'lg', rewards: null }));

    const all = [
      { user: 'bob', rank: 1, total: 9, bucket: 1, tier: null, nextTier: null, reward: gems },
      { user: 'ann', rank: 2, total: 5, bucket: 1, tier: null, nextTier: null, reward: 'badge' },
      { user: 'dee', rank: 1, total: 2, bucket: 2, tier: null, nextTier: null, reward: gems },
      { user: 'cy', rank: 2, total: 1, bucket: 2, tier: null, nextTier: null, reward: 'badge' },
      { user: 'eve', rank: 1, total: 7, bucket: 3, tier: null, nextTier: null, reward: gems },
    ];
    const pages = (sender: typeof send): unknown[] => {
      const out: unknown[] = [];
      let after: string | undefined;
      for (let guard = 0; guard < 10; guard++) {
        const page = ok(
          sender(Command.PeriodResults, { board: 'lg', period: 1, limit: 2, ...(after ? { after } : {}) }),
        ) as {
          results: unknown[];
          next: string | null;
        };
        out.push(...page.results);
        if (page.next === null) return out;
        after = page.next;
      }
      throw new Error('the cursor never ended');
    };
    expect(pages(send)).toEqual(all);
    expect(ok(send(Command.PeriodResult, { board: 'lg', period: 1, user: 'cy' }))).toEqual(all[3]);
    expect(send(Command.PeriodResult, { board: 'lg', period: 1, user: 'zed' })).toMatchObject({
      ok: false,
      error: { code: ErrorCode.USER_NOT_FOUND },
    });

    // The log replayed, and a snapshot loaded, answer the same.
    expect(pages(rebuilt(journal.records))).toEqual(all);
    const source = state.snapshotSource();
    const snap: unknown[] = [];
    for (let r = source.records.next(); !r.done; r = source.records.next()) snap.push(r.value);
    expect(pages(rebuilt(snap))).toEqual(all);

    // A cursor stays right across an erasure: the page after ann's place starts at dee.
    const first = ok(send(Command.PeriodResults, { board: 'lg', period: 1, limit: 2 })) as { next: string };
    ok(send(Command.PlayerDelete, { user: 'dee' }));
    expect(ok(send(Command.PeriodResults, { board: 'lg', period: 1, limit: 2, after: first.next }))).toEqual({
      results: [all[3], all[4]],
      next: null,
    });
  });

  it('rank a board without buckets in its order, with the bands of the moment the period ended', () => {
    const { engine } = recordingEngine();
    const send = requester(engine);
    send(Command.BoardPut, {
      board: 'plain',
      order: 'asc',
      rewards: [{ ranks: [1, 2], reward: { coins: 1 } }],
    });
    for (const [user, total] of [
      ['ann', 30],
      ['bob', 10],
      ['cy', 20],
    ] as const)
      ok(send(Command.ScorePut, { board: 'plain', user, total }));
    ok(send(Command.BoardReset, { board: 'plain' }));
    expect(ok(send(Command.PeriodResults, { board: 'plain', period: 1, limit: 100 }))).toEqual({
      results: [
        { user: 'bob', rank: 1, total: 10, bucket: null, tier: null, nextTier: null, reward: { coins: 1 } },
        { user: 'cy', rank: 2, total: 20, bucket: null, tier: null, nextTier: null, reward: { coins: 1 } },
        { user: 'ann', rank: 3, total: 30, bucket: null, tier: null, nextTier: null, reward: null },
      ],
      next: null,
    });
  });

  it('move the top of each bucket up a tier and the bottom down, place each tier in its own buckets, and keep tiers across restarts', () => {
    const { engine, journal, state } = recordingEngine();
    const send = requester(engine);
    ok(
      send(Command.BoardPut, {
        board: 'lg',
        bucket: { size: 4 },
        tiers: [{ name: 'bronze' }, { name: 'silver', relegate: '50%' }, { name: 'gold' }],
        promote: 1,
        relegate: 1,
      }),
    );
    // Period 1: everyone starts in bronze, one bucket of 4 and one of 2.
    const totals = { a: 60, b: 50, c: 40, d: 30, e: 20, f: 10 };
    for (const [user, total] of Object.entries(totals))
      ok(send(Command.ScorePut, { board: 'lg', user, total }));
    expect(ok(send(Command.BucketOfUser, { board: 'lg', user: 'e' }))).toMatchObject({
      bucket: 2,
      tier: 'bronze',
    });
    ok(send(Command.BoardReset, { board: 'lg' }));
    const one = ok(send(Command.PeriodResults, { board: 'lg', period: 1, limit: 10 })) as {
      results: unknown[];
    };
    // Bronze relegates nobody; the best of each bucket goes up.
    expect(one.results).toEqual([
      { user: 'a', rank: 1, total: 60, bucket: 1, tier: 'bronze', nextTier: 'silver', reward: null },
      { user: 'b', rank: 2, total: 50, bucket: 1, tier: 'bronze', nextTier: 'bronze', reward: null },
      { user: 'c', rank: 3, total: 40, bucket: 1, tier: 'bronze', nextTier: 'bronze', reward: null },
      { user: 'd', rank: 4, total: 30, bucket: 1, tier: 'bronze', nextTier: 'bronze', reward: null },
      { user: 'e', rank: 1, total: 20, bucket: 2, tier: 'bronze', nextTier: 'silver', reward: null },
      { user: 'f', rank: 2, total: 10, bucket: 2, tier: 'bronze', nextTier: 'bronze', reward: null },
    ]);
    // Period 2: a and e play in silver, in a bucket of their own; the others in bronze.
    for (const user of ['b', 'a', 'c', 'e'])
      ok(send(Command.ScorePut, { board: 'lg', user, total: user === 'e' ? 99 : 5 }));
    expect(ok(send(Command.BucketOfUser, { board: 'lg', user: 'a' }))).toMatchObject({
      bucket: 2,
      tier: 'silver',
    });
    expect(ok(send(Command.BucketOfUser, { board: 'lg', user: 'c' }))).toMatchObject({
      bucket: 1,
      tier: 'bronze',
    });
    expect(ok(send(Command.BoardTop, { board: 'lg', n: 1 }))).toEqual([
      { user: 'e', total: 99, rank: 1, bucket: 2, tier: 'silver' },
    ]);
    expect(ok(send(Command.PlayerGet, { user: 'e' }))).toMatchObject({
      boards: { lg: { bucket: 2, tier: 'silver' } },
    });
    ok(send(Command.BoardReset, { board: 'lg' }));
    const two = ok(send(Command.PeriodResults, { board: 'lg', period: 2, limit: 10 })) as {
      results: unknown[];
    };
    // By tier, then bucket: bronze's bucket 1 first; silver's 50% of 2 relegates 1, after 1 promoted.
    expect(two.results).toMatchObject([
      { user: 'b', tier: 'bronze', nextTier: 'silver' },
      { user: 'c', tier: 'bronze', nextTier: 'bronze' },
      { user: 'e', bucket: 2, rank: 1, tier: 'silver', nextTier: 'gold' },
      { user: 'a', bucket: 2, rank: 2, tier: 'silver', nextTier: 'bronze' },
    ]);
    // Period 3 places e in gold, b in silver, a back in bronze: replayed and from a snapshot too.
    const placed = (sender: typeof send) =>
      ['e', 'b', 'a'].map((user) => {
        ok(sender(Command.ScorePut, { board: 'lg', user, total: 1 }));
        return (ok(sender(Command.BucketOfUser, { board: 'lg', user })) as { tier: string }).tier;
      });
    const source = state.snapshotSource();
    const snap: unknown[] = [];
    for (let r = source.records.next(); !r.done; r = source.records.next()) snap.push(r.value);
    expect(placed(rebuilt(journal.records))).toEqual(['gold', 'silver', 'bronze']);
    expect(placed(rebuilt(snap))).toEqual(['gold', 'silver', 'bronze']);
    expect(placed(send)).toEqual(['gold', 'silver', 'bronze']);
  });

  it('refuse tiers without buckets, and tiers named twice', () => {
    const { engine } = recordingEngine();
    const send = requester(engine);
    const tiers = [{ name: 'low' }, { name: 'high' }];
    expect(send(Command.BoardPut, { board: 't', tiers })).toMatchObject({
      ok: false,
      error: { code: ErrorCode.BOARD_INVALID_CONFIG },
    });
    expect(
      send(Command.BoardPut, { board: 't', bucket: { size: 2 }, tiers: [{ name: 'x' }, { name: 'x' }] }),
    ).toMatchObject({
      ok: false,
      error: { code: ErrorCode.BOARD_INVALID_CONFIG },
    });
    expect(send(Command.BoardGet, { board: 't' })).toMatchObject({
      ok: false,
      error: { code: ErrorCode.BOARD_NOT_FOUND },
    });
  });

  it("play the README's weekly league as it says", () => {
    const { engine } = recordingEngine();
    const send = requester(engine);
    ok(
      send(Command.BoardPut, {
        board: 'league',
        reset: { every: 'week' },
        bucket: { size: 3 },
        tiers: [{ name: 'bronze' }, { name: 'silver' }, { name: 'gold' }],
        promote: 1,
        relegate: 1,
        rewards: [{ ranks: [1, 1], reward: { gems: 100 } }],
      }),
    );
    const week = (totals: Record<string, number>) => {
      for (const [user, total] of Object.entries(totals))
        ok(send(Command.ScorePut, { board: 'league', user, total }));
    };
    const brief = (period: number) =>
      (
        ok(send(Command.PeriodResults, { board: 'league', period, limit: 100 })) as { results: Result[] }
      ).results.map(
        (r) => `${r.user} ${r.bucket}/${r.rank} ${r.tier}→${r.nextTier}${r.reward ? ' gems' : ''}`,
      );
    week({ ann: 120, bob: 90, cy: 60, dee: 80, eve: 40 });
    ok(send(Command.BoardReset, { board: 'league' }));
    expect(brief(1)).toEqual([
      'ann 1/1 bronze→silver gems',
      'bob 1/2 bronze→bronze',
      'cy 1/3 bronze→bronze',
      'dee 2/1 bronze→silver gems',
      'eve 2/2 bronze→bronze',
    ]);
    week({ ann: 70, bob: 100, dee: 95, cy: 50, eve: 30 });
    expect(ok(send(Command.BucketOfUser, { board: 'league', user: 'ann' }))).toEqual({
      bucket: 1,
      tier: 'silver',
      entries: [
        { user: 'dee', total: 95, rank: 1, bucket: 1, tier: 'silver' },
        { user: 'ann', total: 70, rank: 2, bucket: 1, tier: 'silver' },
      ],
      rank: 2,
    });
    ok(send(Command.BoardReset, { board: 'league' }));
    expect(brief(2)).toEqual([
      'bob 2/1 bronze→silver gems',
      'cy 2/2 bronze→bronze',
      'eve 2/3 bronze→bronze',
      'dee 1/1 silver→gold gems',
      'ann 1/2 silver→bronze',
    ]);
  });
});
