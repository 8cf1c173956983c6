/**
 * A finished period's results ("outcomes" here: `results` already names a player's best-results
 * history): one per player who had an entry when the period ended — the rank (inside the bucket on
 * a board with buckets, on the board otherwise), the total, the bucket, the tier played in and the
 * next one, and the reward band that applied. They are written once, when the period ends, in
 * their answer order (tier, then bucket, then rank), with the tier names and reward bands of that
 * moment, so a later change of the board's configuration never rewrites them; replaying the
 * period's end over the same state writes the same ones, and snapshots carry them as they are.
 *
 * On a board with a subscore each result also says its subscore (a column of its own).
 *
 * Storage is columnar (typed arrays and one array of ids): about 30 bytes a result. A result's
 * place in the order it was written is its cursor, so pages stay right across erasures.
 */
import type { PeriodResult, RewardBand, ResultsPage, UserId } from '@scoreboard/protocol';

/** One result as written: tiers and reward as indexes (-1: none), bucket 0 for none. */
export interface OutcomeRow {
  user: UserId;
  total: number;
  /** The subscore (kept only by results of a board with one). */
  subscore?: number;
  rank: number;
  bucket: number;
  tier: number;
  next: number;
  reward: number;
}

/** A run of results as a snapshot holds it, with the names and bands they index. */
export interface OutcomeRun {
  tiers: string[] | null;
  rewards: RewardBand[] | null;
  /** Cursor of each result (its place in the order written, from 1). */
  places: number[];
  users: UserId[];
  totals: number[];
  ranks: number[];
  buckets: number[];
  tierOf: number[];
  nextOf: number[];
  rewardOf: number[];
  /** Each result's subscore, on a board with one (absent before subscores). */
  subscores?: number[];
}

/** The results of one finished period. */
export class Outcomes {
  private users: UserId[] = [];
  private totals = new Float64Array(16);
  private places = new Float64Array(16);
  private ranks = new Int32Array(16);
  private buckets = new Int32Array(16);
  private tierOf = new Int16Array(16);
  private nextOf = new Int16Array(16);
  private rewardOf = new Int16Array(16);
  /** Subscores, on a board with one. */
  private subscores: Float64Array | undefined;
  private index: Map<UserId, number> | undefined;

  /**
   * O(1). `tiers` names the tiers low to high (null: none); `rewards` the bands (null: none);
   * `subscored`: each result keeps its subscore.
   */
  constructor(
    readonly tiers: readonly string[] | null,
    readonly rewards: readonly RewardBand[] | null,
    subscored = false,
  ) {
    if (subscored) this.subscores = new Float64Array(16);
  }

  /** O(1). Results held. */
  get count(): number {
    return this.users.length;
  }

  /** O(1) amortised. Appends a result after those held, at cursor `place` (the next one by default). */
  push(row: OutcomeRow, place = this.lastPlace() + 1): void {
    const i = this.users.length;
    if (i === this.ranks.length) this.grow(i * 2);
    this.users.push(row.user);
    this.totals[i] = row.total;
    this.places[i] = place;
    this.ranks[i] = row.rank;
    this.buckets[i] = row.bucket;
    this.tierOf[i] = row.tier;
    this.nextOf[i] = row.next;
    this.rewardOf[i] = row.reward;
    if (this.subscores) this.subscores[i] = row.subscore ?? 0;
    this.index = undefined;
  }

  /** O(k). Appends a snapshot's run (its names and bands are this period's). */
  append(run: OutcomeRun): void {
    run.users.forEach((user, i) =>
      this.push(
        {
          user,
          total: run.totals[i]!,
          rank: run.ranks[i]!,
          bucket: run.buckets[i]!,
          tier: run.tierOf[i]!,
          next: run.nextOf[i]!,
          reward: run.rewardOf[i]!,
          ...(run.subscores ? { subscore: run.subscores[i]! } : {}),
        },
        run.places[i],
      ),
    );
  }

  /** O(n). The results in runs of `size`, for snapshots (none when there are none). */
  *chunks(size: number): Generator<OutcomeRun> {
    for (let from = 0; from < this.count; from += size) {
      const to = Math.min(this.count, from + size);
      // The chunk's part only: copying a whole column per chunk would be O(n²/size) a snapshot.
      const cols = (a: Float64Array | Int32Array | Int16Array): number[] => Array.from(a.subarray(from, to));
      yield {
        tiers: this.tiers && [...this.tiers],
        rewards: this.rewards && structuredClone([...this.rewards]),
        places: cols(this.places),
        users: this.users.slice(from, to),
        totals: cols(this.totals),
        ranks: cols(this.ranks),
        buckets: cols(this.buckets),
        tierOf: cols(this.tierOf),
        nextOf: cols(this.nextOf),
        rewardOf: cols(this.rewardOf),
        ...(this.subscores ? { subscores: cols(this.subscores) } : {}),
      };
    }
  }

  /** O(1). The result at index `i` as answered. */
  at(i: number): PeriodResult {
    const name = (t: number): string | null =>
      this.tiers === null || t < 0 ? null : (this.tiers[t] ?? null);
    const r = this.rewardOf[i]!;
    return {
      user: this.users[i]!,
      rank: this.ranks[i]!,
      total: this.totals[i]!,
      ...(this.subscores ? { subscore: this.subscores[i]! } : {}),
      bucket: this.buckets[i] === 0 ? null : this.buckets[i]!,
      tier: name(this.tierOf[i]!),
      nextTier: name(this.nextOf[i]!),
      reward: r < 0 || this.rewards === null ? null : structuredClone(this.rewards[r]!.reward),
    };
  }

  /** O(log n + limit). The page of `limit` results after cursor `after` (from the first when absent). */
  page(limit: number, after?: number): ResultsPage {
    const lo = after === undefined ? 0 : this.firstAfter(after);
    const to = Math.min(this.count, lo + limit);
    const results: PeriodResult[] = [];
    for (let i = lo; i < to; i++) results.push(this.at(i));
    return { results, next: to < this.count ? String(this.places[to - 1]!) : null };
  }

  /** O(log n + k). The results with cursors in (after, upTo] (a webhook's batch). */
  between(after: number, upTo: number): PeriodResult[] {
    const out: PeriodResult[] = [];
    for (let i = this.firstAfter(after); i < this.count && this.places[i]! <= upTo; i++) out.push(this.at(i));
    return out;
  }

  /** O(log n). The index of the first result whose cursor is past `after`. */
  private firstAfter(after: number): number {
    let lo = 0;
    let hi = this.count;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.places[mid]! <= after) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** O(1) after an O(n) index built on first use. A player's result, or undefined. */
  of(user: UserId): PeriodResult | undefined {
    if (!this.index) this.index = new Map(this.users.map((u, i) => [u, i]));
    const i = this.index.get(user);
    return i === undefined ? undefined : this.at(i);
  }

  /** O(1) after the index. A player's next tier index (-1 when they have no result). */
  nextTierOf(user: UserId): number {
    if (!this.index) this.index = new Map(this.users.map((u, i) => [u, i]));
    const i = this.index.get(user);
    return i === undefined ? -1 : this.nextOf[i]!;
  }

  /** O(n). Every (player, next tier index) pair, in order. */
  *nextTiers(): Generator<[UserId, number]> {
    for (let i = 0; i < this.count; i++) yield [this.users[i]!, this.nextOf[i]!];
  }

  /** O(n). Removes a player's result (erasure); whether there was one. */
  remove(user: UserId): boolean {
    const i = this.users.indexOf(user);
    if (i < 0) return false;
    this.users.splice(i, 1);
    for (const a of [
      this.totals,
      this.places,
      this.ranks,
      this.buckets,
      this.tierOf,
      this.nextOf,
      this.rewardOf,
      ...(this.subscores ? [this.subscores] : []),
    ])
      a.copyWithin(i, i + 1);
    this.index = undefined;
    return true;
  }

  /** O(1). The cursor of the last result held (0 when none). */
  lastPlace(): number {
    return this.count === 0 ? 0 : this.places[this.count - 1]!;
  }

  /** O(n). Makes room for `size` results. */
  private grow(size: number): void {
    const copy = <T extends Float64Array | Int32Array | Int16Array>(a: T, make: (n: number) => T): T => {
      const b = make(size);
      b.set(a);
      return b;
    };
    this.totals = copy(this.totals, (n) => new Float64Array(n));
    this.places = copy(this.places, (n) => new Float64Array(n));
    this.ranks = copy(this.ranks, (n) => new Int32Array(n));
    this.buckets = copy(this.buckets, (n) => new Int32Array(n));
    this.tierOf = copy(this.tierOf, (n) => new Int16Array(n));
    this.nextOf = copy(this.nextOf, (n) => new Int16Array(n));
    this.rewardOf = copy(this.rewardOf, (n) => new Int16Array(n));
    if (this.subscores) this.subscores = copy(this.subscores, (n) => new Float64Array(n));
  }
}
