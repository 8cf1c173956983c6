/**
 * Periods and history: the periods of a board (the live one and the finished ones it keeps), reads
 * of any of them with the same answers and rank styles as the board's own, and a player's best
 * results in a period.
 */
import { Type } from 'typebox';
import { BoardIdSchema, CountSchema, RankStyleSchema, UserIdSchema } from '../schemas.js';
import { canonicalUser } from './checks.js';
import { MAX_AROUND, MAX_PAGE } from './reads.js';
import type { BoardRow, PeriodResult, PeriodView, ResultView, ResultsPage, Standing } from './rows.js';
import { argsOf, defineCommand, boardRead } from './spec.js';

const PeriodId = Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER });
const rank = Type.Optional(RankStyleSchema);

/** Most results one page answers, and the default. */
export const MAX_RESULTS_PAGE = 1000;
export const DEFAULT_RESULTS_PAGE = 100;
/** A results cursor: the place of the last result answered, as decimal digits. */
export const ResultsCursorSchema = Type.String({ pattern: '^[0-9]{1,15}$', description: 'a `next` cursor' });

/** The periods commands, by readable name. */
export const periodCommands = {
  /** Every period a board can read, newest (the live one) first. */
  BoardPeriods: defineCommand<PeriodView[]>()({
    name: 'board.periods',
    args: argsOf({ board: BoardIdSchema }),
    ...boardRead,
  }),
  /**
   * A finished period's results in pages of `limit`, by tier, then bucket, then rank, after the
   * cursor `after`. PERIOD_NOT_FOUND for the live period (its results are written when it ends).
   */
  PeriodResults: defineCommand<ResultsPage>()({
    name: 'period.results',
    args: argsOf({
      board: BoardIdSchema,
      period: PeriodId,
      limit: Type.Integer({ minimum: 1, maximum: MAX_RESULTS_PAGE }),
      after: Type.Optional(ResultsCursorSchema),
    }),
    ...boardRead,
  }),
  /** One player's result in a finished period; USER_NOT_FOUND when it has none. */
  PeriodResult: defineCommand<PeriodResult>()({
    name: 'period.result',
    args: argsOf({ board: BoardIdSchema, period: PeriodId, user: UserIdSchema }),
    ...boardRead,
    check: canonicalUser,
  }),
  /** The `n` best rows of a period. */
  PeriodTop: defineCommand<BoardRow[]>()({
    name: 'period.top',
    args: argsOf({ board: BoardIdSchema, period: PeriodId, n: CountSchema(MAX_PAGE), rank }),
    ...boardRead,
  }),
  /** A period's rows at positions max(1, position-scope) … position+scope. */
  PeriodWindow: defineCommand<BoardRow[]>()({
    name: 'period.window',
    args: argsOf({
      board: BoardIdSchema,
      period: PeriodId,
      position: Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER }),
      scope: CountSchema(MAX_PAGE),
      rank,
    }),
    ...boardRead,
  }),
  /** A user's standing in a period. */
  PeriodUser: defineCommand<Standing>()({
    name: 'period.user',
    args: argsOf({ board: BoardIdSchema, period: PeriodId, user: UserIdSchema, rank }),
    ...boardRead,
    check: canonicalUser,
  }),
  /** The rows around a user in a period. */
  PeriodAround: defineCommand<BoardRow[]>()({
    name: 'period.around',
    args: argsOf({
      board: BoardIdSchema,
      period: PeriodId,
      user: UserIdSchema,
      size: CountSchema(MAX_AROUND),
      rank,
    }),
    ...boardRead,
    check: canonicalUser,
  }),
  /** A player's best results in a period (the live one unless `period` is given), best first. */
  History: defineCommand<ResultView[]>()({
    name: 'board.history',
    args: argsOf({ board: BoardIdSchema, user: UserIdSchema, period: Type.Optional(PeriodId) }),
    ...boardRead,
    check: canonicalUser,
  }),
};
