/**
 * A board's best-results history: each player's K best results of the live period, best first in
 * the board's order, the earlier first among equals. Every accepted write is a result — also when a
 * `best` board kept an older, better total — and each result has its own sequence number, so
 * adding one read back twice adds it once.
 */
import type { Result } from './archive.js';
import type { Rules } from './rules.js';

/** Each player's best results in a board's live period, by player slot. */
export class BestResults {
  private readonly bySlot = new Map<number, Result[]>();

  /** O(1). Players with results. */
  get size(): number {
    return this.bySlot.size;
  }

  /** O(1). A player's results, best first (empty when none). */
  of(slot: number): readonly Result[] {
    return this.bySlot.get(slot) ?? NONE;
  }

  /**
   * O(keep). Records a result of a player (`at`: when it was submitted; `seq`: its number — one
   * already held is not added again), keeping the `keep` best under `rules`.
   */
  add(slot: number, result: Result, keep: number, rules: Rules): void {
    if (keep === 0) return;
    let list = this.bySlot.get(slot);
    if (!list) this.bySlot.set(slot, (list = []));
    const held = list.find((r) => r.seq === result.seq);
    if (held) {
      // The same result read back again (a snapshot's run, then its RESULT_META): it gains its metadata.
      if (result.metadata !== undefined) held.metadata = result.metadata;
      return;
    }
    let i = list.length;
    while (i > 0 && rules.better(result.total, list[i - 1]!.total)) i--;
    if (i >= keep) return;
    list.splice(i, 0, result);
    if (list.length > keep) list.length = keep;
  }

  /** O(players with results). Keeps at most `keep` results per player (the board's `history` shrank). */
  trim(keep: number): void {
    if (keep === 0) return this.bySlot.clear();
    for (const list of this.bySlot.values()) if (list.length > keep) list.length = keep;
  }

  /** O(1). Forgets a player's results (erasure, or their entry leaving). */
  delete(slot: number): void {
    this.bySlot.delete(slot);
  }

  /** O(1). Forgets every result (the period ended, the board emptied). */
  clear(): void {
    this.bySlot.clear();
  }

  /** O(1) per step. Every player's results. */
  entries(): IterableIterator<[number, Result[]]> {
    return this.bySlot.entries();
  }

  /**
   * O(results). Checks that every list is best first under `rules`, holds each sequence number
   * once, and belongs to a player `onBoard`. Throws naming the fault. For tests.
   */
  checkValid(rules: Rules, onBoard: (slot: number) => boolean): void {
    for (const [slot, list] of this.bySlot) {
      if (!onBoard(slot)) throw new Error(`results of slot ${slot}, which has no entry`);
      for (let i = 1; i < list.length; i++) {
        if (rules.better(list[i]!.total, list[i - 1]!.total))
          throw new Error(`slot ${slot}: results out of order`);
      }
      if (new Set(list.map((r) => r.seq)).size !== list.length)
        throw new Error(`slot ${slot}: a result twice`);
    }
  }
}

const NONE: readonly Result[] = [];
