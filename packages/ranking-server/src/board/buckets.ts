/**
 * A board's buckets in its live period (`"bucket": {"size": s}`): each player is placed, on their
 * first accepted write of the period, in the bucket being filled — first come, first filled, never
 * balanced by score — and a full bucket makes the next one open. Buckets are numbered from 1 each
 * period. Each bucket keeps the slots of its members that have an entry, best first (the board's
 * order: higher score, then higher sub, then earlier sequence), so a rank inside a bucket is a binary search,
 * O(log s), and never a scan of the board; a member's entry moving costs O(s) (an array splice).
 * Placements are kept by player id: a placed player keeps their bucket while their entry is gone
 * (moderation) and across slot reuse; only the period's end or erasure forgets them.
 *
 * On a board with tiers each bucket belongs to one tier (its first player's): a player is placed in
 * the bucket being filled in their own tier, and a full one opens the next bucket number of the
 * board. Without tiers every bucket is tier 0.
 */
import type { UserId } from '@scoreboard/protocol';

/** A slot's place in its board's order. */
export type KeyOf = (slot: number) => { score: number; seq: number; sub: number } | undefined;

/** The buckets of one board's live period. */
export class Buckets {
  private readonly of = new Map<UserId, number>();
  private readonly sizes = new Map<number, number>();
  private readonly ranked = new Map<number, number[]>();
  /** Each bucket's tier, and the last bucket opened in each tier. */
  private readonly tiers = new Map<number, number>();
  private readonly lastOf = new Map<number, number>();
  private last = 0;

  /** O(1). `keyOf` reads a slot's current key on the board. */
  constructor(private readonly keyOf: KeyOf) {}

  /** O(1). Buckets opened this period (they are numbered 1 … count). */
  get count(): number {
    return this.last;
  }

  /**
   * O(1). Buckets up to `last` were opened this period, and `bucket` was opened in `tier` (a
   * snapshot says so, also of emptied ones).
   */
  opened(last: number, tier = 0, bucket = last): void {
    if (last > this.last) this.last = last;
    if (bucket > 0) this.open(bucket, tier);
  }

  /** O(1). The tier of `bucket` (0 without tiers, or for a bucket not opened). */
  tierOf(bucket: number): number {
    return this.tiers.get(bucket) ?? 0;
  }

  /** O(tiers). The last bucket opened in each tier, as [tier, bucket] pairs (snapshots). */
  lasts(): [number, number][] {
    return [...this.lastOf];
  }

  /** O(1). The bucket a player was placed in this period, if any. */
  bucketOf(user: UserId): number | undefined {
    return this.of.get(user);
  }

  /** O(1). Players placed in `bucket` (with or without an entry now). */
  sizeOf(bucket: number): number {
    return this.sizes.get(bucket) ?? 0;
  }

  /** O(1). The bucket a player of `tier` placed now would go to, buckets holding at most `size`. */
  nextFor(size: number, tier = 0): number {
    const last = this.lastOf.get(tier);
    return last !== undefined && this.sizeOf(last) < size ? last : this.last + 1;
  }

  /**
   * O(s). Places `user` in `bucket` (a record says so: placing them again changes nothing); `slot`
   * is theirs when they hold one, and enters the bucket's ranking if it has an entry.
   */
  assign(user: UserId, bucket: number, slot: number | undefined, tier = 0): void {
    if (this.of.has(user)) return;
    this.of.set(user, bucket);
    this.sizes.set(bucket, this.sizeOf(bucket) + 1);
    if (bucket > this.last) this.last = bucket;
    this.open(bucket, tier);
    if (slot !== undefined) this.enter(user, slot);
  }

  /** O(1). `bucket` belongs to `tier` unless it was opened before. */
  private open(bucket: number, tier: number): void {
    if (this.tiers.has(bucket)) return;
    this.tiers.set(bucket, tier);
    if (bucket > (this.lastOf.get(tier) ?? 0)) this.lastOf.set(tier, bucket);
  }

  /** O(s). The entry of `slot` (player `user`) now stands where keyOf says: it joins its bucket's ranking. */
  enter(user: UserId, slot: number): void {
    const bucket = this.of.get(user);
    const key = this.keyOf(slot);
    if (bucket === undefined || key === undefined) return;
    let list = this.ranked.get(bucket);
    if (!list) this.ranked.set(bucket, (list = []));
    const at = this.search(list, key);
    if (list[at] !== slot) list.splice(at, 0, slot);
  }

  /** O(s). Takes `slot`'s entry out of its bucket's ranking, before its key changes or it goes. */
  leave(user: UserId, slot: number): void {
    const bucket = this.of.get(user);
    const key = this.keyOf(slot);
    const list = bucket === undefined ? undefined : this.ranked.get(bucket);
    if (!list || key === undefined) return;
    const at = this.search(list, key);
    if (list[at] === slot) list.splice(at, 1);
  }

  /** O(s). Forgets a player (erasure): their placement and their entry in the ranking. */
  forget(user: UserId, slot: number | undefined): boolean {
    if (!this.of.has(user)) return false;
    if (slot !== undefined) this.leave(user, slot);
    const bucket = this.of.get(user)!;
    this.of.delete(user);
    this.sizes.set(bucket, this.sizeOf(bucket) - 1);
    return true;
  }

  /** O(players). Forgets every placement: a new period begins. */
  clear(): void {
    this.of.clear();
    this.sizes.clear();
    this.ranked.clear();
    this.tiers.clear();
    this.lastOf.clear();
    this.last = 0;
  }

  /** O(1). The slots of `bucket`'s members that have an entry, best first (do not change it). */
  members(bucket: number): readonly number[] {
    return this.ranked.get(bucket) ?? [];
  }

  /** O(log s). The 1-based rank of `slot` inside its bucket, or undefined when not ranked there. */
  rankOf(user: UserId, slot: number): number | undefined {
    const bucket = this.of.get(user);
    const key = this.keyOf(slot);
    const list = bucket === undefined ? undefined : this.ranked.get(bucket);
    if (!list || key === undefined) return undefined;
    const at = this.search(list, key);
    return list[at] === slot ? at + 1 : undefined;
  }

  /** O(players). Every placement, in the order they were made per bucket, for snapshots. */
  placements(): IterableIterator<[UserId, number]> {
    return this.of.entries();
  }

  /** O(log s). The first index whose key does not rank before `key` (score, then sub, then seq). */
  private search(list: readonly number[], key: { score: number; seq: number; sub: number }): number {
    const { score, seq, sub } = key;
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const k = this.keyOf(list[mid]!)!;
      const ahead = k.score !== score ? k.score > score : k.sub !== sub ? k.sub > sub : k.seq < seq;
      if (ahead) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
