/**
 * The player table's map from user id to slot. Integer ids in a dense range — the common case
 * for games that number their players — live in a typed array indexed by the id (4 bytes per id
 * in the range, one memory access per lookup, nothing to rehash); every other id (strings, sparse
 * or negative numbers) lives in a Map. At 10 M players a Map spent half the start-up inserting ids
 * and growing its table; the array is filled in place.
 *
 * The array covers [0, length) and grows by doubling to take an integer id when the id is below
 * four times the number of ids held (plus 64 Ki): the array never costs more than about 16 bytes
 * per id held, and a sparse id goes to the Map. Invariant: an id inside the array's range is never
 * in the Map (ids the Map took are moved when the range grows over them).
 */
import type { UserId } from '@scoreboard/protocol';

/** The array's first length, and the slack of the growth rule. */
const MIN_DENSE = 1 << 16;

/** user id → slot. */
export class IdIndex {
  /** slot + 1 per id (0: none). */
  private dense = new Int32Array(0);
  private denseCount = 0;
  private readonly sparse = new Map<UserId, number>();

  /** O(1). Ids held. */
  get size(): number {
    return this.denseCount + this.sparse.size;
  }

  /** O(1). The slot of `user`, or undefined. */
  get(user: UserId): number | undefined {
    if (typeof user === 'number' && user >= 0 && user < this.dense.length && Number.isInteger(user)) {
      const v = this.dense[user]!;
      return v === 0 ? undefined : v - 1;
    }
    return this.sparse.get(user);
  }

  /** O(1) amortised (O(ids held) when the array grows over ids the Map holds). Sets the slot of `user`. */
  set(user: UserId, slot: number): void {
    if (typeof user === 'number' && user >= 0 && Number.isInteger(user)) {
      if (user >= this.dense.length && user < 4 * this.size + MIN_DENSE) this.grow(user);
      if (user < this.dense.length) {
        if (this.dense[user] === 0) this.denseCount++;
        this.dense[user] = slot + 1;
        return;
      }
    }
    this.sparse.set(user, slot);
  }

  /** O(1). Forgets `user`; answers whether it was held. */
  delete(user: UserId): boolean {
    if (typeof user === 'number' && user >= 0 && user < this.dense.length && Number.isInteger(user)) {
      if (this.dense[user] === 0) return false;
      this.dense[user] = 0;
      this.denseCount--;
      return true;
    }
    return this.sparse.delete(user);
  }

  /** O(range + ids held). Every (id, slot): the array's ids in order, then the Map's. */
  *entries(): Generator<[UserId, number]> {
    const dense = this.dense;
    for (let id = 0; id < dense.length; id++) if (dense[id] !== 0) yield [id, dense[id]! - 1];
    yield* this.sparse;
  }

  /** O(range) once. Makes the array cover ids below `range` (a hint: a snapshot's), so it grows once. */
  reserve(range: number): void {
    if (range > this.dense.length) this.grow(range - 1);
  }

  /** O(1). The ids the array covers now (what {@link reserve} takes back). */
  get range(): number {
    return this.dense.length;
  }

  /** Bytes of the array (for memory figures). */
  byteSize(): number {
    return this.dense.byteLength;
  }

  private grow(user: number): void {
    let length = Math.max(MIN_DENSE, this.dense.length);
    while (length <= user) length *= 2;
    const dense = new Int32Array(length);
    dense.set(this.dense);
    const from = this.dense.length;
    this.dense = dense;
    // Integer ids the Map took while they were out of range now belong to the array.
    for (const [id, slot] of this.sparse) {
      if (typeof id === 'number' && id >= from && id < length && Number.isInteger(id)) {
        this.sparse.delete(id);
        dense[id] = slot + 1;
        this.denseCount++;
      }
    }
  }
}
