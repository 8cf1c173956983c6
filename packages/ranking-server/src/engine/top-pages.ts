/**
 * Serialised top pages, kept until a write touches them.
 *
 * A top-N answer is the same bytes for every reader until an entry within the first N changes (or
 * is shown differently: a new name), so the JSON of each page — by size, rank style and shape — is
 * rendered once and reused. Rendering a page watches its last row's key (score, seq); the board's
 * change hook reports the key of every position a write leaves or takes, and one that ranks at or
 * above the deepest watched row ends the watch and bumps `version`, which drops every cached page
 * of the board. Writes below the deepest page (most of them, on a large board) cost one comparison.
 * Ranks in any style depend only on the entries at or above a row, so one watch serves them all.
 */
import type { Board, ChangeHook } from '../board/board.js';

/** Most distinct pages kept serialised at once per board (each at most MAX_PAGE entries). */
export const TOP_PAGES_KEPT = 32;

/** What a page cache needs of a board. */
export interface Watched {
  /** The key at 1-based `rank`, or undefined past the end. */
  sortKeyAt(rank: number): { score: number; seq: number; sub: number } | undefined;
  /** Sets the one listener told about every key a write moves. */
  setChangeHook(hook: ChangeHook): void;
}

/** A cache of rendered top pages of one board. */
export class TopPages {
  private readonly pages = new Map<string, Buffer>();
  private pagesVersion = -1;
  private watching = false;
  private watchScore = 0;
  private watchSeq = 0;
  private watchSub = 0;
  private changes = 0;

  /** O(1). Becomes `board`'s change hook; `keep` bounds how many pages are held. */
  constructor(
    private readonly board: Watched,
    private readonly keep = TOP_PAGES_KEPT,
  ) {
    board.setChangeHook((score, seq, sub) => this.touched(score, seq, sub));
  }

  /**
   * O(1). Changes when an entry within the watched top positions (see {@link watchTop}) may have
   * changed, so a page rendered before stays valid exactly while this number stays the same.
   */
  get version(): number {
    return this.changes;
  }

  /**
   * O(1) while no entry within the first n changed since the page was rendered, else the cost of
   * `render` (O(log n + n)). Answers the JSON bytes of the page of the first `n` rows that `key`
   * names (its size, style and shape).
   */
  page(key: string, n: number, render: () => unknown): Buffer {
    if (this.pagesVersion !== this.changes) {
      this.pages.clear();
      this.pagesVersion = this.changes;
    }
    let page = this.pages.get(key);
    if (page === undefined) {
      if (this.pages.size >= this.keep) this.pages.clear();
      page = Buffer.from(JSON.stringify(render()));
      // Watching never changes the version: the page stays keyed to the version read above.
      this.watchTop(n);
      this.pages.set(key, page);
    }
    return page;
  }

  /**
   * O(log n). Watches the first `n` positions: the next write that moves, adds or changes an entry
   * ranked there (or ranked there before the write) changes {@link version}. Watches add up to the
   * deepest until the version changes, which ends every watch. n ≤ 0 watches nothing.
   */
  watchTop(n: number): void {
    if (n <= 0) return;
    // A board shorter than n: every write lands in the page.
    const key = this.board.sortKeyAt(n) ?? { score: -Infinity, seq: Infinity, sub: -Infinity };
    if (!this.watching || !this.atOrAbove(key.score, key.seq, key.sub)) {
      this.watchScore = key.score;
      this.watchSeq = key.seq;
      this.watchSub = key.sub;
    }
    this.watching = true;
  }

  /** O(1). Every page is shown differently now (the board's tiers were renamed): drops them all. */
  invalidate(): void {
    this.watching = false;
    this.changes++;
  }

  /** O(1). The change hook: ends the watch when (score, sub, seq) ranks at or above the watched row. */
  touched(score: number, seq: number, sub = 0): void {
    if (this.watching && this.atOrAbove(score, seq, sub)) {
      this.watching = false;
      this.changes++;
    }
  }

  /** O(1). Whether key (score, sub, seq) ranks at or above the watched row (sub: 0 without subscores). */
  private atOrAbove(score: number, seq: number, sub: number): boolean {
    if (score !== this.watchScore) return score > this.watchScore;
    if (sub !== this.watchSub) return sub > this.watchSub;
    return seq <= this.watchSeq;
  }
}

/** The page cache of every board, created with the board and gone with it. */
export class PageCaches {
  private readonly caches = new WeakMap<Board, TopPages>();

  /** O(1). Attaches a cache to a new board. */
  attach(board: Board): void {
    this.caches.set(board, new TopPages(board));
  }

  /** O(1). The cache of a board. */
  of(board: Board): TopPages {
    let cache = this.caches.get(board);
    if (!cache) {
      cache = new TopPages(board);
      this.caches.set(board, cache);
    }
    return cache;
  }
}
