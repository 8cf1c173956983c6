/**
 * Score writes. `set`/`add` are the original routes' writes on the default board, answering the
 * new total; `score.put` writes to a named board (exactly one of `total` and `delta`) and answers
 * the total kept and the rank after the write; `score.batch` applies up to 1 000 such writes in
 * order, all or none; `entry.delete` removes one player's entry from one board (moderation).
 */
import { Type } from 'typebox';
import { ErrorCode } from '../errors.js';
import type { Problem } from '../profile.js';
import { MAX_METADATA_BYTES, metadataFits } from '../profile.js';
import { BoardIdSchema, MetadataSchema, TotalSchema, UserIdSchema } from '../schemas.js';
import { canonicalUser, eachItem } from './checks.js';
import type { Entry, RankedEntry } from './rows.js';
import { argsOf, defineCommand, boardKeyedWrite, boardWrite } from './spec.js';

/** Most writes in one `score.batch`. */
export const MAX_BATCH = 1000;

/** One write of a named board: an absolute `total` or a relative `delta`, exactly one. */
export const ScoreWriteSchema = Type.Object(
  {
    user: UserIdSchema,
    total: Type.Optional(TotalSchema),
    delta: Type.Optional(TotalSchema),
    subscore: Type.Optional(TotalSchema),
    metadata: Type.Optional(MetadataSchema),
  },
  { additionalProperties: false },
);

/** O(size of the metadata). A score's metadata, when it has one, is at most 1 KiB of JSON. */
function checkMetadata(w: { metadata?: object }, where = ''): Problem | undefined {
  if (w.metadata === undefined || metadataFits(w.metadata)) return undefined;
  return {
    code: ErrorCode.METADATA_TOO_LARGE,
    message: `${where}metadata must be at most ${MAX_METADATA_BYTES} bytes of JSON.`,
  };
}

/** O(1) plus the metadata's size. Exactly one of total and delta, small metadata, a canonical user id. */
function checkWrite(
  w: { user: string | number; total?: number; delta?: number; metadata?: object },
  where = '',
): Problem | undefined {
  if ((w.total === undefined) === (w.delta === undefined)) {
    return {
      code: ErrorCode.HTTP_VALIDATION,
      message: `${where}a write needs exactly one of total and delta.`,
    };
  }
  return checkMetadata(w, where) ?? canonicalUser(w);
}

/** The scores commands, by readable name. */
export const scoreCommands = {
  /** Sets a user's absolute total on the default board; a new user is added. */
  SetTotal: defineCommand<Entry>()({
    name: 'set',
    args: argsOf({
      user: UserIdSchema,
      total: TotalSchema,
      subscore: Type.Optional(TotalSchema),
      metadata: Type.Optional(MetadataSchema),
    }),
    ...boardKeyedWrite,
    check: (args) => checkMetadata(args) ?? canonicalUser(args),
  }),
  /** Adds a relative score to a user's total on the default board (an unknown user starts at 0). */
  AddScore: defineCommand<Entry>()({
    name: 'add',
    args: argsOf({
      user: UserIdSchema,
      delta: TotalSchema,
      subscore: Type.Optional(TotalSchema),
      metadata: Type.Optional(MetadataSchema),
    }),
    ...boardKeyedWrite,
    check: (args) => checkMetadata(args) ?? canonicalUser(args),
  }),
  /** Writes one score to a named board; answers the total kept and the ordinal rank after it. */
  ScorePut: defineCommand<RankedEntry>()({
    name: 'score.put',
    args: argsOf({
      board: BoardIdSchema,
      user: UserIdSchema,
      total: Type.Optional(TotalSchema),
      delta: Type.Optional(TotalSchema),
      subscore: Type.Optional(TotalSchema),
      metadata: Type.Optional(MetadataSchema),
    }),
    ...boardKeyedWrite,
    check: (args) => checkWrite(args),
  }),
  /** Writes 1–1 000 scores to a named board in order, nothing interleaved; all or none. */
  ScoreBatch: defineCommand<{ results: RankedEntry[] }>()({
    name: 'score.batch',
    args: argsOf({
      board: BoardIdSchema,
      scores: Type.Array(ScoreWriteSchema, { minItems: 1, maxItems: MAX_BATCH }),
    }),
    ...boardKeyedWrite,
    check: (args) => eachItem(args.scores, 'scores', checkWrite),
  }),
  /**
   * Removes one player's entry (and its best-results history) from one board, leaving the profile
   * and every other board alone; USER_NOT_FOUND when the player has no entry there.
   */
  EntryDelete: defineCommand<{ removed: true }>()({
    name: 'entry.delete',
    args: argsOf({ board: BoardIdSchema, user: UserIdSchema }),
    ...boardWrite,
    check: canonicalUser,
  }),
};
