/**
 * Everything the ranking server owns: the boards and players, their pages' cache, and the
 * idempotency keys. It is what the store loads into and snapshots (a {@link Replayable}): the one
 * place that knows what each log record means.
 */
import { DEFAULT_BOARD } from '@scoreboard/protocol';
import type { Board } from '../board/board.js';
import { Leaderboards } from '../board/leaderboards.js';
import type { RandomSource } from '../board/skip-list.js';
import { RecordType, type ChangeRecord, type LogRecord, type StoredProfile } from '../persistence/records.js';
import type { SnapshotSource } from '../persistence/snapshot.js';
import type { Replayable } from '../persistence/store.js';
import { IdempotencyStore } from './idempotency.js';
import { PageCaches } from './top-pages.js';

/** How big the state may grow, and knobs for tests. */
export interface StateOptions {
  maxBoards: number;
  maxPlayers: number;
  random?: RandomSource;
  capacity?: number;
  keys?: IdempotencyStore;
}

/** The ranking server's state. */
export class RankingState implements Replayable {
  readonly data: Leaderboards;
  readonly pages = new PageCaches();
  readonly keys: IdempotencyStore;

  /** O(capacity). Starts with the default board. */
  constructor(options: StateOptions) {
    this.data = new Leaderboards(options);
    this.data.onBoardCreated((board) => this.pages.attach(board));
    this.keys = options.keys ?? new IdempotencyStore();
  }

  /** O(1). The default board (the original routes' board). */
  get defaultBoard(): Board {
    return this.data.defaultBoard;
  }

  /**
   * O(log n) per change. Applies one record read back from a snapshot or the log; applying it twice
   * leaves the same state.
   */
  replay(rec: LogRecord): void {
    switch (rec.type) {
      case RecordType.Batch:
        for (const inner of rec.records) this.apply(inner);
        if (rec.key) this.keys.remember(rec.key, rec.at);
        break;
      case RecordType.Answer:
        this.keys.remember(rec.key, rec.at);
        break;
      case RecordType.End:
        break;
      case RecordType.Set: // the first version's single board: now the default board
        this.restore(DEFAULT_BOARD, rec.user, rec.total, rec.seq);
        if (rec.key) this.rememberEntry(rec.key, rec.user, rec.total, rec.at);
        break;
      case RecordType.Reset:
        this.data.defaultBoard.reset();
        break;
      case RecordType.Key:
        this.rememberEntry(rec.key, rec.user, rec.total, rec.at);
        break;
      default:
        this.apply(rec);
    }
  }

  /** O(1). Makes the next tie-break sequence at least `seq` (a snapshot's header). */
  advanceSeq(seq: number): void {
    this.data.seq.atLeast(seq);
  }

  /**
   * O(1). What a snapshot holds, as live record iterators: every profile, then each board's
   * configuration followed by its entries, then the remembered keys.
   */
  snapshotSource(): SnapshotSource {
    const { data, keys } = this;
    // Boards created after the walk begins are wholly in the newer log generations.
    const boards = data.list();
    function* records(): Generator<LogRecord> {
      for (const [user, fields] of data.players.profiles()) {
        yield { type: RecordType.Profile, at: 0, user, profile: fields as StoredProfile };
      }
      for (const board of boards) {
        yield { type: RecordType.Board, at: 0, board: board.id, config: { ...board.config } };
        for (const [slot, total, seq] of board.states()) {
          yield { type: RecordType.Score, at: 0, board: board.id, user: data.players.idOf(slot), total, seq };
        }
      }
      for (const [key, e] of keys.entries()) {
        yield {
          type: RecordType.Answer,
          at: e.at,
          key: { key, fingerprint: e.fingerprint, answer: e.answer },
        };
      }
    }
    return { records: records(), nextSeq: () => data.seq.next };
  }

  /** O(everything). Checks every structure. For tests. */
  checkValid(): void {
    this.data.checkValid();
  }

  private apply(rec: ChangeRecord): void {
    switch (rec.type) {
      case RecordType.Board:
        this.data.restoreBoard(rec.board, rec.config);
        break;
      case RecordType.BoardDelete:
        if (this.data.find(rec.board)) this.data.delete(rec.board);
        break;
      case RecordType.Score:
        this.restore(rec.board, rec.user, rec.total, rec.seq);
        break;
      case RecordType.BoardReset:
        this.data.find(rec.board)?.reset();
        break;
      case RecordType.Profile: {
        const { name, country, metadata } = rec.profile;
        this.data.writeProfile(rec.user, { name, country, metadata }, true);
        break;
      }
      case RecordType.Erase:
        this.data.erase(rec.user);
        this.keys.forgetUser(rec.user);
        break;
    }
  }

  private restore(boardId: string, user: string | number, total: number, seq: number): void {
    const board = this.data.find(boardId);
    // Records are written in order, so a board's entries always follow its creation.
    if (!board) throw new RangeError(`a score for board "${boardId}", which does not exist`);
    board.restore(this.data.players.acquire(user, true), total, seq);
  }

  private rememberEntry(
    ref: { key: string; fingerprint: string },
    user: string | number,
    total: number,
    at: number,
  ): void {
    this.keys.remember({ ...ref, answer: JSON.stringify({ user, total }) }, at);
  }
}
