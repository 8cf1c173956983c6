/**
 * Score writes. `set`/`add` are the original routes' writes on the default board, answering the
 * new total; `score.put` writes to a named board (exactly one of `total` and `delta`) and answers
 * the total kept and the rank after the write; `score.batch` applies up to 1 000 such writes in
 * order, all or none.
 */
import { Type } from 'typebox';
import { ErrorCode } from '../errors.js';
import type { Problem } from '../profile.js';
import { BoardIdSchema, TotalSchema, UserIdSchema } from '../schemas.js';
import { canonicalUser, eachItem } from './checks.js';
import type { Entry, RankedEntry } from './rows.js';
import { defineCommand } from './spec.js';

/** Most writes in one `score.batch`. */
export const MAX_BATCH = 1000;

/** Sets a user's absolute total on the default board; a new user is added. */
export const setCommand = defineCommand<Entry>()({
  name: 'set',
  args: Type.Object({ user: UserIdSchema, total: TotalSchema }, { additionalProperties: false }),
  keyed: true,
  reads: false,
  spread: 'board',
  check: canonicalUser,
});

/** Adds a relative score to a user's total on the default board (an unknown user starts at 0). */
export const addCommand = defineCommand<Entry>()({
  name: 'add',
  args: Type.Object({ user: UserIdSchema, delta: TotalSchema }, { additionalProperties: false }),
  keyed: true,
  reads: false,
  spread: 'board',
  check: canonicalUser,
});

/** One write of a named board: an absolute `total` or a relative `delta`, exactly one. */
export const ScoreWriteSchema = Type.Object(
  { user: UserIdSchema, total: Type.Optional(TotalSchema), delta: Type.Optional(TotalSchema) },
  { additionalProperties: false },
);

/** O(1). Exactly one of total and delta, and a canonical user id. */
function checkWrite(
  w: { user: string | number; total?: number; delta?: number },
  where = '',
): Problem | undefined {
  if ((w.total === undefined) === (w.delta === undefined)) {
    return {
      code: ErrorCode.HTTP_VALIDATION,
      message: `${where}a write needs exactly one of total and delta.`,
    };
  }
  return canonicalUser(w);
}

/** Writes one score to a named board; answers the total kept and the ordinal rank after it. */
export const scorePutCommand = defineCommand<RankedEntry>()({
  name: 'score.put',
  args: Type.Object(
    {
      board: BoardIdSchema,
      user: UserIdSchema,
      total: Type.Optional(TotalSchema),
      delta: Type.Optional(TotalSchema),
    },
    { additionalProperties: false },
  ),
  keyed: true,
  reads: false,
  spread: 'board',
  check: (args) => checkWrite(args),
});

/** Writes 1–1 000 scores to a named board in order, nothing interleaved; all or none. */
export const scoreBatchCommand = defineCommand<{ results: RankedEntry[] }>()({
  name: 'score.batch',
  args: Type.Object(
    { board: BoardIdSchema, scores: Type.Array(ScoreWriteSchema, { minItems: 1, maxItems: MAX_BATCH }) },
    { additionalProperties: false },
  ),
  keyed: true,
  reads: false,
  spread: 'board',
  check: (args) => eachItem(args.scores, 'scores', checkWrite),
});
