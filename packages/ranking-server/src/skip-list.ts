/**
 * A skip list with span counts (order statistics), stored as a struct of typed arrays.
 *
 * Each node is an integer index. Its key is (score, seq): higher score first, and among equal
 * scores the lower seq (the one that reached the score first) first, so every key is unique and
 * every node has its own ordinal position. Each node has a tower of `level` links; link l holds
 * `next` (the following node at that level, 0 for none) and `span` (how many level-0 steps that
 * link jumps), so the rank of a node is the sum of the spans walked to reach it — the layout of
 * Redis's t_zset.c, without an object per node.
 *
 * Towers live in two shared Int32Arrays (`nxt`, `spn`) at `off[node]`; node 0 is the header, whose
 * tower has MAX_LEVEL links. Freed towers are kept in one free list per height and reused, and
 * freed node indices in another, so a board that churns does not grow. Memory per node is about
 * 8 (score) + 8 (seq) + 4 (off) + 1 (level) + 8·1.33 (links, p = 1/4) ≈ 32 bytes.
 */

/** The highest tower; 4^32 nodes is far beyond any board. */
export const MAX_LEVEL = 32;

/** A source of uniform numbers in [0, 1); injectable so tests are deterministic. */
export type RandomSource = () => number;

const HEAD = 0;
const NIL = 0;

/** O(1). True when key (s1, q1) ranks before key (s2, q2): higher score, then lower seq. */
function before(s1: number, q1: number, s2: number, q2: number): boolean {
  return s1 > s2 || (s1 === s2 && q1 < q2);
}

/** An order-statistics skip list of (score, seq) keys; values are node indices. */
export class SkipList {
  private score: Float64Array;
  private seq: Float64Array;
  private off: Int32Array;
  private lvl: Uint8Array;
  private nxt: Int32Array;
  private spn: Int32Array;
  /** Next unused node index and next unused tower slot. */
  private nodeTop = 1;
  private towerTop = MAX_LEVEL;
  private freeNodes: number[] = [];
  private freeTowers: number[][] = Array.from({ length: MAX_LEVEL + 1 }, () => []);
  private level = 1;
  private count = 0;
  private readonly random: RandomSource;
  /** Scratch arrays for search paths, reused to keep the hot path allocation-free. */
  private readonly path = new Int32Array(MAX_LEVEL);
  private readonly pathRank = new Float64Array(MAX_LEVEL);

  /** O(capacity). `capacity` is a hint; the arrays grow by doubling. */
  constructor(options: { random?: RandomSource; capacity?: number } = {}) {
    this.random = options.random ?? Math.random;
    const cap = Math.max(16, options.capacity ?? 1024);
    this.score = new Float64Array(cap);
    this.seq = new Float64Array(cap);
    this.off = new Int32Array(cap);
    this.lvl = new Uint8Array(cap);
    const towers = Math.ceil(cap * 1.4) + MAX_LEVEL;
    this.nxt = new Int32Array(towers);
    this.spn = new Int32Array(towers);
    this.lvl[HEAD] = MAX_LEVEL;
    this.off[HEAD] = 0;
  }

  /** O(1). Number of nodes in the list. */
  get size(): number {
    return this.count;
  }

  /** O(1). Score of a live node. */
  scoreOf(node: number): number {
    return this.score[node]!;
  }

  /** O(1). Tie-break sequence of a live node. */
  seqOf(node: number): number {
    return this.seq[node]!;
  }

  /** O(1). The node after `node` in rank order, or 0 at the end; `next(0)` is the first node. */
  next(node: number): number {
    return this.nxt[this.off[node]!]!;
  }

  /** O(log n) expected. Inserts a new key (which must not be present) and returns its node. */
  insert(score: number, seq: number): number {
    const height = this.randomLevel();
    const node = this.allocNode(height);
    this.score[node] = score;
    this.seq[node] = seq;
    this.link(node);
    return node;
  }

  /** O(log n) expected. Removes a live node; its index may be reused by a later insert. */
  remove(node: number): void {
    this.unlink(node);
    const h = this.lvl[node]!;
    this.freeTowers[h]!.push(this.off[node]!);
    this.freeNodes.push(node);
  }

  /**
   * O(log n) expected. Gives a live node a new key. When the neighbours still bracket the new key
   * only the key changes; otherwise the node is unlinked and linked again at its new place.
   */
  update(node: number, score: number, seq: number): void {
    this.findPath(this.score[node]!, this.seq[node]!);
    const prev = this.path[0]!;
    const after = this.next(node);
    if (
      (prev === HEAD || before(this.score[prev]!, this.seq[prev]!, score, seq)) &&
      (after === NIL || before(score, seq, this.score[after]!, this.seq[after]!))
    ) {
      this.score[node] = score;
      this.seq[node] = seq;
      return;
    }
    this.unlinkAlongPath(node);
    this.score[node] = score;
    this.seq[node] = seq;
    this.link(node);
  }

  /** O(log n) expected. The 1-based rank of a live node. */
  rankOf(node: number): number {
    const s = this.score[node]!;
    const q = this.seq[node]!;
    const { nxt, spn, off, score, seq } = this;
    let x = HEAD;
    let rank = 0;
    for (let l = this.level - 1; l >= 0; l--) {
      for (;;) {
        const o = off[x]! + l;
        const n = nxt[o]!;
        if (n === NIL || before(s, q, score[n]!, seq[n]!)) break;
        rank += spn[o]!;
        x = n;
      }
      if (x === node) return rank;
    }
    throw new Error(`node ${node} is not in the list`);
  }

  /** O(log n) expected. The node at 1-based `rank`, or 0 when rank is outside [1, size]. */
  atRank(rank: number): number {
    if (rank < 1 || rank > this.count) return NIL;
    const { nxt, spn, off } = this;
    let x = HEAD;
    let traversed = 0;
    for (let l = this.level - 1; l >= 0; l--) {
      for (;;) {
        const o = off[x]! + l;
        const n = nxt[o]!;
        if (n === NIL || traversed + spn[o]! > rank) break;
        traversed += spn[o]!;
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

  /** O(capacity). Empties the list; memory is kept for reuse. */
  clear(): void {
    this.nxt.fill(0);
    this.spn.fill(0);
    this.nodeTop = 1;
    this.towerTop = MAX_LEVEL;
    this.freeNodes = [];
    this.freeTowers = Array.from({ length: MAX_LEVEL + 1 }, () => []);
    this.level = 1;
    this.count = 0;
  }

  /** O(capacity). Bytes held by the typed arrays (the list's own memory). */
  byteSize(): number {
    return (
      this.score.byteLength +
      this.seq.byteLength +
      this.off.byteLength +
      this.lvl.byteLength +
      this.nxt.byteLength +
      this.spn.byteLength
    );
  }

  /**
   * O(n · levels). Verifies every invariant — order, spans, level counts, size — and throws a
   * description of the first one broken. For tests.
   */
  checkValid(): void {
    const rankOfNode = new Map<number, number>();
    let x = this.next(HEAD);
    let r = 0;
    let prev = HEAD;
    while (x !== NIL) {
      r++;
      if (rankOfNode.has(x)) throw new Error(`cycle at node ${x}`);
      rankOfNode.set(x, r);
      const h = this.lvl[x]!;
      if (h < 1 || h > MAX_LEVEL) throw new Error(`node ${x} has level ${h}`);
      if (prev !== HEAD && !before(this.score[prev]!, this.seq[prev]!, this.score[x]!, this.seq[x]!)) {
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
        const o = this.off[y]! + l;
        const n = this.nxt[o]!;
        const expected = n === NIL ? this.count - yr : rankOfNode.get(n)! - yr;
        if (n !== NIL && !rankOfNode.has(n)) throw new Error(`level ${l} links to dead node ${n}`);
        if (n !== NIL && this.lvl[n]! <= l) throw new Error(`node ${n} linked above its level`);
        if (this.spn[o] !== expected) {
          throw new Error(`span at node ${y} level ${l} is ${this.spn[o]}, expected ${expected}`);
        }
        if (n === NIL) break;
        y = n;
        yr = rankOfNode.get(n)!;
      }
    }
    if (this.level > 1 && this.nxt[this.off[HEAD]! + this.level - 1] === NIL) {
      throw new Error(`top level ${this.level} is empty`);
    }
  }

  /** Fills `update`/`rankAt` with the last node before key (s, q) at each level. */
  private findPath(s: number, q: number): void {
    const { nxt, spn, off, score, seq, path: update, pathRank: rankAt } = this;
    let x = HEAD;
    let rank = 0;
    for (let l = this.level - 1; l >= 0; l--) {
      for (;;) {
        const o = off[x]! + l;
        const n = nxt[o]!;
        if (n === NIL || !before(score[n]!, seq[n]!, s, q)) break;
        rank += spn[o]!;
        x = n;
      }
      update[l] = x;
      rankAt[l] = rank;
    }
  }

  /** Links an allocated node (key and level set) at the place of its key. */
  private link(node: number): void {
    this.findPath(this.score[node]!, this.seq[node]!);
    const { nxt, spn, off, path: update, pathRank: rankAt } = this;
    const height = this.lvl[node]!;
    if (height > this.level) {
      const ho = off[HEAD]!;
      for (let l = this.level; l < height; l++) {
        update[l] = HEAD;
        rankAt[l] = 0;
        spn[ho + l] = this.count;
      }
      this.level = height;
    }
    const base = rankAt[0]!;
    const no = off[node]!;
    for (let l = 0; l < height; l++) {
      const uo = off[update[l]!]! + l;
      nxt[no + l] = nxt[uo]!;
      nxt[uo] = node;
      const gap = base - rankAt[l]!;
      spn[no + l] = spn[uo]! - gap;
      spn[uo] = gap + 1;
    }
    for (let l = height; l < this.level; l++) spn[off[update[l]!]! + l]!++;
    this.count++;
  }

  private unlink(node: number): void {
    this.findPath(this.score[node]!, this.seq[node]!);
    this.unlinkAlongPath(node);
  }

  /** Unlinks `node` using the path `findPath` left for its key. */
  private unlinkAlongPath(node: number): void {
    const { nxt, spn, off, path: update } = this;
    const no = off[node]!;
    if (nxt[off[update[0]!]!] !== node) throw new Error(`node ${node} is not in the list`);
    for (let l = 0; l < this.level; l++) {
      const uo = off[update[l]!]! + l;
      if (nxt[uo] === node) {
        spn[uo] = spn[uo]! + spn[no + l]! - 1;
        nxt[uo] = nxt[no + l]!;
      } else {
        spn[uo]!--;
      }
    }
    const ho = off[HEAD]!;
    while (this.level > 1 && nxt[ho + this.level - 1] === NIL) this.level--;
    this.count--;
  }

  private randomLevel(): number {
    let h = 1;
    while (h < MAX_LEVEL && this.random() < 0.25) h++;
    return h;
  }

  private allocNode(height: number): number {
    let node = this.freeNodes.pop();
    if (node === undefined) {
      if (this.nodeTop >= this.score.length) this.growNodes();
      node = this.nodeTop++;
    }
    let tower = this.freeTowers[height]!.pop();
    if (tower === undefined) {
      if (this.towerTop + height > this.nxt.length) this.growTowers(height);
      tower = this.towerTop;
      this.towerTop += height;
    }
    this.lvl[node] = height;
    this.off[node] = tower;
    for (let l = 0; l < height; l++) {
      this.nxt[tower + l] = NIL;
      this.spn[tower + l] = 0;
    }
    return node;
  }

  private growNodes(): void {
    const cap = this.score.length * 2;
    this.score = grow(this.score, new Float64Array(cap));
    this.seq = grow(this.seq, new Float64Array(cap));
    this.off = grow(this.off, new Int32Array(cap));
    this.lvl = grow(this.lvl, new Uint8Array(cap));
  }

  private growTowers(need: number): void {
    const cap = Math.max(this.nxt.length * 2, this.towerTop + need);
    this.nxt = grow(this.nxt, new Int32Array(cap));
    this.spn = grow(this.spn, new Int32Array(cap));
  }
}

function grow<T extends Float64Array | Int32Array | Uint8Array>(from: T, to: T): T {
  to.set(from);
  return to;
}
