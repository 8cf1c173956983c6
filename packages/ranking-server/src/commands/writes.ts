/**
 * Score writes as the handlers share them: check first (the board's open window, its rules, the
 * player cap), then apply the records of the change — the entry at its new total and tie-break
 * sequence, and the result for a board that keeps each player's best results. A refused write
 * changes nothing.
 */
import { ErrorCode, ScoreboardError, type UserId } from '@scoreboard/protocol';
import type { Board, ScoreWrite } from '../board/board.js';
import type { CommandContext } from '../engine/handler.js';
import { RecordType } from '../records/index.js';

/**
 * O(1). Refuses a write of `user` to `board` that its tournament rules do not allow, nothing
 * changed: NOT_JOINED on a `join` board the player has not joined this period; ATTEMPTS_USED once
 * the player used `maxAttempts` (counting `earlier` accepted writes of the same batch).
 */
export function checkTakesPart(board: Board, user: UserId, earlier = 0): void {
  const { join, maxAttempts } = board.config;
  if (join && !board.participation.has(user)) throw new ScoreboardError(ErrorCode.NOT_JOINED);
  if (maxAttempts !== null && board.participation.attempts(user) + earlier >= maxAttempts)
    throw new ScoreboardError(ErrorCode.ATTEMPTS_USED);
}

/**
 * O(log n). Applies one write of `user` to `board`, with the write's metadata if it has one;
 * answers the total (and on a board with a subscore, the subscore) the player keeps, and a way to
 * their ordinal rank (O(1) right after the write).
 */
export function writeScore(
  ctx: CommandContext,
  board: Board,
  user: UserId,
  write: ScoreWrite,
  metadata?: Readonly<Record<string, unknown>>,
): { kept: { total: number; subscore?: number }; rank: () => number } {
  board.checkOpen(ctx.now);
  const banned = ctx.data.bans.has(user);
  if (banned && ctx.data.banWrites === 'refuse') throw new ScoreboardError(ErrorCode.PLAYER_BANNED);
  checkTakesPart(board, user);
  const players = ctx.data.players;
  const known = players.slotOf(user);
  const current = known === undefined ? undefined : board.heldOf(known);
  // `resolve` checks the board's rules; undefined: a `best` board keeps the better total it has.
  const next = board.resolve(current, write);
  if (known === undefined && !players.hasRoomFor(user))
    throw new ScoreboardError(ErrorCode.PLAYER_LIMIT_REACHED);
  // A player's first accepted write of the period places them in the bucket being filled.
  const size = board.config.bucket?.size;
  // A banned player takes no seat: their hidden entry is in no bucket.
  if (size !== undefined && !banned && board.buckets.bucketOf(user) === undefined) {
    ctx.apply({
      type: RecordType.Placed,
      at: ctx.now,
      board: board.id,
      user,
      bucket: board.nextBucket(user, size),
    });
  }
  const subscores = board.config.subscore !== null;
  if (
    next !== undefined &&
    (current === undefined || next.total !== current.total || next.subscore !== current.subscore)
  ) {
    // An unchanged total (and subscore) keeps its tie-break sequence and its metadata: no record.
    // A new one takes the write's metadata, or none.
    const entry = { at: ctx.now, board: board.id, user, total: next.total, seq: ctx.data.seq.take() };
    ctx.apply(
      subscores
        ? { type: RecordType.ScoreSub, ...entry, subscore: next.subscore, metadata: metadata ?? null }
        : metadata === undefined
          ? { type: RecordType.Score, ...entry }
          : { type: RecordType.ScoreMeta, ...entry, metadata },
    );
  }
  const held = next ?? current!;
  if (board.config.history > 0) {
    // Every accepted write is a result: the total submitted (a relative one: the total it led to),
    // also when a `best` board kept an older, better total.
    const result = 'total' in write ? write.total : held.total;
    const entry = { at: ctx.now, board: board.id, user, total: result, seq: ctx.data.seq.take() };
    ctx.apply(
      metadata === undefined
        ? { type: RecordType.Result, ...entry }
        : { type: RecordType.ResultMeta, ...entry, metadata },
    );
  }
  // An accepted write is an attempt, counted where the board limits them.
  if (board.config.maxAttempts !== null) {
    const count = board.participation.attempts(user) + 1;
    ctx.apply({ type: RecordType.Attempts, at: ctx.now, board: board.id, user, count });
  }
  const kept = subscores ? { total: held.total, subscore: held.subscore } : { total: held.total };
  return { kept, rank: () => board.rankOf(players.slotOf(user)!) };
}

/**
 * O(1). The write a request's arguments describe: exactly one of total and delta (the codec saw to
 * it), with the subscore when it has one.
 */
export function scoreWriteOf(args: { total?: number; delta?: number; subscore?: number }): ScoreWrite {
  const write: ScoreWrite = args.total !== undefined ? { total: args.total } : { delta: args.delta! };
  if (args.subscore !== undefined) write.subscore = args.subscore;
  return write;
}
