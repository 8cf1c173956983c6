/**
 * The shapes commands answer — rows of a board, a user's standing, a board, a player — as TypeBox
 * schemas, with their TypeScript types derived from them: the server builds these, the HTTP routes
 * document them, and neither can drift from the other.
 */
import { Type, type Static } from 'typebox';
import { UserIdSchema } from '../schemas.js';

export { RANK_STYLES, type RankStyle } from '../values.js';

/** One row of a board: a user and its total (the original routes' shape). */
export const EntrySchema = Type.Object({ user: UserIdSchema, total: Type.Integer() });
/** See {@link EntrySchema}. */
export type Entry = Static<typeof EntrySchema>;

/** A user's row with its 1-based position (the original `GET /users/:id`). */
export const RankedEntrySchema = Type.Object({
  user: UserIdSchema,
  total: Type.Integer(),
  rank: Type.Integer(),
});
/** See {@link RankedEntrySchema}. */
export type RankedEntry = Static<typeof RankedEntrySchema>;

/** A row of a named board: the entry, its rank in the asked style, the player's name and country. */
export const BoardRowSchema = Type.Object({
  user: UserIdSchema,
  total: Type.Integer(),
  rank: Type.Integer({ description: 'in the asked rank style (within the country on country routes)' }),
  name: Type.Optional(Type.String()),
  country: Type.Optional(Type.String({ description: 'ISO 3166-1 alpha-2' })),
});
/** See {@link BoardRowSchema}. */
export type BoardRow = Static<typeof BoardRowSchema>;

/** A user's standing on a board: the row, the board's size, percentile and rank in the country. */
export const StandingSchema = Type.Object({
  user: UserIdSchema,
  total: Type.Integer(),
  rank: Type.Integer(),
  name: Type.Optional(Type.String()),
  country: Type.Optional(Type.String()),
  count: Type.Integer({ description: 'entries on the board' }),
  percentile: Type.Number({ description: '100 · (count − ordinal rank) / count' }),
  countryRank: Type.Optional(Type.Integer()),
});
/** See {@link StandingSchema}. */
export type Standing = Static<typeof StandingSchema>;

/** How a board orders totals: `desc` (higher is better) or `asc` (lower is better). */
export const BoardOrderSchema = Type.Union([Type.Literal('desc'), Type.Literal('asc')]);
/** See {@link BoardOrderSchema}. */
export type BoardOrder = Static<typeof BoardOrderSchema>;

/** What a write does: `set` (a total replaces, a score adds) or `best` (a total is kept only when better). */
export const BoardOperatorSchema = Type.Union([Type.Literal('set'), Type.Literal('best')]);
/** See {@link BoardOperatorSchema}. */
export type BoardOperator = Static<typeof BoardOperatorSchema>;

/** A board as answered. */
export const BoardViewSchema = Type.Object({
  board: Type.String(),
  order: BoardOrderSchema,
  operator: BoardOperatorSchema,
  min: Type.Union([Type.Integer(), Type.Null()]),
  max: Type.Union([Type.Integer(), Type.Null()]),
  count: Type.Integer(),
});
/** See {@link BoardViewSchema}. */
export type BoardView = Static<typeof BoardViewSchema>;

/** A player's profile as answered. */
export const ProfileSchema = Type.Object({
  user: UserIdSchema,
  name: Type.Union([Type.String(), Type.Null()]),
  country: Type.Union([Type.String(), Type.Null()]),
  metadata: Type.Union([Type.Record(Type.String(), Type.Unknown()), Type.Null()]),
});
/** See {@link ProfileSchema}. */
export type Profile = Static<typeof ProfileSchema>;

/** A player's place on one board. */
export const PlacementSchema = Type.Object({
  total: Type.Integer(),
  rank: Type.Integer(),
  countryRank: Type.Optional(Type.Integer()),
});
/** See {@link PlacementSchema}. */
export type Placement = Static<typeof PlacementSchema>;

/** A player as answered by `GET /players/:user`: the profile and a placement per board. */
export const PlayerViewSchema = Type.Object({
  user: UserIdSchema,
  name: Type.Union([Type.String(), Type.Null()]),
  country: Type.Union([Type.String(), Type.Null()]),
  metadata: Type.Union([Type.Record(Type.String(), Type.Unknown()), Type.Null()]),
  boards: Type.Record(Type.String(), PlacementSchema),
});
/** See {@link PlayerViewSchema}. */
export type PlayerView = Static<typeof PlayerViewSchema>;

/** A country on a board and how many of its players are there. */
export const CountryCountSchema = Type.Object({ country: Type.String(), count: Type.Integer() });
/** See {@link CountryCountSchema}. */
export type CountryCount = Static<typeof CountryCountSchema>;
