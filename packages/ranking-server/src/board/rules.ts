/**
 * A board's rules, and the one sign convention: the skip list orders scores higher first, and a
 * board's score is its total (`desc`) or the total negated (`asc`), so both orders share one
 * structure. Every conversion between totals and scores, and every "better" in a board's order,
 * goes through {@link Rules} — nowhere else flips a sign.
 *
 * The rules of a write (`resolve`): operator `set` — a total replaces, a relative score adds;
 * `best` — a total is kept only when better in the board's order, a relative score is refused;
 * `min`/`max` bound the totals a write may leave, as does ±(2^53-1). The open window (`start`,
 * `end`, service `hours`) says when writes are taken.
 */
import {
  isOpen,
  isoOf,
  nextChange,
  nextOpening,
  type ResetSchedule,
  type ServiceHours,
} from '@scoreboard/calendar';
import {
  DEFAULT_KEEP,
  ErrorCode,
  MAX_TOTAL,
  ScoreboardError,
  type BoardOperator,
  type BoardOrder,
  type Movement,
  type RewardBand,
  type Tier,
} from '@scoreboard/protocol';

/** A board's rules. */
export interface BoardConfig {
  order: BoardOrder;
  operator: BoardOperator;
  min: number | null;
  max: number | null;
  /** When periods end (null: never). */
  reset: ResetSchedule | null;
  /** Finished periods kept readable. */
  keep: number;
  /** Best results kept per player and period (0: none). */
  history: number;
  /** The open window: event start and end (epoch ms) and service hours. */
  start: number | null;
  end: number | null;
  hours: ServiceHours | null;
  /** Tournament: only players who joined the live period may write. */
  join: boolean;
  /** Most players who may join a period (join boards only; null: no limit). */
  maxPlayers: number | null;
  /** Most accepted writes per player per period (null: no limit). */
  maxAttempts: number | null;
  /** Buckets: each player placed, on their first write of a period, in one of at most `size` (null: none). */
  bucket: { size: number } | null;
  /** Tiers, low to high (null: none; they need buckets). */
  tiers: readonly Tier[] | null;
  /** How many of each bucket move up and down a tier at a period's end, unless its tier says otherwise. */
  promote: Movement;
  relegate: Movement;
  /** Reward bands of the period results, by rank (null: none). */
  rewards: readonly RewardBand[] | null;
  /** The subscore that orders equal totals, and its order (null: none). */
  subscore: { order: BoardOrder } | null;
}

/** The rules of a board nobody configured: the original scoreboard's. */
export const DEFAULT_CONFIG: BoardConfig = Object.freeze({
  reset: null,
  keep: DEFAULT_KEEP,
  history: 0,
  start: null,
  end: null,
  hours: null,
  order: 'desc',
  operator: 'set',
  min: null,
  max: null,
  join: false,
  maxPlayers: null,
  maxAttempts: null,
  bucket: null,
  tiers: null,
  promote: 0,
  relegate: 0,
  rewards: null,
  subscore: null,
});

/**
 * A write as submitted: an absolute total or a relative delta, and on a board with a subscore the
 * write's subscore (absent: 0; added to the entry's on a relative write, like the delta).
 */
export type ScoreWrite = ({ total: number } | { delta: number }) & { subscore?: number };

/** What an entry holds: its total and its subscore (0 on a board without one). */
export interface Held {
  total: number;
  subscore: number;
}

/** O(1). Bounds and window that cross are refused (BOARD_INVALID_CONFIG). */
export function checkConfig(c: BoardConfig): void {
  if (c.min !== null && c.max !== null && c.min > c.max) {
    throw new ScoreboardError(
      ErrorCode.BOARD_INVALID_CONFIG,
      `min (${c.min}) must not exceed max (${c.max}).`,
    );
  }
  if (c.maxPlayers !== null && !c.join) {
    throw new ScoreboardError(
      ErrorCode.BOARD_INVALID_CONFIG,
      'maxPlayers applies to boards with "join": true.',
    );
  }
  if (c.tiers !== null && c.bucket === null) {
    throw new ScoreboardError(ErrorCode.BOARD_INVALID_CONFIG, 'tiers need buckets: set "bucket" too.');
  }
  if (c.start !== null && c.end !== null && c.start >= c.end) {
    throw new ScoreboardError(
      ErrorCode.BOARD_INVALID_CONFIG,
      `start (${isoOf(c.start)}) must come before end (${isoOf(c.end)}).`,
    );
  }
}

/** O(1). +1 when higher totals are better, -1 when lower ones are: score = sign · total. */
export function signOf(order: BoardOrder): 1 | -1 {
  return order === 'desc' ? 1 : -1;
}

/** A board's rules at work: its sign, its writes' rules and its open window. */
export class Rules {
  /** O(1). Checked rules (see {@link checkConfig}). */
  constructor(readonly config: Readonly<BoardConfig>) {}

  /** O(1). +1 for `desc`, -1 for `asc`. */
  get sign(): 1 | -1 {
    return signOf(this.config.order);
  }

  /** O(1). The skip list's score of a total (0 for either zero: -0 never reaches a key). */
  score(total: number): number {
    return this.sign * total + 0;
  }

  /** O(1). The total of a skip list's score. */
  total(score: number): number {
    return this.sign * score + 0;
  }

  /** O(1). True when `a` is a strictly better total than `b` in the board's order. */
  better(a: number, b: number): boolean {
    return this.sign * a > this.sign * b;
  }

  /** O(1). Whether entries carry a subscore. */
  get subscores(): boolean {
    return this.config.subscore !== null;
  }

  /** O(1). The skip list's sub of a subscore (higher first: `asc` negates; 0 for either zero). */
  sub(subscore: number): number {
    return (this.config.subscore?.order === 'asc' ? -subscore : subscore) + 0;
  }

  /** O(1). The subscore of a skip list's sub. */
  subscore(sub: number): number {
    return this.sub(sub);
  }

  /** O(1). True when `a` ranks strictly before `b`: a better total, or the same and a better subscore. */
  betterHeld(a: Held, b: Held): boolean {
    return (
      this.better(a.total, b.total) || (a.total === b.total && this.sub(a.subscore) > this.sub(b.subscore))
    );
  }

  /**
   * O(1). The total and subscore a write would leave, or a refusal (SUBSCORE_NOT_ALLOWED,
   * SCORE_OUT_OF_RANGE, SCORE_RELATIVE_NOT_ALLOWED) — nothing changes. `current` is what the player
   * holds, if on the board; `undefined` from a `best` board means the write keeps what they hold
   * (a better or equal pair of total and subscore).
   */
  resolve(current: Held | undefined, write: ScoreWrite): Held | undefined {
    const { operator, min, max } = this.config;
    if (write.subscore !== undefined && !this.subscores)
      throw new ScoreboardError(ErrorCode.SUBSCORE_NOT_ALLOWED);
    let total: number;
    if ('delta' in write) {
      if (operator === 'best') throw new ScoreboardError(ErrorCode.SCORE_RELATIVE_NOT_ALLOWED);
      total = (current?.total ?? 0) + write.delta;
    } else {
      total = write.total;
    }
    total += 0; // folds -0 into 0
    if (!Number.isSafeInteger(total) || Math.abs(total) > MAX_TOTAL) {
      throw new ScoreboardError(ErrorCode.SCORE_OUT_OF_RANGE);
    }
    if ((min !== null && total < min) || (max !== null && total > max)) {
      throw new ScoreboardError(
        ErrorCode.SCORE_OUT_OF_RANGE,
        `The resulting total ${total} is outside this board's range [${min ?? '-∞'}, ${max ?? '+∞'}].`,
      );
    }
    const next = { total, subscore: this.resolveSubscore(current, write) };
    if (operator === 'best' && current !== undefined && !this.betterHeld(next, current)) return undefined;
    return next;
  }

  /** O(1). The subscore a write leaves: its own, or on a relative write the entry's plus its own; 0 without subscores. */
  private resolveSubscore(current: Held | undefined, write: ScoreWrite): number {
    if (!this.subscores) return 0;
    const own = write.subscore ?? 0;
    const subscore = ('delta' in write ? (current?.subscore ?? 0) + own : own) + 0;
    if (!Number.isSafeInteger(subscore) || Math.abs(subscore) > MAX_TOTAL) {
      throw new ScoreboardError(
        ErrorCode.SCORE_OUT_OF_RANGE,
        `The resulting subscore ${subscore} is outside ±(2^53-1).`,
      );
    }
    return subscore;
  }

  /** O(1). The scores of the totals in [min, max], as [lowest score, highest score]. */
  scoreRange(min: number, max: number): [number, number] {
    const a = this.score(min);
    const b = this.score(max);
    return a <= b ? [a, b] : [b, a];
  }

  /** O(1). Whether writes are taken at `now`, and when that next flips (null: never). */
  window(now: number): { open: boolean; nextChange: number | null } {
    const { start, end, hours } = this.config;
    const window = { start, end, hours };
    return { open: isOpen(window, now), nextChange: nextChange(window, now) };
  }

  /**
   * O(1). Refuses a write at `now` outside the open window (BOARD_CLOSED), saying when the board
   * opens (its Retry-After), if it ever does.
   */
  checkOpen(board: string, now: number): void {
    const { start, end, hours } = this.config;
    const window = { start, end, hours };
    if (isOpen(window, now)) return;
    const opens = nextOpening(window, now);
    if (opens === null) {
      throw new ScoreboardError(
        ErrorCode.BOARD_CLOSED,
        `The board "${board}" takes no more writes: it closed for good.`,
      );
    }
    throw new ScoreboardError(
      ErrorCode.BOARD_CLOSED,
      `The board "${board}" takes no writes until ${isoOf(opens)}.`,
      {
        retryAfter: Math.max(1, Math.ceil((opens - now) / 1000)),
      },
    );
  }
}
