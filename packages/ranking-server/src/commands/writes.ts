/**
 * Score writes as the handlers share them: check first (the board's rules, the player cap), then
 * apply, then hand the record of the change to the log. A refused write changes nothing.
 */
import { ErrorCode, ScoreboardError, type UserId } from '@scoreboard/protocol';
import type { Board, ScoreWrite, Written } from '../board/board.js';
import type { CommandContext } from '../engine/handler.js';
import { RecordType } from '../persistence/records.js';

/** O(log n). Applies one write of `user` to `board` and logs it when the entry moved. */
export function writeScore(ctx: CommandContext, board: Board, user: UserId, write: ScoreWrite): Written {
  const players = ctx.data.players;
  const known = players.slotOf(user);
  // Check before anything changes: the rules, then room for a new player.
  board.resolve(known === undefined ? undefined : board.totalOf(known), write);
  if (known === undefined && !players.hasRoomFor(user))
    throw new ScoreboardError(ErrorCode.PLAYER_LIMIT_REACHED);
  const written = board.submit(known ?? players.acquire(user), write);
  if (written.changed) {
    ctx.log({
      type: RecordType.Score,
      at: ctx.now,
      board: board.id,
      user,
      total: written.total,
      seq: written.seq,
    });
  }
  return written;
}

/** O(1). The write a request's arguments describe: exactly one of total and delta (the codec saw to it). */
export function scoreWriteOf(args: { total?: number; delta?: number }): ScoreWrite {
  return args.total !== undefined ? { total: args.total } : { delta: args.delta! };
}
