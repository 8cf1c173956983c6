/**
 * Bucket reads of a board's live period: a player's bucket with its rows and their rank inside it
 * (`bucket.user`), and the first rows of one bucket (`bucket.top`). Ranks inside a bucket are
 * ordinal; each row says its bucket, and its bucket's tier on a board with tiers (without, the
 * answer's `tier` is null and rows carry none).
 */
import { ErrorCode, ScoreboardError, type BoardRow, type BucketRow } from '@scoreboard/protocol';
import type { Board } from '../board/board.js';
import type { HandlerTable } from '../engine/handler.js';

/** O(1). BUCKET_NOT_FOUND unless the board places its players in buckets. */
function bucketed(board: Board): Board {
  if (board.config.bucket === null && board.buckets.count === 0) {
    throw new ScoreboardError(ErrorCode.BUCKET_NOT_FOUND, `The board "${board.id}" has no buckets.`);
  }
  return board;
}

/** O(k log n). The first `n` rows of `bucket`, ranked inside it. */
function bucketRows(board: Board, bucket: number, n: number): BucketRow[] {
  const slots = board.buckets.members(bucket).slice(0, n);
  const tier = board.tierName(bucket);
  return board.rowsOf(slots, 'ordinal').map((row: BoardRow, i): BucketRow => {
    const { user, total, subscore } = row;
    const out: BucketRow =
      subscore === undefined
        ? { user, total, rank: i + 1, bucket }
        : { user, total, subscore, rank: i + 1, bucket };
    if (tier !== undefined) out.tier = tier;
    if (row.name !== undefined) out.name = row.name;
    if (row.country !== undefined) out.country = row.country;
    if (row.metadata !== undefined) out.metadata = row.metadata;
    return out;
  });
}

/** Handlers of the bucket reads. O(s log n) for a bucket of s entries. */
export const bucketHandlers = {
  'bucket.user': (args, ctx) => {
    const board = bucketed(ctx.data.board(args.board));
    const slot = ctx.data.players.slotOf(args.user);
    const bucket = board.buckets.bucketOf(args.user);
    const rank = slot === undefined ? undefined : board.buckets.rankOf(args.user, slot);
    if (bucket === undefined || rank === undefined) throw new ScoreboardError(ErrorCode.USER_NOT_FOUND);
    return {
      bucket,
      tier: board.tierName(bucket) ?? null,
      entries: bucketRows(board, bucket, Infinity),
      rank,
    };
  },
  'bucket.top': (args, ctx) => {
    const board = bucketed(ctx.data.board(args.board));
    if (args.bucket > board.buckets.count) throw new ScoreboardError(ErrorCode.BUCKET_NOT_FOUND);
    return bucketRows(board, args.bucket, args.n);
  },
} satisfies Partial<HandlerTable>;
