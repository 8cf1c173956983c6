/**
 * TypeBox schemas of the HTTP API: one per body, params and reply. They validate requests, type
 * the handlers and serialise error and health replies (Fastify compiles a fast serializer from
 * each). Successful board and score replies are the ranking server's JSON bytes, sent as they
 * are: their schemas document the shape and cost nothing per request. Value rules (user ids,
 * totals, relative scores, idempotency keys) come from the protocol, the same ones the ranking
 * server checks.
 */
import {
  BOARD_ID_PATTERN,
  BoardConfigSchema,
  EntrySchema,
  IDEMPOTENCY_KEY_PATTERN,
  MAX_BATCH,
  MAX_TOTAL,
  MetadataSchema,
  ProfileFieldsSchema,
  RELATIVE_SCORE_PATTERN,
  RankStyleSchema,
  ResultsCursorSchema,
  TotalSchema,
  USER_ID_PATTERN,
  UserIdSchema,
} from '@scoreboard/protocol';
import { Type } from 'typebox';

export {
  BoardRowSchema,
  BoardViewSchema,
  CountryCountSchema,
  EntrySchema,
  PeriodViewSchema,
  PlayerViewSchema,
  ProfileSchema,
  RankedEntrySchema,
  ResultSchema,
  StandingSchema,
} from '@scoreboard/protocol';

/** A score write's optional metadata (the protocol's schema), kept with the entry it earns. */
const ScoreMetadata = Type.Optional(MetadataSchema);
/** A score write's optional subscore (boards with a `subscore` only; absent: 0, or + 0 on a relative write). */
const ScoreSubscore = Type.Optional(
  Type.Integer({
    minimum: -MAX_TOTAL,
    maximum: MAX_TOTAL,
    description: 'orders equal totals, on a board with a `subscore`; absent: 0 (a relative write adds it)',
  }),
);

/** `PUT /score` body: an absolute total. */
export const AbsoluteScoreBody = Type.Object(
  { user: UserIdSchema, total: TotalSchema, subscore: ScoreSubscore, metadata: ScoreMetadata },
  { additionalProperties: false },
);

/** `PUT /score` body: a relative score, "+10"/"-115" or a JSON integer. */
export const RelativeScoreBody = Type.Object(
  {
    user: UserIdSchema,
    score: Type.Union([TotalSchema, Type.String({ pattern: RELATIVE_SCORE_PATTERN })]),
    subscore: ScoreSubscore,
    metadata: ScoreMetadata,
  },
  { additionalProperties: false },
);

/** `POST /boards/:board/join` body: the player who joins. */
export const JoinBody = Type.Object({ user: UserIdSchema }, { additionalProperties: false });

/** `PUT /score` body: exactly one of `total` and `score`. */
export const ScoreBody = Type.Union([AbsoluteScoreBody, RelativeScoreBody]);

/** Headers of a write: an optional Idempotency-Key (1–128 visible ASCII characters). */
export const KeyHeaders = Type.Object({
  'idempotency-key': Type.Optional(Type.String({ pattern: IDEMPOTENCY_KEY_PATTERN })),
});

/** A list of rows, best first. */
export const EntryListSchema = Type.Array(EntrySchema);

/** Path counters are digit strings: the API refuses signs, fractions and exponents. */
export const Digits = Type.String({ pattern: '^[0-9]{1,16}$' });

/** `GET /top/:n` params. */
export const TopParams = Type.Object({ n: Digits });

/** `GET /top/:position/:scope` params. */
export const AroundParams = Type.Object({ position: Digits, scope: Digits });

/** `GET /users/:id` params. */
export const UserParams = Type.Object({ id: Type.String({ pattern: USER_ID_PATTERN }) });

/** The error body. */
export const ErrorSchema = Type.Object({
  error: Type.Object({ code: Type.String(), message: Type.String() }),
});

/** `GET /cluster`: each shard's replication group. */
export const ClusterSchema = Type.Object({
  shards: Type.Array(
    Type.Object({
      shard: Type.Integer({ minimum: 0 }),
      epoch: Type.Integer({
        minimum: 0,
        description: "The primary's term (0 while the launcher fixes the roles)",
      }),
      members: Type.Array(
        Type.Object({
          endpoint: Type.String({ description: "The member's ranking endpoint, as clients reach it" }),
          role: Type.Union([Type.Literal('primary'), Type.Literal('standby')]),
          lag: Type.Integer({ minimum: 0, description: 'Log records behind the primary' }),
        }),
      ),
    }),
  ),
});

/** Health reply. */
export const HealthSchema = Type.Object({
  status: Type.Union([Type.Literal('ok'), Type.Literal('degraded')], {
    description:
      '`degraded`: some writes are refused (a full disk) or some shards are down; reads of the rest go on',
  }),
  reason: Type.Optional(Type.String({ description: 'Why it is degraded' })),
  shards: Type.Optional(
    Type.Array(
      Type.Object({
        shard: Type.Integer({ minimum: 0 }),
        status: Type.String(),
        reason: Type.Optional(Type.String()),
      }),
      { description: "Each shard's status, when some are not ok" },
    ),
  ),
});

/** A board id in a path. */
export const BoardParam = Type.String({ pattern: BOARD_ID_PATTERN });

/** A user id in a path (a string: "123" names user 123). */
export const UserParam = Type.String({ pattern: USER_ID_PATTERN });

/** `/boards/:board…` params. */
export const BoardParams = Type.Object({ board: BoardParam });

/** `PUT /boards/:board` body: any of order, operator, min, max. */
export const BoardConfigBody = Type.Object(BoardConfigSchema, { additionalProperties: false });

/** `POST /boards/:board/scores` body: 1–1 000 writes, each the body of `PUT /score`. */
export const ScoreBatchBody = Type.Object(
  { scores: Type.Array(ScoreBody, { minItems: 1, maxItems: MAX_BATCH }) },
  { additionalProperties: false },
);

/** `?rank=ordinal|standard|dense` (ordinal by default). */
export const RankQuery = Type.Object(
  { rank: Type.Optional(RankStyleSchema) },
  { additionalProperties: false },
);

/** `?size=S&rank=…`: how many rows on each side of the player (0–100, default 5). */
export const AroundQuery = Type.Object(
  { size: Type.Optional(Digits), rank: Type.Optional(RankStyleSchema) },
  { additionalProperties: false },
);

/** `?ids=a,b,c&rank=…`: 1–100 user ids, comma-separated. */
export const UsersQuery = Type.Object(
  { ids: Type.String({ minLength: 1, maxLength: 100 * 65 }), rank: Type.Optional(RankStyleSchema) },
  { additionalProperties: false },
);

/** `?period=N`: a player's history in period N instead of the live one. */
export const HistoryQuery = Type.Object({ period: Type.Optional(Digits) }, { additionalProperties: false });

/** An integer total in a query string: optional sign, 1–16 digits. */
export const TotalText = Type.String({ pattern: '^-?[0-9]{1,16}$' });

/** `?min=&max=&limit=&rank=`: totals within [min, max] (each optional), the first `limit` (default 100). */
export const RangeQuery = Type.Object(
  {
    min: Type.Optional(TotalText),
    max: Type.Optional(TotalText),
    limit: Type.Optional(Digits),
    rank: Type.Optional(RankStyleSchema),
  },
  { additionalProperties: false },
);

/** `GET /boards/:board/periods/:period/results` query: a page size and the cursor to read after. */
export const ResultsQuery = Type.Object(
  { limit: Type.Optional(Digits), after: Type.Optional(ResultsCursorSchema) },
  { additionalProperties: false },
);

/** `PUT /players/:user` body: at least one of name, country, metadata (`null` clears). */
export const ProfileBody = Type.Object(ProfileFieldsSchema, {
  additionalProperties: false,
  minProperties: 1,
});

/** `POST /players` body: 1–1 000 profiles, each with its user. */
export const PlayerBatchBody = Type.Object(
  {
    players: Type.Array(
      Type.Object({ user: UserIdSchema, ...ProfileFieldsSchema }, { additionalProperties: false }),
      {
        minItems: 1,
        maxItems: MAX_BATCH,
      },
    ),
  },
  { additionalProperties: false },
);

/** A country code in a path (any case; the list is checked by the server). */
export const CountryParam = Type.String({ pattern: '^[A-Za-z]{2}$' });
