/**
 * Score writes: `set`/`add` on the default board (the original routes: they answer the new total),
 * `score.put` on a named board (the total kept and the rank after the write), and `score.batch`,
 * which checks every write before applying any — in order, nothing interleaved — and logs them as
 * one record; `entry.delete` removes one player's entry from one board (moderation), as an
 * ENTRY_DELETE record.
 */
import { ErrorCode, ScoreboardError, type RankedEntry, type UserId } from '@scoreboard/protocol';
import type { Held } from '../board/board.js';
import type { HandlerTable } from '../engine/handler.js';
import { RecordType } from '../records/index.js';
import { checkTakesPart, scoreWriteOf, writeScore } from './writes.js';

/** Handlers of the score writes. O(log n) each; a batch O(k log n). */
export const scoreHandlers = {
  set: (args, ctx) => {
    const w = writeScore(ctx, ctx.data.defaultBoard, args.user, scoreWriteOf(args), args.metadata);
    return { user: args.user, ...w.kept };
  },
  add: (args, ctx) => {
    const w = writeScore(ctx, ctx.data.defaultBoard, args.user, scoreWriteOf(args), args.metadata);
    return { user: args.user, ...w.kept };
  },
  'score.put': (args, ctx) => {
    const board = ctx.data.board(args.board);
    const w = writeScore(ctx, board, args.user, scoreWriteOf(args), args.metadata);
    return { user: args.user, ...w.kept, rank: w.rank() };
  },
  'score.batch': (args, ctx) => {
    const board = ctx.data.board(args.board);
    board.checkOpen(ctx.now);
    const players = ctx.data.players;
    // Dry run: each write against the totals the earlier writes of the batch leave.
    const totals = new Map<UserId, Held | undefined>();
    const accepted = new Map<UserId, number>();
    let newcomers = 0;
    args.scores.forEach((item, i) => {
      let current: Held | undefined;
      if (totals.has(item.user)) current = totals.get(item.user);
      else {
        const slot = players.slotOf(item.user);
        if (slot === undefined) newcomers++;
        current = slot === undefined ? undefined : board.heldOf(slot);
      }
      try {
        if (ctx.data.banWrites === 'refuse' && ctx.data.bans.has(item.user))
          throw new ScoreboardError(ErrorCode.PLAYER_BANNED);
        checkTakesPart(board, item.user, accepted.get(item.user) ?? 0);
        totals.set(item.user, board.resolve(current, scoreWriteOf(item)) ?? current);
        accepted.set(item.user, (accepted.get(item.user) ?? 0) + 1);
      } catch (err) {
        if (err instanceof ScoreboardError)
          throw new ScoreboardError(err.code, `scores[${i}]: ${err.message}`);
        throw err;
      }
    });
    if (players.count + newcomers > players.maxPlayers)
      throw new ScoreboardError(ErrorCode.PLAYER_LIMIT_REACHED);
    const results: RankedEntry[] = args.scores.map((item) => {
      const w = writeScore(ctx, board, item.user, scoreWriteOf(item), item.metadata);
      return { user: item.user, ...w.kept, rank: w.rank() };
    });
    return { results };
  },
  'entry.delete': (args, ctx) => {
    const board = ctx.data.board(args.board);
    const slot = ctx.data.players.slotOf(args.user);
    // A banned player's hidden entry is an entry a moderator may remove too.
    if (slot === undefined || !(board.has(slot) || board.isHidden(slot)))
      throw new ScoreboardError(ErrorCode.USER_NOT_FOUND);
    ctx.apply({ type: RecordType.EntryDelete, at: ctx.now, board: board.id, user: args.user });
    return { removed: true as const };
  },
} satisfies Partial<HandlerTable>;
