/**
 * Reads. The original routes' `top`/`around`/`get` read the default board in their original shape;
 * the `board.*` reads take a board and a rank style (ordinal unless asked) and answer rows with
 * the players' names and countries. Top pages come from the page cache.
 */
import { ErrorCode, MAX_TOTAL, ScoreboardError, type RankStyle } from '@scoreboard/protocol';
import type { Board } from '../board/board.js';
import type { CommandContext, HandlerTable } from '../engine/handler.js';

/** O(1). The slot of a user on `board`, or USER_NOT_FOUND. */
export function slotOn(ctx: CommandContext, board: Board, user: string | number): number {
  const slot = ctx.data.players.slotOf(user);
  if (slot === undefined || !board.has(slot)) throw new ScoreboardError(ErrorCode.USER_NOT_FOUND);
  return slot;
}

/** O(1). The rank style asked for, ordinal by default. */
export const styleOf = (args: { rank?: RankStyle }): RankStyle => args.rank ?? 'ordinal';

/** Handlers of the reads. O(log n + page) each; a cached top page is O(1); a count O(log n). */
export const readHandlers = {
  top: (args, ctx) => {
    const board = ctx.data.defaultBoard;
    return ctx.pages.of(board).page(`entries:${args.n}`, args.n, () => board.plain(1, args.n));
  },
  around: (args, ctx) => {
    const board = ctx.data.defaultBoard;
    const from = Math.max(1, args.position - args.scope);
    const to = Math.min(board.size, args.position + args.scope);
    return to < from ? [] : board.plain(from, to - from + 1);
  },
  get: (args, ctx) => {
    const board = ctx.data.defaultBoard;
    const slot = slotOn(ctx, board, args.user);
    const placed = board.placement(slot, 'ordinal')!;
    // The metadata of the write that earned the total, when it had one (as every entry read).
    const metadata = board.metaOf(slot);
    return metadata === undefined
      ? { user: args.user, total: placed.total, rank: placed.rank }
      : { user: args.user, total: placed.total, rank: placed.rank, metadata };
  },
  'board.top': (args, ctx) => {
    const board = ctx.data.board(args.board);
    const style = styleOf(args);
    return ctx.pages.of(board).page(`${style}:${args.n}`, args.n, () => board.top(args.n, style));
  },
  'board.window': (args, ctx) => ctx.data.board(args.board).window(args.position, args.scope, styleOf(args)),
  'board.user': (args, ctx) => {
    const board = ctx.data.board(args.board);
    return board.standing(slotOn(ctx, board, args.user), styleOf(args))!;
  },
  'board.around': (args, ctx) => {
    const board = ctx.data.board(args.board);
    return board.around(slotOn(ctx, board, args.user), args.size, styleOf(args))!;
  },
  'board.users': (args, ctx) => {
    const board = ctx.data.board(args.board);
    const players = ctx.data.players;
    const slots: number[] = [];
    for (const id of args.ids) {
      const slot = players.slotOf(id);
      if (slot !== undefined) slots.push(slot);
    }
    return board.rowsOf(slots, styleOf(args));
  },
  'board.range': (args, ctx) =>
    ctx.data.board(args.board).range(args.min, args.max, args.limit, styleOf(args)),
  'board.count': (args, ctx) => {
    const board = ctx.data.board(args.board);
    const count = board.size;
    if (args.total === undefined) return { count };
    // Entries at least as good as the total: a range from it to the best end, counted (no rows).
    const [min, max] = board.config.order === 'desc' ? [args.total, MAX_TOTAL] : [-MAX_TOTAL, args.total];
    const atLeast = board.range(min, max, 0, 'ordinal').count;
    const percentile = count === 0 ? 0 : (100 * (count - atLeast)) / count;
    return { count, total: args.total, atLeast, percentile };
  },
} satisfies Partial<HandlerTable>;
