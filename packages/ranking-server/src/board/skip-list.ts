/**
 * A skip list with span counts (order statistics), packed into one ArrayBuffer.
 *
 * Each node's key is (score, seq): higher score first, and among equal scores the lower seq (the
 * one that reached the score first) first, so every key is unique and every node has its own
 * ordinal position. A list made with `subscores` keys its nodes (score, sub, seq) instead: among
 * equal scores the higher sub first, then the lower seq; a list without them reads every sub as 0. Each node has a tower of `level` links; link l holds `next` (the following
 * node at that level, 0 for none) and `span` (how many level-0 steps it jumps), so a node's rank
 * is the sum of the spans walked to reach it — the layout of Redis's t_zset.c, with a backward
 * link at level 0 so an update whose neighbours still bracket the new key costs O(1).
 *
 * There is no object per node: a node is a block of one shared ArrayBuffer and its id is the
 * block's offset in 8-byte words. A block holds, in order: score (f64), seq (f64), level, slot
 * (the owner's payload), backward link, aux (a second payload), then `level` pairs of (next, span) as int32 —
 * 32 + 8·level bytes, ≈ 43 bytes on average with p = 1/4. A list with subscores keeps each sub in
 * the word just before its node's block (8 bytes more a node, on those lists only), so every other
 * offset is the same in both kinds of list and a plain list pays nothing for them. Walking from a node to the next reads
 * one block, so a step costs about one cache miss instead of one per array. Freed blocks go to a
 * free list per level and are reused. Node 0 is the header, with the tallest tower.
 */

/** The highest tower; 4^32 nodes is far beyond any board. */
export const MAX_LEVEL = 32;

/**
 * From this many nodes an update walks its two search paths interleaved. Below it the list is
 * mostly in cache, there are no memory stalls to overlap, and two plain searches are cheaper (side
 * by side here: 10–15 % faster at 10k–100k nodes, 10–25 % slower from 300k on).
 */
export const INTERLEAVE_FROM = 1 << 18;

/** A source of uniform numbers in [0, 1); injectable so tests are deterministic. */
export type RandomSource = () => number;

const HEAD = 0;
const NIL = 0;
// Int32 offsets inside a block (the block starts at int32 index id * 2).
const LEVEL = 4;
const SLOT = 5;
const BACK = 6;
const AUX = 7;
const LINKS = 8;

/**
 * O(1). True when node `n`'s key ranks before key (s, u, q): higher score, then (with subscores,
 * `subs`) higher sub, then lower seq. The sub and seq words are read only on a tie.
 */
function nodeBefore(f64: Float64Array, subs: boolean, n: number, s: number, u: number, q: number): boolean {
  const ns = f64[n]!;
  if (ns !== s) return ns > s;
  if (subs) {
    const nu = f64[n - 1]!;
    if (nu !== u) return nu > u;
  }
  return f64[n + 1]! < q;
}

/** O(1). True when key (s, u, q) ranks before node `n`'s key (see {@link nodeBefore}). */
function keyBefore(f64: Float64Array, subs: boolean, s: number, u: number, q: number, n: number): boolean {
  const ns = f64[n]!;
  if (ns !== s) return s > ns;
  if (subs) {
    const nu = f64[n - 1]!;
    if (nu !== u) return u > nu;
  }
  return q < f64[n + 1]!;
}

/** Words (8 bytes) of a block with `level` links. */
function blockWords(level: number): number {
  return 4 + level;
}

/** An order-statistics skip list of (score, seq) keys — (score, sub, seq) with subscores; values are node ids. */
export class SkipList {
  /** Whether nodes carry a sub (the word before their block) that ranks between score and seq. */
  readonly subscores: boolean;
  /** Words a block takes beyond {@link blockWords}: 1 for the sub, 0 without. */
  private readonly lead: number;
  private buf: ArrayBuffer;
  private f64: Float64Array;
  private i32: Int32Array;
  /** Next unused word. */
  private top: number;
  private freeBlocks: number[][] = Array.from({ length: MAX_LEVEL + 1 }, () => []);
  private level = 1;
  private count = 0;
  private readonly random: RandomSource;
  private readonly interleaveFrom: number;
  /** Scratch arrays for search paths, reused to keep the hot path allocation-free. */
  private readonly path = new Int32Array(MAX_LEVEL);
  private readonly pathRank = new Float64Array(MAX_LEVEL);
  /** The second path of an update: where the node's new key goes. */
  private readonly path2 = new Int32Array(MAX_LEVEL);
  private readonly pathRank2 = new Float64Array(MAX_LEVEL);
  /**
   * The search path of a key after every node (the last node of each level, with its rank), valid
   * while `tailValid`: an insert that ranks last links along it with no search, so keys inserted in
   * rank order (a snapshot being loaded) cost O(1) each. Any unlink invalidates it; an insert that
   * lands last makes it valid again.
   */
  private readonly tail = new Int32Array(MAX_LEVEL);
  private readonly tailRank = new Float64Array(MAX_LEVEL);
  private tailValid = true;
  /** Counts structural changes and key changes, so a paused walk can tell whether its place still holds. */
  private mutations = 0;
  /**
   * The node linked last, its rank then, and the change count right after: while nothing else
   * changed, {@link rankOf} answers that rank without a descent (a write answers its rank).
   */
  private linked = -1;
  private linkedRank = 0;
  private linkedAt = -1;

  /**
   * O(capacity). `capacity` (nodes) is a hint; the buffer grows by doubling. `interleaveFrom`
   * (default {@link INTERLEAVE_FROM}) is there so tests can run both update paths on small lists.
   * `subscores` makes keys (score, sub, seq).
   */
  constructor(
    options: { random?: RandomSource; capacity?: number; interleaveFrom?: number; subscores?: boolean } = {},
  ) {
    this.random = options.random ?? Math.random;
    this.interleaveFrom = options.interleaveFrom ?? INTERLEAVE_FROM;
    this.subscores = options.subscores ?? false;
    this.lead = this.subscores ? 1 : 0;
    const words =
      blockWords(MAX_LEVEL) + Math.ceil(Math.max(16, options.capacity ?? 1024) * (5.4 + this.lead));
    this.buf = new ArrayBuffer(words * 8);
    this.f64 = new Float64Array(this.buf);
    this.i32 = new Int32Array(this.buf);
    this.top = blockWords(MAX_LEVEL);
    this.i32[LEVEL] = MAX_LEVEL;
  }

  /** O(1). Number of nodes in the list. */
  get size(): number {
    return this.count;
  }

  /**
   * O(1). A number that changes whenever a node is linked, unlinked or re-keyed: a walk that paused
   * at a node may go on with {@link next} while it is unchanged, else resumes with {@link firstAfter}.
   */
  get changes(): number {
    return this.mutations;
  }

  /** O(1). Score of a live node. */
  scoreOf(node: number): number {
    return this.f64[node]!;
  }

  /** O(1). Tie-break sequence of a live node. */
  seqOf(node: number): number {
    return this.f64[node + 1]!;
  }

  /** O(1). Sub of a live node: 0 on a list without subscores. */
  subOf(node: number): number {
    return this.subscores ? this.f64[node - 1]! : 0;
  }

  /** O(1). The payload given at insert (the owner's index for this node). */
  slotOf(node: number): number {
    return this.i32[node * 2 + SLOT]!;
  }

  /** O(1). Replaces a live node's payload. */
  setSlot(node: number, slot: number): void {
    this.i32[node * 2 + SLOT] = slot;
  }

  /** O(1). A live node's second payload (0 until set). */
  auxOf(node: number): number {
    return this.i32[node * 2 + AUX]!;
  }

  /** O(1). Sets a live node's second payload (an int32). */
  setAux(node: number, aux: number): void {
    this.i32[node * 2 + AUX] = aux;
  }

  /** O(1). The node after `node` in rank order, or 0 at the end; `next(0)` is the first node. */
  next(node: number): number {
    return this.i32[node * 2 + LINKS]!;
  }

  /**
   * O(log n) expected. Inserts a key (which must not be present) with a payload; answers its node.
   * `sub` is kept only on a list with subscores.
   */
  insert(score: number, seq: number, slot = 0, sub = 0): number {
    const node = this.alloc(this.randomLevel());
    this.f64[node] = score;
    this.f64[node + 1] = seq;
    if (this.subscores) this.f64[node - 1] = sub;
    this.i32[node * 2 + SLOT] = slot;
    this.link(node);
    return node;
  }

  /** O(log n) expected. Removes a live node; its block may be reused by a later insert. */
  remove(node: number): void {
    this.findPath(this.f64[node]!, this.subOf(node), this.f64[node + 1]!);
    this.unlinkAlongPath(node);
    this.freeBlocks[this.i32[node * 2 + LEVEL]!]!.push(node);
  }

  /**
   * O(1) when the neighbours still bracket the new key (only the key changes), else O(log n)
   * expected: the node is unlinked and linked again at its new place. On a large list both places
   * are found in one descent that walks the two search paths in step, so the memory loads of one
   * path overlap those of the other instead of waiting for them. `sub` counts only with subscores.
   */
  update(node: number, score: number, seq: number, sub = 0): void {
    const { f64, i32, subscores } = this;
    const prev = i32[node * 2 + BACK]!;
    const after = i32[node * 2 + LINKS]!;
    if (
      (prev === HEAD || nodeBefore(f64, subscores, prev, score, sub, seq)) &&
      (after === NIL || keyBefore(f64, subscores, score, sub, seq, after))
    ) {
      f64[node] = score;
      f64[node + 1] = seq;
      if (subscores) f64[node - 1] = sub;
      this.mutations++;
      return;
    }
    const oldScore = f64[node]!;
    const oldSeq = f64[node + 1]!;
    const oldSub = this.subOf(node);
    if (this.count < this.interleaveFrom) {
      this.findPath(oldScore, oldSub, oldSeq);
      this.unlinkAlongPath(node);
      f64[node] = score;
      f64[node + 1] = seq;
      if (subscores) f64[node - 1] = sub;
      this.link(node);
      return;
    }
    this.findTwoPaths(oldScore, oldSub, oldSeq, score, sub, seq);
    const levels = this.level;
    this.unlinkAlongPath(node);
    // path2 was found with the node still linked: where it stopped at the node, the place is now
    // the node's predecessor; nodes after the node moved up one rank.
    const { path, pathRank, path2, pathRank2 } = this;
    for (let l = 0; l < levels; l++) {
      const x = path2[l]!;
      if (x === node) {
        path2[l] = path[l]!;
        pathRank2[l] = pathRank[l]!;
      } else if (x !== HEAD && !nodeBefore(f64, subscores, x, oldScore, oldSub, oldSeq)) {
        pathRank2[l] = pathRank2[l]! - 1;
      }
    }
    f64[node] = score;
    f64[node + 1] = seq;
    if (subscores) f64[node - 1] = sub;
    this.linkAlongPath(node, path2, pathRank2);
  }

  /** O(log n) expected, O(1) for the node linked last if nothing changed since. A live node's 1-based rank. */
  rankOf(node: number): number {
    if (node === this.linked && this.mutations === this.linkedAt) return this.linkedRank;
    const { f64, i32, subscores } = this;
    const s = f64[node]!;
    const q = f64[node + 1]!;
    const u = this.subOf(node);
    let x = HEAD;
    let rank = 0;
    for (let l = this.level - 1; l >= 0; l--) {
      for (;;) {
        const o = x * 2 + LINKS + 2 * l;
        const n = i32[o]!;
        if (n === NIL || keyBefore(f64, subscores, s, u, q, n)) break;
        rank += i32[o + 1]!;
        x = n;
      }
      if (x === node) return rank;
    }
    throw new Error(`node ${node} is not in the list`);
  }

  /**
   * O(log n) expected. How many nodes have a score strictly above `score` — or, given a `sub` on a
   * list with subscores, how many have a (score, sub) strictly better than (score, sub).
   */
  countAbove(score: number, sub = Infinity): number {
    const { f64, i32 } = this;
    const subs = this.subscores && sub !== Infinity;
    let x = HEAD;
    let rank = 0;
    for (let l = this.level - 1; l >= 0; l--) {
      for (;;) {
        const o = x * 2 + LINKS + 2 * l;
        const n = i32[o]!;
        if (n === NIL) break;
        const ns = f64[n]!;
        if (!(ns > score || (subs && ns === score && f64[n - 1]! > sub))) break;
        rank += i32[o + 1]!;
        x = n;
      }
    }
    return rank;
  }

  /**
   * O(log n) expected. The first node (in rank order) whose score is `score` — and, on a list with
   * subscores, whose sub is `sub` — or 0 when none is.
   */
  findScore(score: number, sub = 0): number {
    const { f64, i32 } = this;
    const subs = this.subscores;
    let x = HEAD;
    for (let l = this.level - 1; l >= 0; l--) {
      for (;;) {
        const n = i32[x * 2 + LINKS + 2 * l]!;
        if (n === NIL) break;
        const ns = f64[n]!;
        if (!(ns > score || (subs && ns === score && f64[n - 1]! > sub))) break;
        x = n;
      }
    }
    const n = i32[x * 2 + LINKS]!;
    return n !== NIL && f64[n] === score && (!subs || f64[n - 1] === sub) ? n : NIL;
  }

  /**
   * O(log n) expected. The first node whose key ranks after (score, sub, seq) — which need not be in
   * the list — or 0 when none does.
   */
  firstAfter(score: number, seq: number, sub = 0): number {
    const { f64, i32, subscores } = this;
    let x = HEAD;
    for (let l = this.level - 1; l >= 0; l--) {
      for (;;) {
        const n = i32[x * 2 + LINKS + 2 * l]!;
        if (n === NIL || keyBefore(f64, subscores, score, sub, seq, n)) break;
        x = n;
      }
    }
    return i32[x * 2 + LINKS]!;
  }

  /** O(log n) expected. How many nodes have a score of at least `score`. */
  countAtLeast(score: number): number {
    const { f64, i32 } = this;
    let x = HEAD;
    let rank = 0;
    for (let l = this.level - 1; l >= 0; l--) {
      for (;;) {
        const o = x * 2 + LINKS + 2 * l;
        const n = i32[o]!;
        if (n === NIL || !(f64[n]! >= score)) break;
        rank += i32[o + 1]!;
        x = n;
      }
    }
    return rank;
  }

  /** O(log n) expected. The node at 1-based `rank`, or 0 when rank is outside [1, size]. */
  atRank(rank: number): number {
    if (rank < 1 || rank > this.count) return NIL;
    const i32 = this.i32;
    let x = HEAD;
    let traversed = 0;
    for (let l = this.level - 1; l >= 0; l--) {
      for (;;) {
        const o = x * 2 + LINKS + 2 * l;
        const n = i32[o]!;
        if (n === NIL || traversed + i32[o + 1]! > rank) break;
        traversed += i32[o + 1]!;
        x = n;
      }
      if (traversed === rank) return x;
    }
    return NIL;
  }

  /**
   * O(log n + count). Up to `count` nodes from 1-based rank `from` on, in rank order; empty when
   * `from` is past the end.
   */
  range(from: number, count: number): number[] {
    const out: number[] = [];
    let x = this.atRank(Math.max(1, from));
    while (x !== NIL && out.length < count) {
      out.push(x);
      x = this.next(x);
    }
    return out;
  }

  /**
   * O(n). Loads keys given in rank order (each ranks after the one before) into an empty list in
   * one pass, with no searches ({@link appendRun} over all of them); answers their nodes, in order.
   * Throws when the list is not empty or a key is out of order. `subs` (with subscores): each key's sub.
   */
  bulkLoad(
    scores: ArrayLike<number>,
    seqs: ArrayLike<number>,
    slots: ArrayLike<number>,
    subs?: ArrayLike<number>,
  ): Int32Array {
    if (this.count !== 0) throw new Error('bulkLoad needs an empty list');
    const nodes = new Int32Array(scores.length);
    if (this.appendRun(scores.length, scores, seqs, slots, nodes, subs) !== scores.length) {
      throw new Error('bulkLoad needs keys in rank order');
    }
    return nodes;
  }

  /**
   * O(count) plus O(log n) when the last node's search path is not at hand. Links keys given in
   * rank order after every node, with no search — a snapshot's run of entries — and writes each
   * one's node to `nodes`. The spans of the levels a node does not reach are settled once, at the
   * end, not per node. Stops at the first key that does not rank after the one before (or after
   * the list's last node) and answers how many were linked: the caller places the rest. `subs`
   * (with subscores): each key's sub, else 0.
   */
  appendRun(
    count: number,
    scores: ArrayLike<number>,
    seqs: ArrayLike<number>,
    slots: ArrayLike<number>,
    nodes: Int32Array,
    subs?: ArrayLike<number>,
  ): number {
    if (count <= 0) return 0;
    this.reserve(this.count + count);
    if (!this.tailValid) this.findTail();
    const { tail, tailRank, subscores } = this;
    let f64 = this.f64;
    let last = tail[0]!;
    let rank = this.count;
    let done = 0;
    for (; done < count; done++) {
      const score = scores[done]!;
      const seq = seqs[done]!;
      const sub = subscores && subs ? subs[done]! : 0;
      if (!(last === HEAD || nodeBefore(f64, subscores, last, score, sub, seq))) break;
      const height = this.randomLevel();
      const node = this.alloc(height);
      // The buffer may have grown: the reservation is for an average tower.
      f64 = this.f64;
      const i32 = this.i32;
      rank++;
      f64[node] = score;
      f64[node + 1] = seq;
      if (subscores) f64[node - 1] = sub;
      i32[node * 2 + SLOT] = slots[done]!;
      i32[node * 2 + BACK] = last;
      if (height > this.level) {
        for (let l = this.level; l < height; l++) {
          tail[l] = HEAD;
          tailRank[l] = 0;
        }
        this.level = height;
      }
      for (let l = 0; l < height; l++) {
        const uo = tail[l]! * 2 + LINKS + 2 * l;
        i32[uo] = node;
        i32[uo + 1] = rank - tailRank[l]!;
        tail[l] = node;
        tailRank[l] = rank;
      }
      nodes[done] = node;
      last = node;
    }
    if (done === 0) return 0;
    // Each level's last node reaches the end: its span is what lies after it.
    const i32 = this.i32;
    for (let l = 0; l < this.level; l++) i32[tail[l]! * 2 + LINKS + 2 * l + 1] = rank - tailRank[l]!;
    this.count = rank;
    this.tailValid = true;
    this.mutations++;
    this.linked = last;
    this.linkedRank = rank;
    this.linkedAt = this.mutations;
    return done;
  }

  /**
   * O(n) once, when it needs more room. Makes room for `nodes` nodes in all, counted at the average
   * tower (5.4 words against an expected 5.33), so linking that many grows the buffer no more.
   */
  reserve(nodes: number): void {
    const words = this.top + Math.ceil(Math.max(0, nodes - this.count) * (5.4 + this.lead));
    if (words > this.f64.length) this.grow(words);
  }

  /** O(1). Empties the list; memory is kept for reuse. */
  clear(): void {
    const i32 = this.i32;
    for (let l = 0; l < MAX_LEVEL; l++) {
      i32[LINKS + 2 * l] = NIL;
      i32[LINKS + 2 * l + 1] = 0;
    }
    this.top = blockWords(MAX_LEVEL);
    this.freeBlocks = Array.from({ length: MAX_LEVEL + 1 }, () => []);
    this.level = 1;
    this.count = 0;
    this.tail.fill(HEAD);
    this.tailRank.fill(0);
    this.tailValid = true;
    this.mutations++;
  }

  /** O(1). Bytes of the buffer that are in use (the list's own memory, without slack). */
  byteSize(): number {
    return this.top * 8;
  }

  /**
   * O(n · levels). Verifies every invariant — order, spans, backward links, levels, size — and
   * throws a description of the first one broken. For tests.
   */
  checkValid(): void {
    const { f64, i32 } = this;
    const rankOfNode = new Map<number, number>();
    let x = this.next(HEAD);
    let r = 0;
    let prev = HEAD;
    while (x !== NIL) {
      r++;
      if (rankOfNode.has(x)) throw new Error(`cycle at node ${x}`);
      rankOfNode.set(x, r);
      const h = i32[x * 2 + LEVEL]!;
      if (h < 1 || h > MAX_LEVEL) throw new Error(`node ${x} has level ${h}`);
      if (i32[x * 2 + BACK] !== prev) throw new Error(`backward link of node ${x} is wrong`);
      if (prev !== HEAD && !nodeBefore(f64, this.subscores, prev, f64[x]!, this.subOf(x), f64[x + 1]!)) {
        throw new Error(`nodes ${prev} and ${x} are out of order`);
      }
      prev = x;
      x = this.next(x);
    }
    if (r !== this.count) throw new Error(`size ${this.count} but ${r} nodes linked`);
    for (let l = 0; l < this.level; l++) {
      let y = HEAD;
      let yr = 0;
      for (;;) {
        const o = y * 2 + LINKS + 2 * l;
        const n = i32[o]!;
        if (n !== NIL && !rankOfNode.has(n)) throw new Error(`level ${l} links to dead node ${n}`);
        if (n !== NIL && i32[n * 2 + LEVEL]! <= l) throw new Error(`node ${n} linked above its level`);
        const expected = n === NIL ? this.count - yr : rankOfNode.get(n)! - yr;
        if (i32[o + 1] !== expected) {
          throw new Error(`span at node ${y} level ${l} is ${i32[o + 1]}, expected ${expected}`);
        }
        if (n === NIL) break;
        y = n;
        yr = rankOfNode.get(n)!;
      }
    }
    if (this.level > 1 && i32[LINKS + 2 * (this.level - 1)] === NIL) {
      throw new Error(`top level ${this.level} is empty`);
    }
  }

  /** O(log n) expected. Makes the tail path (each level's last node, with its rank) valid again. */
  private findTail(): void {
    // Every key ranks before (−∞, −∞, +∞): its search path is each level's last node.
    this.findPath(-Infinity, -Infinity, Infinity);
    this.tail.set(this.path);
    this.tailRank.set(this.pathRank);
    this.tailValid = true;
  }

  /** Fills `path`/`pathRank` with the last node before key (s, u, q) at each level. */
  private findPath(s: number, u: number, q: number): void {
    const { f64, i32, path, pathRank, subscores } = this;
    let x = HEAD;
    let rank = 0;
    for (let l = this.level - 1; l >= 0; l--) {
      for (;;) {
        const o = x * 2 + LINKS + 2 * l;
        const n = i32[o]!;
        if (n === NIL || !nodeBefore(f64, subscores, n, s, u, q)) break;
        rank += i32[o + 1]!;
        x = n;
      }
      path[l] = x;
      pathRank[l] = rank;
    }
  }

  /**
   * Fills `path`/`pathRank` for key (s1, u1, q1) and `path2`/`pathRank2` for (s2, u2, q2), advancing
   * both walks in the same loop so their cache misses overlap.
   */
  private findTwoPaths(s1: number, u1: number, q1: number, s2: number, u2: number, q2: number): void {
    const { f64, i32, path, pathRank, path2, pathRank2, subscores } = this;
    let x = HEAD;
    let rx = 0;
    let y = HEAD;
    let ry = 0;
    for (let l = this.level - 1; l >= 0; l--) {
      let xDone = false;
      let yDone = false;
      while (!xDone || !yDone) {
        if (!xDone) {
          const o = x * 2 + LINKS + 2 * l;
          const n = i32[o]!;
          if (n === NIL || !nodeBefore(f64, subscores, n, s1, u1, q1)) xDone = true;
          else {
            rx += i32[o + 1]!;
            x = n;
          }
        }
        if (!yDone) {
          const o = y * 2 + LINKS + 2 * l;
          const n = i32[o]!;
          if (n === NIL || !nodeBefore(f64, subscores, n, s2, u2, q2)) yDone = true;
          else {
            ry += i32[o + 1]!;
            y = n;
          }
        }
      }
      path[l] = x;
      pathRank[l] = rx;
      path2[l] = y;
      pathRank2[l] = ry;
    }
  }

  /**
   * Links an allocated node (key and level set) at the place of its key: along the cached tail path
   * when the key ranks after every node, else along a search path.
   */
  private link(node: number): void {
    const { f64, i32, path, pathRank, tail, tailRank, subscores } = this;
    const s = f64[node]!;
    const q = f64[node + 1]!;
    const u = this.subOf(node);
    const last = tail[0]!;
    const height = i32[node * 2 + LEVEL]!;
    if (this.tailValid && (last === HEAD || nodeBefore(f64, subscores, last, s, u, q))) {
      // The tail path is this key's search path; above the node's height it stays the tail's.
      this.linkAlongPath(node, tail, tailRank);
      for (let l = 0; l < height; l++) {
        tail[l] = node;
        tailRank[l] = this.count;
      }
      return;
    }
    this.findPath(s, u, q);
    this.linkAlongPath(node, path, pathRank);
    this.tailValid = i32[node * 2 + LINKS] === NIL;
    if (!this.tailValid) return;
    // The node is last: it ends every level it has; above it the path's nodes still end theirs.
    for (let l = 0; l < this.level; l++) {
      tail[l] = l < height ? node : path[l]!;
      tailRank[l] = l < height ? this.count : pathRank[l]!;
    }
  }

  /** Links `node` after the nodes of a search path for its key (ranks of the current list). */
  private linkAlongPath(node: number, path: Int32Array, pathRank: Float64Array): void {
    const { i32 } = this;
    const height = i32[node * 2 + LEVEL]!;
    if (height > this.level) {
      for (let l = this.level; l < height; l++) {
        path[l] = HEAD;
        pathRank[l] = 0;
        i32[LINKS + 2 * l + 1] = this.count;
      }
      this.level = height;
    }
    const base = pathRank[0]!;
    const no = node * 2 + LINKS;
    for (let l = 0; l < height; l++) {
      const uo = path[l]! * 2 + LINKS + 2 * l;
      i32[no + 2 * l] = i32[uo]!;
      i32[uo] = node;
      const gap = base - pathRank[l]!;
      i32[no + 2 * l + 1] = i32[uo + 1]! - gap;
      i32[uo + 1] = gap + 1;
    }
    for (let l = height; l < this.level; l++) i32[path[l]! * 2 + LINKS + 2 * l + 1]!++;
    i32[node * 2 + BACK] = path[0]!;
    const after = i32[no]!;
    if (after !== NIL) i32[after * 2 + BACK] = node;
    this.count++;
    this.mutations++;
    this.linked = node;
    this.linkedRank = base + 1;
    this.linkedAt = this.mutations;
  }

  /** Unlinks `node` using the path `findPath` left for its key. */
  private unlinkAlongPath(node: number): void {
    const { i32, path } = this;
    const no = node * 2 + LINKS;
    if (i32[path[0]! * 2 + LINKS] !== node) throw new Error(`node ${node} is not in the list`);
    for (let l = 0; l < this.level; l++) {
      const uo = path[l]! * 2 + LINKS + 2 * l;
      if (i32[uo] === node) {
        i32[uo + 1] = i32[uo + 1]! + i32[no + 2 * l + 1]! - 1;
        i32[uo] = i32[no + 2 * l]!;
      } else {
        i32[uo + 1]!--;
      }
    }
    const after = i32[no]!;
    if (after !== NIL) i32[after * 2 + BACK] = i32[node * 2 + BACK]!;
    while (this.level > 1 && i32[LINKS + 2 * (this.level - 1)] === NIL) this.level--;
    this.count--;
    this.tailValid = false;
    this.mutations++;
  }

  private randomLevel(): number {
    let h = 1;
    while (h < MAX_LEVEL && this.random() < 0.25) h++;
    return h;
  }

  private alloc(height: number): number {
    let node = this.freeBlocks[height]!.pop();
    if (node === undefined) {
      const words = blockWords(height) + this.lead;
      if (this.top + words > this.f64.length) this.grow(this.top + words);
      node = this.top + this.lead;
      this.top += words;
    }
    const i32 = this.i32;
    i32[node * 2 + LEVEL] = height;
    i32[node * 2 + AUX] = 0;
    for (let l = 0; l < height; l++) {
      i32[node * 2 + LINKS + 2 * l] = NIL;
      i32[node * 2 + LINKS + 2 * l + 1] = 0;
    }
    return node;
  }

  private grow(minWords: number): void {
    const words = Math.max(this.f64.length * 2, minWords);
    const next = new ArrayBuffer(words * 8);
    new Float64Array(next).set(this.f64);
    this.buf = next;
    this.f64 = new Float64Array(next);
    this.i32 = new Int32Array(next);
  }
}
