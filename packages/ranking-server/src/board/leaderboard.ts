/**
 * The leaderboard: users and their totals, ranked by a {@link SkipList}.
 *
 * A `Map` finds a user's node; the skip list orders nodes by (total, seq). `seq` is a counter
 * stamped on a node whenever its total changes, so among equal totals the user who reached the
 * total first ranks higher, and an update that leaves a total unchanged keeps the position.
 *
 * The board serves requests and nothing else. It tells one listener (the change hook) about every
 * key it moves, so a cache of rendered pages can decide what a write invalidates; persistence reads
 * and restores it through `states()`/`restore()`, and every write hands back the sequence number
 * its log record needs.
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

/** What a write left: the user's total and the tie-break sequence that a log record stores. */
export interface Written extends Entry {
  seq: number;
}

/**
 * Called with the key (score, seq) of every position a write leaves or takes; `(Infinity, 0)`
 * when the whole board changes (a reset, a restored record), which ranks above every key.
 */
export type ChangeHook = (score: number, seq: number) => void;

const ignore: ChangeHook = () => undefined;

/** An in-memory board of users ranked by total, best first. */
export class Leaderboard {
  private readonly list: SkipList;
  private readonly nodes = new Map<UserId, number>();
  /** Users by the slot their node carries: a dense array, so top-N reads need no lookups. */
  private users: UserId[] = [];
  private nextSeq = 1;
  private changed: ChangeHook = ignore;

  /** O(capacity). `random` drives the skip list's levels (inject a seeded one in tests). */
  constructor(options: { random?: RandomSource; capacity?: number } = {}) {
    this.list = new SkipList(options);
  }

  /** O(1). Sets the one listener told about every key a write moves (replacing any before). */
  setChangeHook(hook: ChangeHook): void {
    this.changed = hook;
  }

  /** O(1). Number of users on the board. */
  get size(): number {
    return this.list.size;
  }

  /** O(log n). Sets a user's absolute total; a new user is added. Same total: position kept. */
  setTotal(user: UserId, total: number): Written {
    const t = total + 0; // folds -0 into 0
    if (!Number.isSafeInteger(t)) throw new ScoreboardError(ErrorCode.SCORE_OUT_OF_RANGE);
    const node = this.nodes.get(user);
    if (node === undefined) {
      const seq = this.nextSeq++;
      this.changed(t, seq);
      this.insertUser(user, t, seq);
      return { user, total: t, seq };
    }
    if (this.list.scoreOf(node) === t) return { user, total: t, seq: this.list.seqOf(node) };
    const seq = this.nextSeq++;
    this.changed(this.list.scoreOf(node), this.list.seqOf(node));
    this.changed(t, seq);
    this.list.update(node, t, seq);
    return { user, total: t, seq };
  }

  /**
   * O(log n). Adds `delta` to a user's total (an unknown user starts at 0). Refuses with
   * SCORE_OUT_OF_RANGE, changing nothing, when the result would leave ±(2^53-1).
   */
  addScore(user: UserId, delta: number): Written {
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

  /**
   * O(log n). Puts a user at exactly (total, seq), as recorded: replaying the same record twice
   * leaves the same board. Advances the sequence counter past `seq`.
   */
  restore(user: UserId, total: number, seq: number): void {
    this.changed(Infinity, 0);
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

  /**
   * O(log n). The key (score, seq) at 1-based `rank`, or `undefined` past the end: what a page
   * cache watches as the last row of a page.
   */
  keyAt(rank: number): { score: number; seq: number } | undefined {
    const node = this.list.atRank(rank);
    return node === 0 ? undefined : { score: this.list.scoreOf(node), seq: this.list.seqOf(node) };
  }

  /** O(capacity). Removes every user; answers how many there were. */
  reset(): number {
    const removed = this.size;
    this.changed(Infinity, 0);
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
