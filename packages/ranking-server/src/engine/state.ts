/**
 * Everything the ranking server owns: the board, its cache of rendered top pages, and the
 * idempotency keys. It is what the store loads into and snapshots (a {@link Replayable}): the one
 * place that knows what each log record means for the board.
 */
import type { RandomSource } from '../board/skip-list.js';
import { Leaderboard } from '../board/leaderboard.js';
import { RecordType, type LogRecord } from '../persistence/records.js';
import type { SnapshotSource } from '../persistence/snapshot.js';
import type { Replayable } from '../persistence/store.js';
import { IdempotencyStore } from './idempotency.js';
import { TopPages } from './top-pages.js';

/** The ranking server's state. */
export class RankingState implements Replayable {
  readonly board: Leaderboard;
  readonly pages: TopPages;
  readonly keys: IdempotencyStore;

  /** O(capacity). `random` drives the skip list's levels (seeded in tests). */
  constructor(options: { random?: RandomSource; capacity?: number; keys?: IdempotencyStore } = {}) {
    this.board = new Leaderboard(options);
    this.pages = new TopPages(this.board);
    this.keys = options.keys ?? new IdempotencyStore();
  }

  /** O(log n). Applies one record read back from a snapshot or the log; applying it twice is harmless. */
  replay(rec: LogRecord): void {
    switch (rec.type) {
      case RecordType.Set:
        this.board.restore(rec.user, rec.total, rec.seq);
        if (rec.key) this.keys.remember(rec.key, { user: rec.user, total: rec.total }, rec.at);
        break;
      case RecordType.Reset:
        this.board.reset();
        break;
      case RecordType.Key:
        this.keys.remember(rec.key, { user: rec.user, total: rec.total }, rec.at);
        break;
      case RecordType.End:
        break;
    }
  }

  /** O(1). See {@link Leaderboard.advanceSeq}. */
  advanceSeq(seq: number): void {
    this.board.advanceSeq(seq);
  }

  /** O(1). The board's users, then the remembered keys, as records; live iterators. */
  snapshotSource(): SnapshotSource {
    const { board, keys } = this;
    function* records(): Generator<LogRecord> {
      for (const [user, total, seq] of board.states())
        yield { type: RecordType.Set, user, total, seq, at: 0 };
      for (const [key, e] of keys.entries()) {
        yield {
          type: RecordType.Key,
          at: e.at,
          user: e.result.user,
          total: e.result.total,
          key: { key, fingerprint: e.fingerprint },
        };
      }
    }
    return { records: records(), nextSeq: () => board.seqCounter };
  }
}
