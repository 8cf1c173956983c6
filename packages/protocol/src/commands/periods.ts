/**
 * Periods and history: the periods of a board (the live one and the finished ones it keeps), reads
 * of any of them with the same answers and rank styles as the board's own, and a player's best
 * results in a period.
 */
import { Type } from 'typebox';
import { BoardIdSchema, CountSchema, RankStyleSchema, UserIdSchema } from '../schemas.js';
import { canonicalUser } from './checks.js';
import { MAX_AROUND, MAX_PAGE } from './reads.js';
import type { BoardRow, PeriodView, ResultView, Standing } from './rows.js';
import { defineCommand } from './spec.js';

const PeriodId = Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER });
const rank = Type.Optional(RankStyleSchema);

/** Every period a board can read, newest (the live one) first. */
export const boardPeriodsCommand = defineCommand<PeriodView[]>()({
  name: 'board.periods',
  args: Type.Object({ board: BoardIdSchema }, { additionalProperties: false }),
  keyed: false,
  reads: true,
  spread: 'board',
});

/** The `n` best rows of a period. */
export const periodTopCommand = defineCommand<BoardRow[]>()({
  name: 'period.top',
  args: Type.Object(
    { board: BoardIdSchema, period: PeriodId, n: CountSchema(MAX_PAGE), rank },
    { additionalProperties: false },
  ),
  keyed: false,
  reads: true,
  spread: 'board',
});

/** A period's rows at positions max(1, position-scope) … position+scope. */
export const periodWindowCommand = defineCommand<BoardRow[]>()({
  name: 'period.window',
  args: Type.Object(
    {
      board: BoardIdSchema,
      period: PeriodId,
      position: Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER }),
      scope: CountSchema(MAX_PAGE),
      rank,
    },
    { additionalProperties: false },
  ),
  keyed: false,
  reads: true,
  spread: 'board',
});

/** A user's standing in a period. */
export const periodUserCommand = defineCommand<Standing>()({
  name: 'period.user',
  args: Type.Object(
    { board: BoardIdSchema, period: PeriodId, user: UserIdSchema, rank },
    { additionalProperties: false },
  ),
  keyed: false,
  reads: true,
  spread: 'board',
  check: canonicalUser,
});

/** The rows around a user in a period. */
export const periodAroundCommand = defineCommand<BoardRow[]>()({
  name: 'period.around',
  args: Type.Object(
    { board: BoardIdSchema, period: PeriodId, user: UserIdSchema, size: CountSchema(MAX_AROUND), rank },
    { additionalProperties: false },
  ),
  keyed: false,
  reads: true,
  spread: 'board',
  check: canonicalUser,
});

/** A player's best results in a period (the live one unless `period` is given), best first. */
export const historyCommand = defineCommand<ResultView[]>()({
  name: 'board.history',
  args: Type.Object(
    { board: BoardIdSchema, user: UserIdSchema, period: Type.Optional(PeriodId) },
    { additionalProperties: false },
  ),
  keyed: false,
  reads: true,
  spread: 'board',
  check: canonicalUser,
});
