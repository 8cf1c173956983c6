/**
 * A board's index from player slot to skip-list node. A board that holds few of the players keeps a
 * `Map` (about 40 bytes an entry, nothing for players elsewhere); once it holds one in eight of
 * the player slots it moves to an `Int32Array` over every slot (4 bytes a slot, no hashing), which
 * is what a big board — the default one, a season's — wants.
 */

/** Player slot → node, sparse or dense by how full the board is. */
export class SlotIndex {
  private map: Map<number, number> | undefined = new Map();
  /** Node + 1 per slot (0: none), once dense. */
  private dense: Int32Array | undefined;
  private count = 0;

  /** O(1). `capacity()` is the player table's slot count, read when deciding to go dense. */
  constructor(private readonly capacity: () => number) {}

  /** O(1). Entries held. */
  get size(): number {
    return this.count;
  }

  /** O(1). The node of a slot, if held. */
  get(slot: number): number | undefined {
    if (this.map) return this.map.get(slot);
    const v = slot < this.dense!.length ? this.dense![slot]! : 0;
    return v === 0 ? undefined : v - 1;
  }

  /** O(1). True when the slot is held. */
  has(slot: number): boolean {
    return this.get(slot) !== undefined;
  }

  /** O(1) amortised (O(capacity) once, when going dense). Sets a slot's node. */
  set(slot: number, node: number): void {
    if (this.map) {
      if (!this.map.has(slot)) this.count++;
      this.map.set(slot, node);
      if (this.count * 8 >= this.capacity() && this.count >= 64) this.goDense();
      return;
    }
    let dense = this.dense!;
    if (slot >= dense.length) dense = this.grow(slot + 1);
    if (dense[slot] === 0) this.count++;
    dense[slot] = node + 1;
  }

  /** O(1). Removes a slot; answers whether it was held. */
  delete(slot: number): boolean {
    if (this.map) {
      const had = this.map.delete(slot);
      if (had) this.count--;
      return had;
    }
    const dense = this.dense!;
    if (slot >= dense.length || dense[slot] === 0) return false;
    dense[slot] = 0;
    this.count--;
    return true;
  }

  /** O(n) sparse, O(capacity) dense. Every (slot, node); live while entries are added or removed. */
  *entries(): Generator<[number, number]> {
    if (this.map) {
      yield* this.map;
      return;
    }
    for (let slot = 0; slot < this.dense!.length; slot++) {
      const v = this.dense![slot]!;
      if (v !== 0) yield [slot, v - 1];
    }
  }

  /**
   * O(capacity) once. Goes dense now when `entries` (a hint of the size to come) will pass the
   * threshold anyway, so a board being loaded never fills a Map first.
   */
  reserve(entries: number): void {
    if (this.map && entries * 8 >= this.capacity() && entries >= 64) this.goDense();
  }

  /** O(1). Empties the index (back to a Map). */
  clear(): void {
    this.map = new Map();
    this.dense = undefined;
    this.count = 0;
  }

  private goDense(): void {
    const dense = new Int32Array(Math.max(1024, this.capacity()));
    for (const [slot, node] of this.map!) {
      if (slot >= dense.length) throw new Error(`slot ${slot} past the player table`);
      dense[slot] = node + 1;
    }
    this.dense = dense;
    this.map = undefined;
  }

  private grow(min: number): Int32Array {
    const next = new Int32Array(Math.max(min, this.dense!.length * 2));
    next.set(this.dense!);
    this.dense = next;
    return next;
  }
}
