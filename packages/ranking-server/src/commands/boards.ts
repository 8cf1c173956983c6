/**
 * Boards: create or reconfigure, read, list, delete, and end the live period by hand. Each change is
 * logged as the board's whole configuration and live period; a period's end as its own record.
 */
import { parseInstant, type ResetSchedule, type ServiceHours } from '@scoreboard/calendar';
import { DEFAULT_BOARD, ErrorCode, ScoreboardError, type ArgsOf, type BoardView } from '@scoreboard/protocol';
import type { Board, BoardConfig } from '../board/board.js';
import { boardRecord, boardRecordOf } from '../engine/board-records.js';
import type { HandlerTable } from '../engine/handler.js';
import { RecordType } from '../records/index.js';

/** O(1). The configuration fields a `board.put` gives, in the board's terms (instants as epoch ms). */
function patchOf(args: ArgsOf<'board.put'>): Partial<BoardConfig> {
  const patch: Partial<BoardConfig> = {};
  if (args.order !== undefined) patch.order = args.order;
  if (args.operator !== undefined) patch.operator = args.operator;
  if (args.min !== undefined) patch.min = args.min;
  if (args.max !== undefined) patch.max = args.max;
  // The codec's check filled in the schedule's and the hours' defaults.
  if (args.reset !== undefined) patch.reset = args.reset as ResetSchedule | null;
  if (args.keep !== undefined) patch.keep = args.keep;
  if (args.history !== undefined) patch.history = args.history;
  if (args.start !== undefined) patch.start = args.start === null ? null : parseInstant(args.start)!;
  if (args.end !== undefined) patch.end = args.end === null ? null : parseInstant(args.end)!;
  if (args.hours !== undefined) patch.hours = args.hours as ServiceHours | null;
  if (args.join !== undefined) patch.join = args.join;
  if (args.maxPlayers !== undefined) patch.maxPlayers = args.maxPlayers;
  if (args.maxAttempts !== undefined) patch.maxAttempts = args.maxAttempts;
  if (args.bucket !== undefined) patch.bucket = args.bucket && { size: args.bucket.size };
  if (args.tiers !== undefined) patch.tiers = args.tiers && structuredClone(args.tiers);
  if (args.promote !== undefined) patch.promote = args.promote;
  if (args.relegate !== undefined) patch.relegate = args.relegate;
  if (args.rewards !== undefined) patch.rewards = args.rewards && structuredClone(args.rewards);
  if (args.subscore !== undefined) patch.subscore = args.subscore && { order: args.subscore.order };
  return patch;
}

/** Handlers of the board commands. O(1) each but `board.list` (O(B log B)), `board.delete` and `board.reset` (O(n)). */
export const boardHandlers = {
  'board.put': (args, ctx) => {
    const plan = ctx.data.planPut(args.board, patchOf(args), ctx.now);
    const record = boardRecordOf(args.board, plan, ctx.now);
    const before = ctx.data.find(args.board);
    // A change that changes nothing is not logged (the record's time aside, it is the same).
    if (!before || JSON.stringify(boardRecord(before, ctx.now)) !== JSON.stringify(record)) ctx.apply(record);
    return { created: plan.isNew, board: ctx.data.board(args.board).view(ctx.now) };
  },
  'board.get': (args, ctx) => ctx.data.board(args.board).view(ctx.now),
  'board.list': (_args, ctx) => ctx.data.list().map((b: Board): BoardView => b.view(ctx.now)),
  'board.delete': (args, ctx) => {
    if (args.board === DEFAULT_BOARD) throw new ScoreboardError(ErrorCode.BOARD_PROTECTED);
    ctx.data.board(args.board); // BOARD_NOT_FOUND
    ctx.apply({ type: RecordType.BoardDelete, at: ctx.now, board: args.board });
    return { deleted: true as const };
  },
  'board.join': (args, ctx) => {
    const board = ctx.data.board(args.board);
    const { join, maxPlayers } = board.config;
    if (!join)
      throw new ScoreboardError(
        ErrorCode.BOARD_CONFLICT,
        `The board "${board.id}" takes no joins: it is not a tournament ("join": true).`,
      );
    const taking = board.participation;
    const created = !taking.has(args.user);
    if (created) {
      if (maxPlayers !== null && taking.players >= maxPlayers)
        throw new ScoreboardError(ErrorCode.BOARD_FULL);
      ctx.apply({ type: RecordType.Join, at: ctx.now, board: board.id, user: args.user });
    }
    return { board: board.id, user: args.user, period: board.period.id, created, players: taking.players };
  },
  'board.attempts': (args, ctx) => {
    const board = ctx.data.board(args.board);
    const { maxAttempts } = board.config;
    const attempts = board.participation.attempts(args.user);
    return {
      board: board.id,
      user: args.user,
      period: board.period.id,
      joined: board.participation.has(args.user),
      attempts,
      maxAttempts,
      remaining: maxAttempts === null ? null : Math.max(0, maxAttempts - attempts),
    };
  },
  'board.reset': (args, ctx) => {
    const { board, at, next } = ctx.data.closeNow(args.board, ctx.now);
    ctx.apply({ type: RecordType.Period, at, board, ...next });
    return ctx.data.board(board).view(ctx.now);
  },
} satisfies Partial<HandlerTable>;
