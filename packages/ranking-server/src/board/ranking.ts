/**
 * A ranking: one ordering of players by (score, seq) — a board's, or one country's within it —
 * that answers ranks in three styles.
 *
 * - ordinal: the position (1234): every entry its own rank; ties go to who reached the total first;
 * - standard: equal totals share the rank of the first of them (1224): how many scores are
 *   strictly better, plus one — one descent of the skip list;
 * - dense: equal totals share a rank and the next total takes the next one (1223): the score's
 *   position among the distinct scores, kept in a second skip list of distinct scores with their
 *   counts. That index costs about as much as the ranking itself in
 *   memory and in every write, and few boards are ever read in dense ranks, so it is built on the
 *   first dense read — in one pass over the ranking, with no searches (bulkLoad) — and kept up to
 *   date by every write after that (O(log d), d distinct scores).
 * Scores are what the skip list orders (higher first); the board maps totals to scores. A ranking
 * with subscores orders (score, sub) and its standard and dense ranks treat entries as equal only
 * when both are.
 */
import { RANK_STYLES, type RankStyle } from '@scoreboard/protocol';
import { SkipList, type RandomSource } from './skip-list.js';

export { RANK_STYLES, type RankStyle };

/**
 * Distinct scores — (score, sub) pairs with subscores — with how many entries hold each, in a skip
 * list of their own (a node's slot is the count): the dense rank of a score is its node's rank,
 * O(log d). A score's node is found by a descent rather than a hash map, which would cost more
 * memory than the list itself.
 */
class DistinctScores {
  private readonly list: SkipList;

  /** O(n). The distinct scores of `entries`, built in one pass. */
  constructor(entries: SkipList, random: RandomSource | undefined) {
    const scores: number[] = [];
    const subs: number[] = [];
    const counts: number[] = [];
    for (let n = entries.next(0); n !== 0; n = entries.next(n)) {
      const score = entries.scoreOf(n);
      const sub = entries.subOf(n);
      const last = scores.length - 1;
      if (last >= 0 && scores[last] === score && subs[last] === sub) counts[last]!++;
      else {
        scores.push(score);
        subs.push(sub);
        counts.push(1);
      }
    }
    this.list = new SkipList({
      capacity: Math.max(64, scores.length),
      subscores: entries.subscores,
      ...(random ? { random } : {}),
    });
    this.list.bulkLoad(
      Float64Array.from(scores),
      new Float64Array(scores.length),
      Int32Array.from(counts),
      Float64Array.from(subs),
    );
  }

  /** O(log d). One more entry holds (score, sub). */
  add(score: number, sub: number): void {
    const node = this.list.findScore(score, sub);
    if (node !== 0) this.list.setSlot(node, this.list.slotOf(node) + 1);
    else this.list.insert(score, 0, 1, sub);
  }

  /** O(log d). One entry fewer holds (score, sub) (which must be held). */
  remove(score: number, sub: number): void {
    const node = this.list.findScore(score, sub);
    const left = this.list.slotOf(node) - 1;
    if (left > 0) this.list.setSlot(node, left);
    else this.list.remove(node);
  }

  /** O(log d). 1 + how many distinct (score, sub) are above (score, sub) (which must be held). */
  rank(score: number, sub: number): number {
    return this.list.countAbove(score, sub) + 1;
  }

  checkValid(entries: SkipList): void {
    this.list.checkValid();
    const counts = new Map<string, number>();
    for (let n = entries.next(0); n !== 0; n = entries.next(n)) {
      const key = `${entries.scoreOf(n)}/${entries.subOf(n)}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    if (counts.size !== this.list.size)
      throw new Error(`${counts.size} scores but ${this.list.size} distinct nodes`);
    for (const [key, count] of counts) {
      const [score, sub] = key.split('/').map(Number) as [number, number];
      const node = this.list.findScore(score, sub);
      if (node === 0 || this.list.slotOf(node) !== count) throw new Error(`count of score ${key} is wrong`);
    }
  }
}

/** A ranking of players (the skip list's payload is the player's slot). */
export class Ranking {
  /** The ordering itself; its nodes' `slot` is the player's slot. */
  readonly list: SkipList;
  /** The dense-rank index, once a dense rank was asked for. */
  private distinct: DistinctScores | undefined;
  private readonly random: RandomSource | undefined;

  /** O(capacity). `subscores`: keys are (score, sub, seq). */
  constructor(options: { random?: RandomSource; capacity?: number; subscores?: boolean } = {}) {
    this.list = new SkipList(options);
    this.random = options.random;
  }

  /** O(1). True once the dense-rank index exists (it is kept up to date from then on). */
  get tracksDense(): boolean {
    return this.distinct !== undefined;
  }

  /** O(1). Entries ranked. */
  get size(): number {
    return this.list.size;
  }

  /** O(1). Whether keys are (score, sub, seq). */
  get subscores(): boolean {
    return this.list.subscores;
  }

  /** O(log n). Adds a player's entry; answers its node. */
  insert(score: number, seq: number, slot: number, sub = 0): number {
    this.distinct?.add(score, sub);
    return this.list.insert(score, seq, slot, sub);
  }

  /**
   * O(count) (plus O(log d) per entry once the dense index exists). Appends keys given in rank
   * order after every entry, as {@link SkipList.appendRun} does; answers how many were linked.
   */
  appendRun(
    count: number,
    scores: ArrayLike<number>,
    seqs: ArrayLike<number>,
    slots: ArrayLike<number>,
    nodes: Int32Array,
    subs?: ArrayLike<number>,
  ): number {
    const linked = this.list.appendRun(count, scores, seqs, slots, nodes, subs);
    const distinct = this.distinct;
    if (distinct) for (let i = 0; i < linked; i++) distinct.add(scores[i]!, this.list.subOf(nodes[i]!));
    return linked;
  }

  /** O(log n). Moves an entry to a new key (`sub` counts only with subscores). */
  update(node: number, score: number, seq: number, sub = 0): void {
    const distinct = this.distinct;
    if (distinct) {
      const old = this.list.scoreOf(node);
      const oldSub = this.list.subOf(node);
      if (old !== score || (this.list.subscores && oldSub !== sub)) {
        distinct.remove(old, oldSub);
        distinct.add(score, this.list.subscores ? sub : 0);
      }
    }
    this.list.update(node, score, seq, sub);
  }

  /** O(log n). Removes an entry. */
  remove(node: number): void {
    this.distinct?.remove(this.list.scoreOf(node), this.list.subOf(node));
    this.list.remove(node);
  }

  /** O(capacity). Removes every entry (and the dense index, rebuilt when next asked for). */
  clear(): void {
    this.list.clear();
    this.distinct = undefined;
  }

  /** O(log n). The rank of a live node in `style`. */
  rank(node: number, style: RankStyle): number {
    switch (style) {
      case 'ordinal':
        return this.list.rankOf(node);
      case 'standard':
        return this.list.countAbove(this.list.scoreOf(node), this.list.subOf(node)) + 1;
      case 'dense':
        this.distinct ??= new DistinctScores(this.list, this.random);
        return this.distinct.rank(this.list.scoreOf(node), this.list.subOf(node));
    }
  }

  /**
   * O(log n + count). Visits up to `count` nodes from 1-based position `from` on, in order, with
   * each one's rank in `style`: only the first rank costs a descent, the rest follow from
   * whether the score (or, with subscores, the sub) changed.
   */
  walk(from: number, count: number, style: RankStyle, visit: (node: number, rank: number) => void): void {
    const list = this.list;
    let node = list.atRank(from);
    if (node === 0 || count <= 0) return;
    if (style === 'ordinal') {
      for (let i = 0; i < count && node !== 0; i++, node = list.next(node)) visit(node, from + i);
      return;
    }
    let rank = this.rank(node, style);
    let score = list.scoreOf(node);
    let sub = list.subOf(node);
    for (let i = 0; ;) {
      visit(node, rank);
      if (++i >= count) return;
      node = list.next(node);
      if (node === 0) return;
      const s = list.scoreOf(node);
      const u = list.subOf(node);
      if (s !== score || u !== sub) rank = style === 'standard' ? from + i : rank + 1;
      score = s;
      sub = u;
    }
  }

  /** O(n · levels + d). Checks the list and the distinct scores against it. For tests. */
  checkValid(): void {
    this.list.checkValid();
    this.distinct?.checkValid(this.list);
  }
}
