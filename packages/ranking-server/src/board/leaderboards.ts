/**
 * Every board and every player: the ranking data the server owns, and the operations that span
 * more than one board — creating and deleting boards, writing a profile (a new country moves the
 * player's entries on every board it is on; a new name re-renders their rows), and erasure.
 *
 * The `default` board always exists (descending, operator `set`): the original routes act on it.
 */
import {
  DEFAULT_BOARD,
  ErrorCode,
  ScoreboardError,
  type ProfileFields,
  type UserId,
} from '@scoreboard/protocol';
import { nextBoundary, periodAt } from '@scoreboard/calendar';
import type { BanView } from './archive.js';
import { Board, DEFAULT_CONFIG, Sequence, checkConfig, type BoardConfig, type Period } from './board.js';
import { Players, type ProfileChange } from './players.js';
import type { RandomSource } from './skip-list.js';

/** Limits and knobs. */
export interface LeaderboardsOptions {
  /** Most boards at once (the default board counts). */
  maxBoards: number;
  /** Most players (profiles or entries) at once. */
  maxPlayers: number;
  /** The skip lists' level source (seeded in tests). */
  random?: RandomSource;
  /** Capacity hint of the default board, in entries. */
  capacity?: number;
  /** What a banned player's writes get (default `accept`). */
  banWrites?: 'accept' | 'refuse';
}

/** A period's end: on which board, when, and the period that begins. */
export interface PeriodClose {
  board: string;
  at: number;
  next: Period;
}

/**
 * Banned players by id (why, and since when): a map whose `version` changes with every ban and
 * lift, so finished periods know when the rows they hide change (see {@link BanView}).
 */
export class Bans extends Map<UserId, { reason: string; at: number }> implements BanView {
  version = 0;

  /** O(1). Bans (again: a new reason) a player. */
  override set(user: UserId, ban: { reason: string; at: number }): this {
    this.version++;
    return super.set(user, ban);
  }

  /** O(1). Lifts a ban; whether there was one. */
  override delete(user: UserId): boolean {
    const had = super.delete(user);
    if (had) this.version++;
    return had;
  }

  /** O(bans). Lifts every ban. */
  override clear(): void {
    this.version++;
    super.clear();
  }
}

/** All boards and players. */
export class Leaderboards {
  readonly players: Players;
  readonly seq = new Sequence();
  private readonly boards = new Map<string, Board>();
  private readonly listeners: Array<(board: Board) => void> = [];
  /** Banned players, by id: why and since when (epoch ms). Kept by id: a ban may come before any entry. */
  readonly bans = new Bans();
  /** The earliest end of any live period (Infinity: none ends): checked on every batch in O(1). */
  private nextDue = Infinity;
  /** False until the default board's creation is recorded (a fresh data folder). */
  private defaultEstablished = false;

  /** O(1). What a banned player's writes get: applied to their hidden entries, or refused. */
  get banWrites(): 'accept' | 'refuse' {
    return this.options.banWrites ?? 'accept';
  }

  /** O(capacity). Starts with the default board. */
  constructor(private readonly options: LeaderboardsOptions) {
    this.players = new Players(options.maxPlayers);
    this.create(DEFAULT_BOARD, DEFAULT_CONFIG, 0, options.capacity);
  }

  /**
   * O(1). True once the default board's creation time is known: a record of it was applied (a
   * fresh data folder has none until the engine's first tick makes one).
   */
  get established(): boolean {
    return this.defaultEstablished;
  }

  /**
   * O(1) while no period is due, else O(B + boundaries). The live periods whose end has come by
   * `now` and how each ends — the period holding `now` begins; periods that passed with the server
   * down are empty and skipped — to be applied as PERIOD records. Changes nothing.
   */
  dueCloses(now: number): PeriodClose[] {
    if (now < this.nextDue) return [];
    const due: PeriodClose[] = [];
    for (const board of this.boards.values()) {
      const { end, id } = board.period;
      const reset = board.config.reset;
      if (end === null || end > now || !reset) continue;
      const p = periodAt(reset, board.created, end, now);
      due.push({ board: board.id, at: end, next: { id: id + p.boundaries, start: p.start, end: p.end } });
    }
    return due;
  }

  /** O(1). How a board's live period would end now (a manual season end); changes nothing. */
  closeNow(id: string, now: number): PeriodClose {
    const board = this.board(id);
    const reset = board.config.reset;
    const next: Period = {
      id: board.period.id + 1,
      start: now,
      end: reset ? periodAt(reset, board.created, now, now).end : null,
    };
    return { board: id, at: now, next };
  }

  /**
   * O(archives). What creating `id` at `now`, or changing an existing board's rules with `patch`
   * (fields given replace, `null` unsets), would leave: the rules, creation time and live period a
   * BOARD record carries. Refuses (changing nothing) past the cap (BOARD_LIMIT_REACHED), rules that
   * cross (BOARD_INVALID_CONFIG), and a new order, operator or subscore on a board with entries
   * (BOARD_CONFLICT). A new reset schedule ends the live period at its next boundary after `now`.
   */
  planPut(
    id: string,
    patch: Partial<BoardConfig>,
    now: number,
  ): { config: BoardConfig; created: number; period: Period; isNew: boolean } {
    const existing = this.boards.get(id);
    if (!existing && this.boards.size >= this.options.maxBoards) {
      throw new ScoreboardError(ErrorCode.BOARD_LIMIT_REACHED);
    }
    const before = existing?.config ?? DEFAULT_CONFIG;
    const config: BoardConfig = { ...before, ...patch };
    checkConfig(config);
    if (!existing) {
      const end = config.reset ? nextBoundary(config.reset, now, now) : null;
      return { config, created: now, period: { id: 1, start: now, end }, isNew: true };
    }
    const subscoreChanged = JSON.stringify(config.subscore) !== JSON.stringify(before.subscore);
    if (
      existing.size > 0 &&
      (config.order !== before.order || config.operator !== before.operator || subscoreChanged)
    ) {
      throw new ScoreboardError(ErrorCode.BOARD_CONFLICT);
    }
    const period = { ...existing.period };
    if (JSON.stringify(config.reset) !== JSON.stringify(before.reset)) {
      period.end = config.reset ? nextBoundary(config.reset, now, existing.created) : null;
    }
    return { config, created: existing.created, period, isNew: false };
  }

  /** O(n) on the board. Applies a period's end read back from a record (see Board.restoreClose). */
  restoreClose(id: string, at: number, next: Period): void {
    this.board(id).restoreClose(at, next);
    this.refreshDue();
  }

  /** O(1). Boards held. */
  get boardCount(): number {
    return this.boards.size;
  }

  /** O(1). `fn` is told of every board created (so a page cache can attach to it). */
  onBoardCreated(fn: (board: Board) => void): void {
    this.listeners.push(fn);
    for (const board of this.boards.values()) fn(board);
  }

  /** O(1). A board, or BOARD_NOT_FOUND. */
  board(id: string): Board {
    const board = this.boards.get(id);
    if (!board) throw new ScoreboardError(ErrorCode.BOARD_NOT_FOUND, `No board "${id}".`);
    return board;
  }

  /** O(1). A board, if it exists. */
  find(id: string): Board | undefined {
    return this.boards.get(id);
  }

  /** O(1). The default board. */
  get defaultBoard(): Board {
    return this.boards.get(DEFAULT_BOARD)!;
  }

  /** O(B log B). Every board, by id. */
  list(): Board[] {
    return [...this.boards.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  /** O(1) per step. Every board in no particular order; live. */
  all(): IterableIterator<Board> {
    return this.boards.values();
  }

  /**
   * O(1). Creates or reconfigures a board exactly as a record says — its rules, creation time and
   * live period: no rule or cap applies.
   */
  restoreBoard(id: string, config: BoardConfig, created: number, period: Period): void {
    const existing = this.boards.get(id) ?? this.create(id, config, created);
    existing.restoreConfig(config, created, period);
    if (id === DEFAULT_BOARD) this.defaultEstablished = true;
    this.refreshDue();
  }

  /** O(n of the board). Deletes a board and its entries; BOARD_PROTECTED for the default board. */
  delete(id: string): void {
    if (id === DEFAULT_BOARD) throw new ScoreboardError(ErrorCode.BOARD_PROTECTED);
    const board = this.board(id);
    board.reset();
    this.boards.delete(id);
    this.refreshDue();
  }

  /**
   * O(n of the board). Forgets a board and its entries if it is held — the default board too (a
   * record that recreates it must follow, as in an import). No rule applies.
   */
  discard(id: string): void {
    const board = this.boards.get(id);
    if (!board) return;
    board.reset();
    this.boards.delete(id);
    this.refreshDue();
  }

  /**
   * O(B + boards of the player · log n). Writes a profile (absent fields unchanged, null clears) and
   * brings the player's entries on every board along. PLAYER_LIMIT_REACHED for a new player past
   * the cap, unless `restoring` a record (what was accepted once is loaded whatever the cap now).
   */
  writeProfile(user: UserId, fields: ProfileFields, restoring = false): ProfileChange {
    const slot = this.players.acquire(user, restoring);
    const change = this.players.writeProfile(slot, fields);
    if (change.shownChanged) {
      for (const board of this.boardsOf(slot)) {
        board.moveCountry(slot, change.countryBefore, change.countryAfter);
        board.touch(slot);
      }
    }
    return change;
  }

  /**
   * O(B · log n). Bans a player (again: a new reason): their live entries leave every ranking, and
   * their writes go to the hidden entries; answers the boards whose rows changed.
   */
  ban(user: UserId, reason: string, at: number): string[] {
    const was = this.bans.get(user);
    this.bans.set(user, { reason, at: was?.at ?? at });
    const slot = this.players.slotOf(user);
    if (slot === undefined || was) return [];
    return this.boardsOf(slot)
      .filter((board) => board.hide(slot))
      .map((b) => b.id);
  }

  /** O(B · log n). Lifts a ban: the hidden entries show again; answers the boards whose rows changed. */
  unban(user: UserId): string[] {
    if (!this.bans.delete(user)) return [];
    const slot = this.players.slotOf(user);
    if (slot === undefined) return [];
    return this.boardsOf(slot)
      .filter((board) => board.unhide(slot))
      .map((b) => b.id);
  }

  /**
   * O(B · periods kept · n) at worst. True when {@link erase} would find something of the player:
   * a profile, an entry, or a finished period's row or results.
   */
  holds(user: UserId): boolean {
    if (this.players.slotOf(user) !== undefined || this.bans.has(user)) return true;
    for (const board of this.boards.values()) {
      if (board.holdsArchived(user) || board.participation.holds(user)) return true;
      if (board.buckets.bucketOf(user) !== undefined || board.tierOf.has(user)) return true;
    }
    return false;
  }

  /**
   * O(B · periods kept · n) at worst. Removes the profile, every entry and every finished-period row
   * and result of a player; true if any existed.
   */
  erase(user: UserId): boolean {
    let found = this.bans.delete(user);
    // Finished periods keep user ids, not slots: every board's are searched.
    for (const board of this.boards.values()) {
      if (board.eraseArchived(user)) found = true;
      if (board.participation.forget(user)) found = true;
      if (board.buckets.forget(user, this.players.slotOf(user))) found = true;
      if (board.tierOf.delete(user)) found = true;
    }
    const slot = this.players.slotOf(user);
    if (slot === undefined) return found;
    for (const board of this.boardsOf(slot)) board.remove(slot);
    if (this.players.hasProfile(slot)) this.players.dropProfile(slot);
    return true;
  }

  /**
   * O(B) at worst, B boards: the boards a player has an entry on, found by asking each board until
   * as many as the player is counted on are found.
   */
  boardsOf(slot: number): Board[] {
    const want = this.players.boardCount(slot);
    const found: Board[] = [];
    if (want === 0) return found;
    for (const board of this.boards.values()) {
      if (board.holds(slot) && found.push(board) === want) break;
    }
    return found;
  }

  /** O(everything). Checks every board and the player table. For tests. */
  checkValid(): void {
    for (const board of this.boards.values()) board.checkValid();
    this.players.checkValid(this.boards.values());
  }

  private refreshDue(): void {
    let due = Infinity;
    for (const board of this.boards.values()) {
      const end = board.period.end;
      if (end !== null && end < due) due = end;
    }
    this.nextDue = due;
  }

  private create(id: string, config: BoardConfig, created: number, capacity?: number): Board {
    const board = new Board(id, config, this.players, this.seq, created, {
      banned: (slot) => this.bans.size > 0 && this.bans.has(this.players.idOf(slot)),
      bans: this.bans,
      ...(this.options.random ? { random: this.options.random } : {}),
      ...(capacity ? { capacity } : {}),
    });
    this.boards.set(id, board);
    for (const fn of this.listeners) fn(board);
    return board;
  }
}
