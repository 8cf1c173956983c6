/**
 * Reads. `top`/`around`/`get` are the original routes' reads of the default board; the `board.*`
 * reads take a board and a rank style and answer rows with the players' names and countries.
 */
import { Type } from 'typebox';
import { BoardIdSchema, CountSchema, RankStyleSchema, TotalSchema, UserIdSchema } from '../schemas.js';
import { canonicalUserId } from '../values.js';
import { canonicalUser } from './checks.js';
import type { BoardRow, Entry, RankedEntry, Standing } from './rows.js';
import { defineCommand } from './spec.js';

/** The largest N of a top page and the largest scope S of a window of positions. */
export const MAX_PAGE = 10_000;
/** The largest `size` of an around-me window (2·size+1 rows). */
export const MAX_AROUND = 100;
/** Most users in one friends lookup. */
export const MAX_LOOKUP = 100;
/** The largest `limit` of a range read. */
export const MAX_RANGE_LIMIT = 1000;

const Position = Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER });
const rank = Type.Optional(RankStyleSchema);

/** The `n` best entries of the default board, best first. */
export const topCommand = defineCommand<Entry[]>()({
  name: 'top',
  args: Type.Object({ n: CountSchema(MAX_PAGE) }, { additionalProperties: false }),
  keyed: false,
  reads: true,
  spread: 'board',
});

/** The default board's entries at positions max(1, position-scope) … position+scope. */
export const aroundCommand = defineCommand<Entry[]>()({
  name: 'around',
  args: Type.Object({ position: Position, scope: CountSchema(MAX_PAGE) }, { additionalProperties: false }),
  keyed: false,
  reads: true,
  spread: 'board',
});

/** One user's total and rank on the default board. */
export const getCommand = defineCommand<RankedEntry>()({
  name: 'get',
  args: Type.Object({ user: UserIdSchema }, { additionalProperties: false }),
  keyed: false,
  reads: true,
  spread: 'board',
  check: canonicalUser,
});

/** The `n` best rows of a board. */
export const boardTopCommand = defineCommand<BoardRow[]>()({
  name: 'board.top',
  args: Type.Object(
    { board: BoardIdSchema, n: CountSchema(MAX_PAGE), rank },
    { additionalProperties: false },
  ),
  keyed: false,
  reads: true,
  spread: 'board',
});

/** A board's rows at positions max(1, position-scope) … position+scope. */
export const boardWindowCommand = defineCommand<BoardRow[]>()({
  name: 'board.window',
  args: Type.Object(
    { board: BoardIdSchema, position: Position, scope: CountSchema(MAX_PAGE), rank },
    { additionalProperties: false },
  ),
  keyed: false,
  reads: true,
  spread: 'board',
});

/** One user's standing on a board. */
export const boardUserCommand = defineCommand<Standing>()({
  name: 'board.user',
  args: Type.Object({ board: BoardIdSchema, user: UserIdSchema, rank }, { additionalProperties: false }),
  keyed: false,
  reads: true,
  spread: 'board',
  check: canonicalUser,
});

/** 2·size+1 consecutive rows that contain the user, centred unless an end of the board shifts them. */
export const boardAroundCommand = defineCommand<BoardRow[]>()({
  name: 'board.around',
  args: Type.Object(
    { board: BoardIdSchema, user: UserIdSchema, size: CountSchema(MAX_AROUND), rank },
    { additionalProperties: false },
  ),
  keyed: false,
  reads: true,
  spread: 'board',
  check: canonicalUser,
});

/** The rows of the given users that are on the board, best first (a friends leaderboard). */
export const boardUsersCommand = defineCommand<BoardRow[]>()({
  name: 'board.users',
  args: Type.Object(
    { board: BoardIdSchema, ids: Type.Array(UserIdSchema, { minItems: 1, maxItems: MAX_LOOKUP }), rank },
    { additionalProperties: false },
  ),
  keyed: false,
  reads: true,
  spread: 'board',
  check: (args) => {
    args.ids = args.ids.map((id) => canonicalUserId(id)!);
    return undefined;
  },
});

/** How many entries have min ≤ total ≤ max, and the first `limit` of them in board order. */
export const boardRangeCommand = defineCommand<{ count: number; entries: BoardRow[] }>()({
  name: 'board.range',
  args: Type.Object(
    { board: BoardIdSchema, min: TotalSchema, max: TotalSchema, limit: CountSchema(MAX_RANGE_LIMIT), rank },
    { additionalProperties: false },
  ),
  keyed: false,
  reads: true,
  spread: 'board',
});
