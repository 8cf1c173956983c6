/**
 * The shapes commands answer — rows of a board, a user's standing, a board, a player — as TypeBox
 * schemas, with their TypeScript types derived from them: the server builds these, the HTTP routes
 * document them, and neither can drift from the other. Each has a `title`: the name of its
 * component in the OpenAPI document (what SDK generators call the type).
 */
import { Type, type Static } from 'typebox';
import { MovementSchema, RewardBandSchema, TierSchema } from '../board-config.js';
import { MetadataSchema, UserIdSchema } from '../schemas.js';

/** The metadata of the write that earned an entry's total; absent when it had none. */
const EntryMetadata = Type.Optional(MetadataSchema);
/** An entry's subscore: present exactly on boards with one. */
const EntrySubscore = Type.Optional(
  Type.Integer({ description: 'the tie-breaking subscore (boards with a `subscore` only)' }),
);

export { RANK_STYLES, type RankStyle } from '../values.js';

/** One row of a board: a user and its total (the original routes' shape). */
export const EntrySchema = Type.Object(
  { user: UserIdSchema, total: Type.Integer(), subscore: EntrySubscore, metadata: EntryMetadata },
  { title: 'UserTotal' },
);
/** See {@link EntrySchema}. */
export type Entry = Static<typeof EntrySchema>;

/** A user's row with its 1-based position (the original `GET /users/:id`). */
export const RankedEntrySchema = Type.Object(
  {
    user: UserIdSchema,
    total: Type.Integer(),
    subscore: EntrySubscore,
    rank: Type.Integer(),
    metadata: EntryMetadata,
  },
  { title: 'RankedTotal' },
);
/** See {@link RankedEntrySchema}. */
export type RankedEntry = Static<typeof RankedEntrySchema>;

/** A row of a named board: the entry, its rank in the asked style, the player's name and country. */
export const BoardRowSchema = Type.Object(
  {
    user: UserIdSchema,
    total: Type.Integer(),
    subscore: EntrySubscore,
    rank: Type.Integer({ description: 'in the asked rank style (within the country on country routes)' }),
    name: Type.Optional(Type.String()),
    country: Type.Optional(Type.String({ description: 'ISO 3166-1 alpha-2' })),
    metadata: EntryMetadata,
    bucket: Type.Optional(
      Type.Integer({ description: "the player's bucket this period (boards with buckets)" }),
    ),
    tier: Type.Optional(Type.String({ description: "the player's tier (boards with tiers)" })),
  },
  { title: 'Entry' },
);
/** See {@link BoardRowSchema}. */
export type BoardRow = Static<typeof BoardRowSchema>;

/** A user's standing on a board: the row, the board's size, percentile and rank in the country. */
export const StandingSchema = Type.Object(
  {
    user: UserIdSchema,
    total: Type.Integer(),
    subscore: EntrySubscore,
    rank: Type.Integer(),
    name: Type.Optional(Type.String()),
    country: Type.Optional(Type.String()),
    metadata: EntryMetadata,
    count: Type.Integer({ description: 'entries on the board' }),
    percentile: Type.Number({ description: '100 · (count − ordinal rank) / count' }),
    countryRank: Type.Optional(Type.Integer()),
    bucket: Type.Optional(Type.Integer()),
    tier: Type.Optional(Type.String()),
  },
  { title: 'Standing' },
);
/** See {@link StandingSchema}. */
export type Standing = Static<typeof StandingSchema>;

/** How a board orders totals: `desc` (higher is better) or `asc` (lower is better). */
export const BoardOrderSchema = Type.Union([Type.Literal('desc'), Type.Literal('asc')], {
  title: 'BoardOrder',
});
/** See {@link BoardOrderSchema}. */
export type BoardOrder = Static<typeof BoardOrderSchema>;

/**
 * A board's subscore: writes carry an integer `subscore` (absent: 0), and entries with equal totals
 * order by it — higher first (`desc`) or lower first (`asc`) — then by who reached it first.
 */
export const SubscoreSchema = Type.Object(
  { order: BoardOrderSchema },
  { additionalProperties: false, title: 'Subscore' },
);
/** See {@link SubscoreSchema}. */
export type Subscore = Static<typeof SubscoreSchema>;

/** What a write does: `set` (a total replaces, a score adds) or `best` (a total is kept only when better). */
export const BoardOperatorSchema = Type.Union([Type.Literal('set'), Type.Literal('best')], {
  title: 'BoardOperator',
});
/** See {@link BoardOperatorSchema}. */
export type BoardOperator = Static<typeof BoardOperatorSchema>;

/** A period of a board: ids count up from 1; `end` is null on a board that never resets. */
export const PeriodSchema = Type.Object(
  {
    id: Type.Integer({ minimum: 1 }),
    start: Type.String({ description: 'ISO 8601 UTC' }),
    end: Type.Union([Type.String(), Type.Null()]),
  },
  { title: 'PeriodInfo' },
);
/** See {@link PeriodSchema}. */
export type PeriodInfo = Static<typeof PeriodSchema>;

/** A period with the number of entries it holds (GET /boards/:board/periods). */
export const PeriodViewSchema = Type.Object(
  {
    id: Type.Integer({ minimum: 1 }),
    start: Type.String(),
    end: Type.Union([Type.String(), Type.Null()]),
    count: Type.Integer(),
  },
  { title: 'Period' },
);
/** See {@link PeriodViewSchema}. */
export type PeriodView = Static<typeof PeriodViewSchema>;

/**
 * One of a player's best results on a board: the total, when it was submitted, and the write's
 * metadata (live period only) when it had some.
 */
export const ResultSchema = Type.Object(
  {
    total: Type.Integer(),
    at: Type.String({ description: 'ISO 8601 UTC' }),
    metadata: EntryMetadata,
  },
  { title: 'Result' },
);
/** See {@link ResultSchema}. */
export type ResultView = Static<typeof ResultSchema>;

const ResetViewSchema = Type.Union([
  Type.Null(),
  Type.Object({
    every: Type.Union([Type.Literal('day'), Type.Literal('week'), Type.Literal('month')]),
    at: Type.String(),
    timezone: Type.String(),
    weekday: Type.Optional(Type.Integer()),
    day: Type.Optional(Type.Integer()),
  }),
  Type.Object({ everySeconds: Type.Integer() }),
]);

const HoursViewSchema = Type.Union([
  Type.Null(),
  Type.Object({
    from: Type.String(),
    to: Type.String(),
    days: Type.Array(Type.Integer()),
    timezone: Type.String(),
  }),
]);

/** A board as answered: its rules, its current period, and whether it takes writes now. */
export const BoardViewSchema = Type.Object(
  {
    board: Type.String(),
    order: BoardOrderSchema,
    operator: BoardOperatorSchema,
    min: Type.Union([Type.Integer(), Type.Null()]),
    max: Type.Union([Type.Integer(), Type.Null()]),
    count: Type.Integer(),
    reset: ResetViewSchema,
    keep: Type.Integer(),
    history: Type.Integer(),
    start: Type.Union([Type.String(), Type.Null()]),
    end: Type.Union([Type.String(), Type.Null()]),
    hours: HoursViewSchema,
    period: PeriodSchema,
    open: Type.Boolean(),
    nextChange: Type.Union([Type.String(), Type.Null()], { description: 'when `open` next flips, if ever' }),
    join: Type.Boolean({ description: 'only players who joined this period may write' }),
    maxPlayers: Type.Union([Type.Integer(), Type.Null()], {
      description: 'most players who may join a period',
    }),
    maxAttempts: Type.Union([Type.Integer(), Type.Null()], {
      description: 'most accepted writes per player per period',
    }),
    players: Type.Integer({ description: 'players joined this period (0 unless `join`)' }),
    bucket: Type.Union([Type.Object({ size: Type.Integer() }), Type.Null()], {
      description: 'players are placed in buckets of at most `size` each period',
    }),
    tiers: Type.Union([Type.Array(TierSchema), Type.Null()], { description: 'tiers, low to high' }),
    promote: MovementSchema,
    relegate: MovementSchema,
    rewards: Type.Union([Type.Array(RewardBandSchema), Type.Null()], {
      description: 'reward bands of the results, by rank',
    }),
    subscore: Type.Union([SubscoreSchema, Type.Null()], {
      description: 'entries with equal totals order by subscore, in its own order',
    }),
  },
  { title: 'Board' },
);
/** See {@link BoardViewSchema}. */
export type BoardView = Static<typeof BoardViewSchema>;

/** A ban: why, and since when (ISO 8601 UTC). */
export const BanSchema = Type.Object(
  { user: UserIdSchema, reason: Type.String(), at: Type.String({ description: 'ISO 8601 UTC' }) },
  { title: 'Ban' },
);
/** See {@link BanSchema}. */
export type BanView = Static<typeof BanSchema>;

/** What one board holds of a player (GDPR export): the live period and each finished one. */
export const PlayerBoardExportSchema = Type.Object(
  {
    board: Type.String(),
    period: PeriodSchema,
    entry: Type.Union([StandingSchema, Type.Null()], { description: 'the live entry, or null' }),
    history: Type.Array(ResultSchema, { description: 'best results kept in the live period' }),
    joined: Type.Boolean(),
    attempts: Type.Integer(),
    hidden: Type.Optional(
      Type.Object(
        { total: Type.Integer(), subscore: EntrySubscore, metadata: EntryMetadata },
        { description: "a banned player's live entry, hidden from every read" },
      ),
    ),
    periods: Type.Array(
      Type.Object({ period: PeriodSchema, entry: StandingSchema, history: Type.Array(ResultSchema) }),
      { description: 'finished periods kept that hold the player, newest first' },
    ),
  },
  { title: 'PlayerBoardExport' },
);

/** Everything held about a player (`GET /players/:user/export`). */
export const PlayerExportSchema = Type.Object(
  {
    user: UserIdSchema,
    profile: Type.Union([
      Type.Object({
        name: Type.Union([Type.String(), Type.Null()]),
        country: Type.Union([Type.String(), Type.Null()]),
        metadata: Type.Union([Type.Record(Type.String(), Type.Unknown()), Type.Null()]),
      }),
      Type.Null(),
    ]),
    boards: Type.Array(PlayerBoardExportSchema, { description: 'by board id' }),
    ban: Type.Union([Type.Omit(BanSchema, ['user']), Type.Null()]),
  },
  { title: 'PlayerExport' },
);
/** See {@link PlayerExportSchema}. */
export type PlayerExport = Static<typeof PlayerExportSchema>;
/** See {@link PlayerBoardExportSchema}. */
export type PlayerBoardExport = Static<typeof PlayerBoardExportSchema>;

/**
 * A player's result in a finished period: `rank` inside the bucket on a board with buckets, on the
 * board otherwise; `bucket`, `tier`, `nextTier` and `reward` are null when they do not apply.
 */
export const PeriodResultSchema = Type.Object(
  {
    user: UserIdSchema,
    rank: Type.Integer({ description: 'rank inside the bucket (boards with buckets), else on the board' }),
    total: Type.Integer(),
    subscore: EntrySubscore,
    bucket: Type.Union([Type.Integer(), Type.Null()]),
    tier: Type.Union([Type.String(), Type.Null()], { description: 'the tier played in' }),
    nextTier: Type.Union([Type.String(), Type.Null()], { description: 'the tier of the next period' }),
    reward: Type.Unknown({ description: 'the reward band that applied, or null' }),
  },
  { title: 'PeriodResult' },
);
/** See {@link PeriodResultSchema}. */
export type PeriodResult = Static<typeof PeriodResultSchema>;

/** A page of a period's results, and the cursor of the next page (null on the last). */
export const ResultsPageSchema = Type.Object(
  {
    results: Type.Array(PeriodResultSchema),
    next: Type.Union([Type.String(), Type.Null()], { description: 'pass as `after` for the next page' }),
  },
  { title: 'ResultsPage' },
);
/** See {@link ResultsPageSchema}. */
export type ResultsPage = Static<typeof ResultsPageSchema>;

/** A row of a bucket: its rank inside the bucket, and the bucket. */
export const BucketRowSchema = Type.Object(
  {
    user: UserIdSchema,
    total: Type.Integer(),
    subscore: EntrySubscore,
    rank: Type.Integer({ description: 'rank inside the bucket' }),
    bucket: Type.Integer(),
    tier: Type.Optional(Type.String({ description: "the bucket's tier, on boards with tiers" })),
    name: Type.Optional(Type.String()),
    country: Type.Optional(Type.String()),
    metadata: EntryMetadata,
  },
  { title: 'BucketRow' },
);
/** See {@link BucketRowSchema}. */
export type BucketRow = Static<typeof BucketRowSchema>;

/** A player's bucket: its rows, best first, and the player's rank inside it. */
export const BucketViewSchema = Type.Object(
  {
    bucket: Type.Integer(),
    tier: Type.Union([Type.String(), Type.Null()]),
    entries: Type.Array(BucketRowSchema),
    rank: Type.Integer(),
  },
  { title: 'Bucket' },
);
/** See {@link BucketViewSchema}. */
export type BucketView = Static<typeof BucketViewSchema>;

/** A join's answer: the player, the period joined, whether this join added them, the players joined. */
export const JoinedSchema = Type.Object(
  {
    board: Type.String(),
    user: UserIdSchema,
    period: Type.Integer(),
    created: Type.Boolean(),
    players: Type.Integer(),
  },
  { title: 'Joined' },
);
/** See {@link JoinedSchema}. */
export type Joined = Static<typeof JoinedSchema>;

/** A player's attempts in a board's live period. `remaining` is null when the board sets no limit. */
export const AttemptsSchema = Type.Object(
  {
    board: Type.String(),
    user: UserIdSchema,
    period: Type.Integer(),
    joined: Type.Boolean(),
    attempts: Type.Integer(),
    maxAttempts: Type.Union([Type.Integer(), Type.Null()]),
    remaining: Type.Union([Type.Integer(), Type.Null()]),
  },
  { title: 'Attempts' },
);
/** See {@link AttemptsSchema}. */
export type Attempts = Static<typeof AttemptsSchema>;

/** A player's profile as answered. */
export const ProfileSchema = Type.Object(
  {
    user: UserIdSchema,
    name: Type.Union([Type.String(), Type.Null()]),
    country: Type.Union([Type.String(), Type.Null()]),
    metadata: Type.Union([Type.Record(Type.String(), Type.Unknown()), Type.Null()]),
  },
  { title: 'Profile' },
);
/** See {@link ProfileSchema}. */
export type Profile = Static<typeof ProfileSchema>;

/** A player's place on one board. */
export const PlacementSchema = Type.Object(
  {
    total: Type.Integer(),
    rank: Type.Integer(),
    countryRank: Type.Optional(Type.Integer()),
    bucket: Type.Optional(Type.Integer({ description: 'boards with buckets' })),
    tier: Type.Optional(Type.String({ description: 'boards with tiers' })),
  },
  { title: 'Placement' },
);
/** See {@link PlacementSchema}. */
export type Placement = Static<typeof PlacementSchema>;

/** A player as answered by `GET /players/:user`: the profile and a placement per board. */
export const PlayerViewSchema = Type.Object(
  {
    user: UserIdSchema,
    name: Type.Union([Type.String(), Type.Null()]),
    country: Type.Union([Type.String(), Type.Null()]),
    metadata: Type.Union([Type.Record(Type.String(), Type.Unknown()), Type.Null()]),
    boards: Type.Record(Type.String(), PlacementSchema),
    ban: Type.Optional(Type.Omit(BanSchema, ['user'], { description: 'to an admin key only' })),
  },
  { title: 'Player' },
);
/** See {@link PlayerViewSchema}. */
export type PlayerView = Static<typeof PlayerViewSchema>;

/** A country on a board and how many of its players are there. */
export const CountryCountSchema = Type.Object(
  { country: Type.String(), count: Type.Integer() },
  { title: 'CountryCount' },
);
/** See {@link CountryCountSchema}. */
export type CountryCount = Static<typeof CountryCountSchema>;
