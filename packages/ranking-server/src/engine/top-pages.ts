/**
 * Serialised top pages, kept until a write touches them.
 *
 * A `GET /top/N` answer is the same bytes for every reader until an entry within the first N
 * changes, so the JSON of each page size is rendered once and reused. Rendering a page watches
 * its last row's key (score, seq); the board's change hook reports the key of every position a
 * write leaves or takes, and one that ranks at or above the deepest watched row ends the watch and
 * bumps `version`, which drops every cached page. Writes below the deepest page (most of them, on
 * a large board) cost one comparison.
 */
import type { Leaderboard } from '../board/leaderboard.js';

/** Most distinct page sizes kept serialised at once (each at most MAX_PAGE entries). */
export const TOP_PAGES_KEPT = 32;

/** A cache of rendered top pages of one board. */
export class TopPages {
  private readonly pages = new Map<number, Buffer>();
  private pagesVersion = -1;
  private watching = false;
  private watchScore = 0;
  private watchSeq = 0;
  private changes = 0;

  /** O(1). Becomes `board`'s change hook; `keep` bounds how many page sizes are held. */
  constructor(
    private readonly board: Leaderboard,
    private readonly keep = TOP_PAGES_KEPT,
  ) {
    board.setChangeHook((score, seq) => this.touched(score, seq));
  }

  /**
   * O(1). Changes when an entry within the watched top positions (see {@link watchTop}) may have
   * changed, so a page rendered before stays valid exactly while this number stays the same.
   */
  get version(): number {
    return this.changes;
  }

  /**
   * O(1) while no entry within the first n changed since the page was rendered, else
   * O(log n + n) to render it again. Answers the JSON bytes of the top n.
   */
  page(n: number): Buffer {
    if (this.pagesVersion !== this.changes) {
      this.pages.clear();
      this.pagesVersion = this.changes;
    }
    let page = this.pages.get(n);
    if (page === undefined) {
      if (this.pages.size >= this.keep) this.pages.clear();
      page = Buffer.from(JSON.stringify(this.board.top(n)));
      // Watching never changes the version: the page stays keyed to the version read above.
      this.watchTop(n);
      this.pages.set(n, page);
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
    const key = this.board.keyAt(n) ?? { score: -Infinity, seq: Infinity };
    if (
      !this.watching ||
      key.score < this.watchScore ||
      (key.score === this.watchScore && key.seq > this.watchSeq)
    ) {
      this.watchScore = key.score;
      this.watchSeq = key.seq;
    }
    this.watching = true;
  }

  /** O(1). The change hook: ends the watch when (score, seq) ranks at or above the watched row. */
  touched(score: number, seq: number): void {
    if (this.watching && (score > this.watchScore || (score === this.watchScore && seq <= this.watchSeq))) {
      this.watching = false;
      this.changes++;
    }
  }
}
