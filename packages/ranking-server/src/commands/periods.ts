/**
 * Periods and history: the periods a board can read (the live one and the finished ones it keeps),
 * reads of any of them — the live one is the board itself — with the same answers and rank styles
 * as the board's own, and a player's best results in a period.
 */
import { ErrorCode, ScoreboardError } from '@scoreboard/protocol';
import type { ArchivedPeriod } from '../board/archive.js';
import type { Board } from '../board/board.js';
import { Outcomes } from '../board/outcomes.js';
import type { CommandContext, HandlerTable } from '../engine/handler.js';
import { slotOn, styleOf } from './reads.js';

/** O(periods). The live board when `id` is its period, else the finished period; PERIOD_NOT_FOUND. */
function periodOf(
  ctx: CommandContext,
  boardId: string,
  id: number,
): { board: Board; live: boolean; archived?: ArchivedPeriod } {
  const board = ctx.data.board(boardId);
  if (id === board.period.id) return { board, live: true };
  const archived = board.archivedPeriod(id);
  if (!archived)
    throw new ScoreboardError(ErrorCode.PERIOD_NOT_FOUND, `Board "${boardId}" has no period ${id}.`);
  return { board, live: false, archived };
}

const notFound = (): never => {
  throw new ScoreboardError(ErrorCode.USER_NOT_FOUND);
};

/** O(periods). A finished period's results; PERIOD_NOT_FOUND for the live period (none yet). */
function outcomesOf(ctx: CommandContext, boardId: string, id: number): Outcomes {
  const p = periodOf(ctx, boardId, id);
  if (!p.archived) {
    throw new ScoreboardError(
      ErrorCode.PERIOD_NOT_FOUND,
      `Period ${id} of board "${boardId}" is live: its results are written when it ends.`,
    );
  }
  return p.archived.outcomes ?? new Outcomes(null, null);
}

/** Handlers of the period commands: as the board's own reads, O(log n + page) each. */
export const periodHandlers = {
  'board.periods': (args, ctx) => ctx.data.board(args.board).periods(),
  'period.top': (args, ctx) => {
    const p = periodOf(ctx, args.board, args.period);
    return p.archived
      ? p.archived.top(args.n, styleOf(args), ctx.data.players)
      : p.board.top(args.n, styleOf(args));
  },
  'period.window': (args, ctx) => {
    const p = periodOf(ctx, args.board, args.period);
    const style = styleOf(args);
    return p.archived
      ? p.archived.window(args.position, args.scope, style, ctx.data.players)
      : p.board.window(args.position, args.scope, style);
  },
  'period.user': (args, ctx) => {
    const p = periodOf(ctx, args.board, args.period);
    if (!p.archived) return p.board.standing(slotOn(ctx, p.board, args.user), styleOf(args))!;
    return p.archived.standing(args.user, styleOf(args), ctx.data.players) ?? notFound();
  },
  'period.around': (args, ctx) => {
    const p = periodOf(ctx, args.board, args.period);
    if (!p.archived) return p.board.around(slotOn(ctx, p.board, args.user), args.size, styleOf(args))!;
    return p.archived.around(args.user, args.size, styleOf(args), ctx.data.players) ?? notFound();
  },
  'period.results': (args, ctx) =>
    outcomesOf(ctx, args.board, args.period).page(
      args.limit,
      args.after === undefined ? undefined : Number(args.after),
    ),
  'period.result': (args, ctx) => outcomesOf(ctx, args.board, args.period).of(args.user) ?? notFound(),
  'board.history': (args, ctx) => {
    const board = ctx.data.board(args.board);
    const p = periodOf(ctx, args.board, args.period ?? board.period.id);
    if (p.archived) return p.archived.history(args.user) ?? notFound();
    return board.history(slotOn(ctx, board, args.user))!;
  },
} satisfies Partial<HandlerTable>;
