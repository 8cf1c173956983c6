/**
 * Reads. `top`/`around`/`get` are the original routes' reads of the default board; the `board.*`
 * reads take a board and a rank style and answer rows with the players' names and countries.
 */
import { Type, type Static } from 'typebox';
import { BoardIdSchema, CountSchema, RankStyleSchema, TotalSchema, UserIdSchema } from '../schemas.js';
import { canonicalUserId } from '../values.js';
import { canonicalUser } from './checks.js';
import type { BoardRow, Entry, RankedEntry, Standing } from './rows.js';
import { argsOf, defineCommand, boardRead } from './spec.js';

/** The largest N of a top page and the largest scope S of a window of positions. */
export const MAX_PAGE = 10_000;
/** The largest `size` of an around-me window (2·size+1 rows). */
export const MAX_AROUND = 100;
/** Most users in one friends lookup. */
export const MAX_LOOKUP = 100;
/** The largest `limit` of a range read. */
export const MAX_RANGE_LIMIT = 1000;

/** The answer of `board.count`. */
const CountViewSchema = Type.Object(
  {
    count: Type.Integer({ description: 'entries on the board' }),
    total: Type.Optional(Type.Integer({ description: 'the total asked about' })),
    atLeast: Type.Optional(
      Type.Integer({
        description: "entries whose total is at least as good as `total`, in the board's order",
      }),
    ),
    percentile: Type.Optional(
      Type.Number({
        description: '100 · (count − atLeast) / count: the share strictly worse (0 on an empty board)',
      }),
    ),
  },
  { title: 'Count' },
);

const Position = Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER });
const rank = Type.Optional(RankStyleSchema);

/** The reads commands, by readable name. */
export const readCommands = {
  /** The `n` best entries of the default board, best first. */
  Top: defineCommand<Entry[]>()({
    name: 'top',
    args: argsOf({ n: CountSchema(MAX_PAGE) }),
    ...boardRead,
  }),
  /** The default board's entries at positions max(1, position-scope) … position+scope. */
  Around: defineCommand<Entry[]>()({
    name: 'around',
    args: argsOf({ position: Position, scope: CountSchema(MAX_PAGE) }),
    ...boardRead,
  }),
  /** One user's total and rank on the default board. */
  GetUser: defineCommand<RankedEntry>()({
    name: 'get',
    args: argsOf({ user: UserIdSchema }),
    ...boardRead,
    check: canonicalUser,
  }),
  /** The `n` best rows of a board. */
  BoardTop: defineCommand<BoardRow[]>()({
    name: 'board.top',
    args: argsOf({ board: BoardIdSchema, n: CountSchema(MAX_PAGE), rank }),
    ...boardRead,
  }),
  /** A board's rows at positions max(1, position-scope) … position+scope. */
  BoardWindow: defineCommand<BoardRow[]>()({
    name: 'board.window',
    args: argsOf({ board: BoardIdSchema, position: Position, scope: CountSchema(MAX_PAGE), rank }),
    ...boardRead,
  }),
  /** One user's standing on a board. */
  BoardUser: defineCommand<Standing>()({
    name: 'board.user',
    args: argsOf({ board: BoardIdSchema, user: UserIdSchema, rank }),
    ...boardRead,
    check: canonicalUser,
  }),
  /** 2·size+1 consecutive rows that contain the user, centred unless an end of the board shifts them. */
  BoardAround: defineCommand<BoardRow[]>()({
    name: 'board.around',
    args: argsOf({ board: BoardIdSchema, user: UserIdSchema, size: CountSchema(MAX_AROUND), rank }),
    ...boardRead,
    check: canonicalUser,
  }),
  /** The rows of the given users that are on the board, best first (a friends leaderboard). */
  BoardUsers: defineCommand<BoardRow[]>()({
    name: 'board.users',
    args: argsOf({
      board: BoardIdSchema,
      ids: Type.Array(UserIdSchema, { minItems: 1, maxItems: MAX_LOOKUP }),
      rank,
    }),
    ...boardRead,
    check: (args) => {
      args.ids = args.ids.map((id) => canonicalUserId(id)!);
      return undefined;
    },
  }),
  /** How many entries have min ≤ total ≤ max, and the first `limit` of them in board order. */
  BoardRange: defineCommand<{ count: number; entries: BoardRow[] }>()({
    name: 'board.range',
    args: argsOf({
      board: BoardIdSchema,
      min: TotalSchema,
      max: TotalSchema,
      limit: CountSchema(MAX_RANGE_LIMIT),
      rank,
    }),
    ...boardRead,
  }),
  /**
   * How many entries a board holds and, given a total, how many are at least as good as it and the
   * share strictly worse (its percentile): where a score would stand, without writing it.
   */
  BoardCount: defineCommand<Static<typeof CountViewSchema>>()({
    name: 'board.count',
    args: argsOf({ board: BoardIdSchema, total: Type.Optional(TotalSchema) }),
    result: CountViewSchema,
    ...boardRead,
  }),
};
