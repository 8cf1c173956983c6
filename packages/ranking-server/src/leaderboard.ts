/**
 * The leaderboard: users and their totals, ranked by a {@link SkipList}.
 *
 * A `Map` finds a user's node; the skip list orders nodes by (total, seq). `seq` is a counter
 * stamped on a node whenever its total changes, so among equal totals the user who reached the
 * total first ranks higher, and an update that leaves a total unchanged keeps the position.
 */
import {
  ErrorCode,
  MAX_TOTAL,
  ScoreboardError,
  type Entry,
  type RankedEntry,
  type UserId,
} from '@scoreboard/protocol';
import { SkipList, type RandomSource } from './skip-list.js';

/** An in-memory board of users ranked by total, best first. */
export class Leaderboard {
  private readonly list: SkipList;
  private readonly nodes = new Map<UserId, number>();
  /** Users by the slot their node carries: a dense array, so top-N reads need no lookups. */
  private users: UserId[] = [];
  private nextSeq = 1;
  /** See {@link topVersion}: the key of the deepest watched position, while one is watched. */
  private watching = false;
  private watchScore = 0;
  private watchSeq = 0;
  private topChanges = 0;

  /** O(capacity). `random` drives the skip list's levels (inject a seeded one in tests). */
  constructor(options: { random?: RandomSource; capacity?: number } = {}) {
    this.list = new SkipList(options);
  }

  /**
   * O(1). Changes when an entry within the watched top positions (see {@link watchTop}) may have
   * changed, so a page rendered before stays valid exactly while this number stays the same.
   */
  get topVersion(): number {
    return this.topChanges;
  }

  /**
   * O(log n). Watches the first `n` positions: the next write that moves, adds or changes an entry
   * ranked there (or ranked there before the write) changes {@link topVersion}. Watches add up to
   * the deepest until the version changes, which ends every watch. n ≤ 0 watches nothing.
   */
  watchTop(n: number): void {
    if (n <= 0) return;
    let score = -Infinity; // a board shorter than n: every write is in the page
    let seq = Infinity;
    if (n <= this.size) {
      const node = this.list.atRank(n);
      score = this.list.scoreOf(node);
      seq = this.list.seqOf(node);
    }
    if (!this.watching || score < this.watchScore || (score === this.watchScore && seq > this.watchSeq)) {
      this.watchScore = score;
      this.watchSeq = seq;
    }
    this.watching = true;
  }

  /** O(1). Ends the watch when (score, seq) ranks at or above the watched floor. */
  private touch(score: number, seq: number): void {
    if (this.watching && (score > this.watchScore || (score === this.watchScore && seq <= this.watchSeq))) {
      this.watching = false;
      this.topChanges++;
    }
  }

  /** O(1). Number of users on the board. */
  get size(): number {
    return this.list.size;
  }

  /** O(log n). Sets a user's absolute total; a new user is added. Same total: position kept. */
  setTotal(user: UserId, total: number): Entry {
    const t = total + 0; // folds -0 into 0
    if (!Number.isSafeInteger(t)) throw new ScoreboardError(ErrorCode.SCORE_OUT_OF_RANGE);
    const node = this.nodes.get(user);
    if (node === undefined) {
      this.touch(t, this.nextSeq);
      this.insertUser(user, t, this.nextSeq++);
    } else if (this.list.scoreOf(node) !== t) {
      this.touch(this.list.scoreOf(node), this.list.seqOf(node));
      this.touch(t, this.nextSeq);
      this.list.update(node, t, this.nextSeq++);
    }
    return { user, total: t };
  }

  /**
   * O(log n). Adds `delta` to a user's total (an unknown user starts at 0). Refuses with
   * SCORE_OUT_OF_RANGE, changing nothing, when the result would leave ±(2^53-1).
   */
  addScore(user: UserId, delta: number): Entry {
    const node = this.nodes.get(user);
    const current = node === undefined ? 0 : this.list.scoreOf(node);
    const total = current + delta;
    if (Math.abs(total) > MAX_TOTAL) throw new ScoreboardError(ErrorCode.SCORE_OUT_OF_RANGE);
    return this.setTotal(user, total);
  }

  /** O(1). The next tie-break sequence number to be stamped. */
  get seqCounter(): number {
    return this.nextSeq;
  }

  /** O(1). A user's total and tie-break sequence, or `undefined`: what a log record stores. */
  stateOf(user: UserId): { total: number; seq: number } | undefined {
    const node = this.nodes.get(user);
    return node === undefined ? undefined : { total: this.list.scoreOf(node), seq: this.list.seqOf(node) };
  }

  /**
   * O(log n). Puts a user at exactly (total, seq), as recorded: replaying the same record twice
   * leaves the same board. Advances the sequence counter past `seq`.
   */
  restore(user: UserId, total: number, seq: number): void {
    this.touch(Infinity, 0);
    const node = this.nodes.get(user);
    if (node === undefined) {
      this.insertUser(user, total, seq);
    } else if (this.list.scoreOf(node) !== total || this.list.seqOf(node) !== seq) {
      this.list.update(node, total, seq);
    }
    if (seq >= this.nextSeq) this.nextSeq = seq + 1;
  }

  /** O(1). Makes the next stamped sequence at least `seq` (after loading a snapshot). */
  advanceSeq(seq: number): void {
    if (seq > this.nextSeq) this.nextSeq = seq;
  }

  /**
   * O(1) per step. Every (user, total, seq), in no particular order. The iterator stays valid while
   * the board changes (a user present throughout is visited once), so a snapshot can walk it a
   * chunk at a time between requests.
   */
  *states(): Generator<[UserId, number, number]> {
    for (const [user, node] of this.nodes) yield [user, this.list.scoreOf(node), this.list.seqOf(node)];
  }

  /** O(log n). A user's total and 1-based rank, or `undefined` when not on the board. */
  get(user: UserId): RankedEntry | undefined {
    const node = this.nodes.get(user);
    if (node === undefined) return undefined;
    return { user, total: this.list.scoreOf(node), rank: this.list.rankOf(node) };
  }

  /** O(log n + n'). The `n` best entries, best first; fewer when the board is smaller. */
  top(n: number): Entry[] {
    return this.entries(1, n);
  }

  /**
   * O(log n + 2·scope). Entries at positions max(1, p-scope) … min(size, p+scope), best first;
   * empty when p is past the end.
   */
  around(position: number, scope: number): Entry[] {
    const from = Math.max(1, position - scope);
    const to = Math.min(this.size, position + scope);
    return to < from ? [] : this.entries(from, to - from + 1);
  }

  /** O(capacity). Removes every user; answers how many there were. */
  reset(): number {
    const removed = this.size;
    this.touch(Infinity, 0);
    this.list.clear();
    this.nodes.clear();
    this.users = [];
    return removed;
  }

  /** O(n log n). Checks the skip list and that every user maps to a node holding it. For tests. */
  checkValid(): void {
    this.list.checkValid();
    if (this.nodes.size !== this.list.size) {
      throw new Error(`${this.nodes.size} users but ${this.list.size} nodes`);
    }
    for (const [user, node] of this.nodes) {
      if (this.users[this.list.slotOf(node)] !== user)
        throw new Error(`node ${node} does not hold user ${user}`);
    }
  }

  private insertUser(user: UserId, total: number, seq: number): void {
    this.nodes.set(user, this.list.insert(total, seq, this.users.length));
    this.users.push(user);
  }

  private entries(from: number, count: number): Entry[] {
    const out: Entry[] = [];
    for (const node of this.list.range(from, count)) {
      out.push({ user: this.users[this.list.slotOf(node)]!, total: this.list.scoreOf(node) });
    }
    return out;
  }
}
