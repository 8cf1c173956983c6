/**
 * Token buckets by id (a client address, a key's name): each holds up to `burst` tokens, refilled
 * at `rate` per second; a request takes one. Bounded: past `maxIds` ids the one used longest ago
 * is dropped (it was full, or nearly: forgetting it only forgives a little).
 */

/** One bucket: tokens as of `at` (ms). */
interface Bucket {
  tokens: number;
  at: number;
}

/** Buckets by id. */
export class TokenBuckets {
  private readonly buckets = new Map<string, Bucket>();

  /** O(1). At most `maxIds` buckets are kept. */
  constructor(private readonly maxIds = 100_000) {}

  /** O(1). Ids held. */
  get size(): number {
    return this.buckets.size;
  }

  /**
   * O(1) amortised. Takes a token from `id`'s bucket at `now` (ms): answers 0 when it had one, else
   * the seconds (≥ 1, rounded up) until it will.
   */
  take(id: string, rate: number, burst: number, now: number): number {
    let b = this.buckets.get(id);
    if (b) {
      this.buckets.delete(id); // re-inserted below: the map stays in order of last use
      b.tokens = Math.min(burst, b.tokens + ((now - b.at) / 1000) * rate);
      b.at = now;
    } else {
      b = { tokens: burst, at: now };
      if (this.buckets.size >= this.maxIds) this.buckets.delete(this.buckets.keys().next().value!);
    }
    this.buckets.set(id, b);
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil((1 - b.tokens) / rate));
  }
}
