/**
 * TypeBox schemas of the HTTP API: one per body, params and reply. They validate requests, type
 * the handlers and serialise error and health replies (Fastify compiles a fast serializer from
 * each). Successful board and score replies are the ranking server's JSON bytes, sent as they
 * are: their schemas document the shape and cost nothing per request. Value rules (user ids,
 * totals, relative scores, idempotency keys) come from the protocol, the same ones the ranking
 * server checks.
 */
import {
  IDEMPOTENCY_KEY_PATTERN,
  RELATIVE_SCORE_PATTERN,
  TotalSchema,
  USER_ID_PATTERN,
  UserIdSchema,
} from '@scoreboard/protocol';
import { Type } from 'typebox';

/** `PUT /score` body: an absolute total. */
export const AbsoluteScoreBody = Type.Object(
  { user: UserIdSchema, total: TotalSchema },
  { additionalProperties: false },
);

/** `PUT /score` body: a relative score, "+10"/"-115" or a JSON integer. */
export const RelativeScoreBody = Type.Object(
  {
    user: UserIdSchema,
    score: Type.Union([TotalSchema, Type.String({ pattern: RELATIVE_SCORE_PATTERN })]),
  },
  { additionalProperties: false },
);

/** `PUT /score` body: exactly one of `total` and `score`. */
export const ScoreBody = Type.Union([AbsoluteScoreBody, RelativeScoreBody]);

/** `PUT /score` headers: an optional Idempotency-Key (1–128 visible ASCII characters). */
export const ScoreHeaders = Type.Object({
  'idempotency-key': Type.Optional(Type.String({ pattern: IDEMPOTENCY_KEY_PATTERN })),
});

/** A board row. */
export const EntrySchema = Type.Object({ user: UserIdSchema, total: Type.Integer() });

/** A board row with its position. */
export const RankedEntrySchema = Type.Object({
  user: UserIdSchema,
  total: Type.Integer(),
  rank: Type.Integer(),
});

/** A list of rows, best first. */
export const EntryListSchema = Type.Array(EntrySchema);

/** Path counters are digit strings: the API refuses signs, fractions and exponents. */
const Digits = Type.String({ pattern: '^[0-9]{1,16}$' });

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

/** Health reply. */
export const HealthSchema = Type.Object({ status: Type.String() });
