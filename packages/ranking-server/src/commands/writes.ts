/**
 * Score writes as the handlers share them: check first (the board's open window, its rules, the
 * player cap), then apply, then hand the records of the change — the entry, and the result for a
 * board that keeps each player's best results — to the log. A refused write changes nothing.
 */
import { ErrorCode, ScoreboardError, type UserId } from '@scoreboard/protocol';
import type { Board, ScoreWrite, Written } from '../board/board.js';
import type { CommandContext } from '../engine/handler.js';
import { RecordType } from '../records/index.js';

/** O(log n). Applies one write of `user` to `board` and logs what it changed. */
export function writeScore(ctx: CommandContext, board: Board, user: UserId, write: ScoreWrite): Written {
  board.checkOpen(ctx.now);
  const players = ctx.data.players;
  let slot = players.slotOf(user);
  if (slot === undefined) {
    // A new player: check the board's rules and the room for one before taking a slot.
    board.resolve(undefined, write);
    if (!players.hasRoomFor(user)) throw new ScoreboardError(ErrorCode.PLAYER_LIMIT_REACHED);
    slot = players.acquire(user);
  }
  // `submit` checks the rules before it changes anything.
  const written = board.submit(slot, write);
  if (written.changed) {
    const { total, seq } = written;
    ctx.log({ type: RecordType.Score, at: ctx.now, board: board.id, user, total, seq });
  }
  if (board.config.history > 0) {
    // Every accepted write is a result: the total submitted (a relative one: the total it led to),
    // also when a `best` board kept an older, better total.
    const total = 'total' in write ? write.total : written.total;
    const seq = ctx.data.seq.take();
    board.addResult(slot, total, ctx.now, seq);
    ctx.log({ type: RecordType.Result, at: ctx.now, board: board.id, user, total, seq });
  }
  return written;
}

/** O(1). The write a request's arguments describe: exactly one of total and delta (the codec saw to it). */
export function scoreWriteOf(args: { total?: number; delta?: number }): ScoreWrite {
  return args.total !== undefined ? { total: args.total } : { delta: args.delta! };
}
