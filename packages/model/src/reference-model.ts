/**
 * The reference model: what the ranking server answers to every command, written as plainly as
 * possible — each board an array of rows sorted on every read, profiles in a map, ranks counted by
 * filtering, a counter for ties — so that it is right by inspection. It is slow on purpose
 * (O(n log n) per read) and has no persistence, caches or data structures worth the name.
 *
 * Its handlers are a typed table split by the same command families as the server's
 * (commands/), over the plain state of state.ts; its answers are formatted there, by its own
 * simple code, never a copy of the server's.
 *
 * Arguments are taken as the codec leaves them (validated, canonical). An answer is the result the
 * server would serialise, or the catalogue code of its error.
 */
import { periodAt } from '@scoreboard/calendar';
import {
  DEFAULT_BOARD,
  ErrorCode,
  IDEMPOTENCY_KEY_TTL_MS,
  type ArgsOf,
  type BoardRow,
  type CommandName,
  type Entry,
  type ResultOf,
  type UserId,
} from '@scoreboard/protocol';
import { modelHandlers } from './commands/index.js';
import type { ModelHandler } from './commands/handler.js';
import { ModelState, Refusal, type ModelLimits } from './state.js';

export type { ModelLimits } from './state.js';

/** What the model answers to one command. */
export type ModelAnswer<C extends CommandName = CommandName> =
  { ok: true; result: ResultOf<C> } | { ok: false; code: ErrorCode; retryAfter?: number };

/** The ranking server's semantics, naively. */
export class ReferenceModel {
  private readonly m: ModelState;
  private established = false;

  /** Starts with the default board, created on the first command. */
  constructor(limits: ModelLimits = { maxBoards: 10_000, maxPlayers: 50_000_000 }) {
    this.m = new ModelState(limits);
  }

  /** Users on the default board. */
  get size(): number {
    return this.m.board(DEFAULT_BOARD).rows.length;
  }

  /** The default board's rows, best first, as the original routes show them. */
  ranked(): Entry[] {
    return this.m.ranked();
  }

  /** A board's rows, best first, with ordinal ranks (to compare whole boards in tests). */
  rowsOf(board: string): BoardRow[] {
    return this.m.rowsOf(board);
  }

  /** Everything the model holds, in a canonical form: equal digests, equal states. */
  digest(): string {
    return this.m.digest();
  }

  /** The ids of a board's readable periods, live first (for tests that pick plausible ids). */
  periodIds(board: string): number[] {
    const b = this.m.boards.get(board);
    return b ? [b.period.id, ...b.archives.map((p) => p.id)] : [];
  }

  /** Whether a board orders equal totals by a subscore (for tests that write plausible subscores). */
  hasSubscore(board: string): boolean {
    return (this.m.boards.get(board)?.subscore ?? null) !== null;
  }

  /** The players with an entry on a board's live period (for tests that pick plausible players). */
  entryUsers(board: string): UserId[] {
    return this.m.boards.get(board)?.rows.map((r) => r.user) ?? [];
  }

  /** The players with a result in a finished period (for tests that pick plausible players). */
  resultUsers(board: string, period: number): UserId[] {
    const p = this.m.boards.get(board)?.archives.find((x) => x.id === period);
    return p ? p.outcomes.map((r) => r.user) : [];
  }

  /** Every board id, sorted. */
  boardIds(): string[] {
    return this.m.boardIds();
  }

  /**
   * Moves the model's clock to `now` (never backwards) and ends every period whose end has come:
   * what the server does before each batch and once a second.
   */
  tick(now: number): void {
    const m = this.m;
    m.now = Math.max(m.now, now);
    if (!this.established) {
      const d = m.board(DEFAULT_BOARD);
      d.created = m.now;
      d.period = { id: 1, start: m.now, end: null };
      this.established = true;
    }
    for (const b of m.boards.values()) {
      if (b.period.end === null || b.period.end > m.now || !b.reset) continue;
      const p = periodAt(b.reset, b.created, b.period.end, m.now);
      m.close(b, b.period.end, { id: b.period.id + p.boundaries, start: p.start, end: p.end });
    }
  }

  /** Applies one command with an optional idempotency key, at clock reading `now`. */
  apply<C extends CommandName>(cmd: C, args: ArgsOf<C>, key?: string, now = Date.now()): ModelAnswer<C> {
    this.tick(now);
    const m = this.m;
    try {
      if (key === undefined) return { ok: true, result: this.run(cmd, args) };
      const fingerprint = `${cmd}:${JSON.stringify(args)}`;
      const known = m.keys.get(key);
      const seen = known && m.now - known.at <= IDEMPOTENCY_KEY_TTL_MS ? known : undefined;
      if (seen) {
        if (seen.fingerprint !== fingerprint) return { ok: false, code: ErrorCode.IDEMPOTENCY_KEY_REUSED };
        return { ok: true, result: seen.result as ResultOf<C> };
      }
      const result = this.run(cmd, args);
      m.keys.delete(key);
      m.keys.set(key, { fingerprint, result, at: m.now });
      return { ok: true, result };
    } catch (err) {
      if (err instanceof Refusal) {
        return err.retryAfter === undefined
          ? { ok: false, code: err.code }
          : { ok: false, code: err.code, retryAfter: err.retryAfter };
      }
      throw err;
    }
  }

  private run<C extends CommandName>(cmd: C, args: ArgsOf<C>): ResultOf<C> {
    return (modelHandlers[cmd] as ModelHandler<C>)(args, this.m);
  }
}
